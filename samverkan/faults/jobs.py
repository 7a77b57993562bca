"""Background jobs of fault reports: the reporter's e-mail on every status change."""
from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from samverkan.jobs.email import email_builder

from .models import FaultEvent


@email_builder("faults.status")
def status_email(recipient: str, *, event: int) -> EmailMessage:
    """What happened to the report, the due time and the link to follow (and reopen) it."""
    record = FaultEvent.objects.select_related("report__category", "report__municipality",
                                               "report__handler").get(pk=event)
    report = record.report
    with translation.override(settings.LANGUAGE_CODE):
        context = {"event": record, "report": report,
                   "link": settings.SITE_URL + report.get_public_url()}
        subject = render_to_string("faults/email_status_subject.txt", context).strip()
        body = render_to_string("faults/email_status.txt", context)
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[recipient])
