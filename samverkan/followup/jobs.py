"""The follow-up app's e-mails, built when the worker sends them (samverkan.jobs.email), and
the follow-up report built as a document job (samverkan.jobs.documents)."""
from __future__ import annotations

from django.core.mail import EmailMessage
from django.utils.text import slugify

from samverkan.jobs.documents import document_builder
from samverkan.jobs.email import after_sent, email_builder

from . import services


@email_builder("followup.reminder")
def reminder_email(recipient: str, *, user: int, today: str, items: list) -> EmailMessage:
    subject, body = services._reminder_text(user=user, today=today, items=items)
    return EmailMessage(subject=subject, body=body, to=[recipient])


@email_builder("followup.coordinator_summary")
def coordinator_summary_email(recipient: str, *, user: int, today: str,
                              items: list) -> EmailMessage:
    subject, body = services._summary_text(user=user, today=today, items=items)
    return EmailMessage(subject=subject, body=body, to=[recipient])


@after_sent("followup.record_reminders")
def record_reminders(recipient: str, *, user: int, today: str, items: list) -> None:
    services.record_sent_reminders(user=user, items=items)


def report_filename(round, fmt: str) -> str:
    name = slugify(f"uppfoljning-{round.label}") or f"uppfoljning-{round.pk}"
    return f"{name}.{fmt}"


@document_builder("followup.round_report")
def round_report_document(user, *, round: int, fmt: str = "docx") -> tuple[bytes, str]:
    """The follow-up round's report as Word or PDF, as ``user`` may see it (the rule is applied
    again when the worker builds it: access may have changed since the button was pressed)."""
    from samverkan.core import access

    from .documents import followup_report
    from .models import FollowUpRound

    record = access.filter_visible(FollowUpRound.objects.all(), user).get(pk=round)
    document = followup_report(record, user)
    return (document.to_pdf() if fmt == "pdf" else document.to_docx()), report_filename(
        record, fmt)
