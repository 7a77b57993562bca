"""The follow-up app's e-mails, built when the worker sends them (samverkan.jobs.email)."""
from __future__ import annotations

from django.core.mail import EmailMessage

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
