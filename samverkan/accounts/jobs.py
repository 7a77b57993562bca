"""E-mails of the accounts app (samverkan.jobs)."""
from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from samverkan.jobs.email import email_builder


@email_builder("accounts.invitation")
def invitation_email(recipient: str, *, invitation: int, token: str) -> EmailMessage:
    from .models import Invitation

    inv = Invitation.objects.select_related("organization", "invited_by").get(pk=invitation)
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.SITE_URL + reverse("accounts:invitation_accept", args=[token])
        inviter = (inv.invited_by.get_full_name() or inv.invited_by.get_username()) \
            if inv.invited_by else "Samverkan"
        body = _("%(inviter)s invites you to Samverkan as %(role)s in %(organization)s.\n\n"
                 "Open this link to create your account or to add the role to the account you "
                 "have (it works once, until %(expires)s):\n%(link)s\n\n"
                 "If you did not expect this, ignore this message.") % {
            "inviter": inviter, "role": inv.get_role_display().lower(),
            "organization": inv.organization, "link": link,
            "expires": f"{inv.expires_at:%Y-%m-%d}"}
        return EmailMessage(_("Invitation to Samverkan"), body, to=[recipient])
