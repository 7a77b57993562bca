"""The situation app's background jobs and e-mails (samverkan.jobs)."""
from __future__ import annotations

from django.utils import translation

from samverkan.jobs.email import email_builder

from . import weekly


@email_builder("situation.weekly_picture")
def weekly_picture_email(recipient: str, **args):
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        return weekly.weekly_picture_email(recipient, **args)
