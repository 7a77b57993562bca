"""API tokens with a scope and an expiry, and invitations to join an organisation."""
from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from samverkan.core.choices import Role

from .choices import TokenScope


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal API token: only its hash is stored; the key is shown once when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100,
                            help_text=_("What the token is for, e.g. 'Power BI report'."))
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=10, choices=TokenScope.choices,
                             default=TokenScope.READ)
    second_factor = models.BooleanField(
        _("issued after second factor"), default=False,
        help_text=_("The owner had verified their second factor when the token was made."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("revoked by"))

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> str:
        return "sv_" + secrets.token_urlsafe(30)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return str(_("Revoked"))
        if self.expires_at <= timezone.now():
            return str(_("Expired"))
        return str(_("Active"))


class Invitation(models.Model):
    """An invitation by e-mail to join an organisation with a role; the link works once."""

    email = models.EmailField(_("e-mail"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE,
                                     related_name="invitations",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.READER)
    title = models.CharField(_("title"), max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+", verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("accepted by"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @property
    def municipality_id(self):
        return self.organization.municipality_id

    @property
    def is_open(self) -> bool:
        return (self.accepted_at is None and self.cancelled_at is None
                and self.expires_at > timezone.now())


class IdentityProviderDevice(Device):
    """The second factor confirmed by the single sign-on provider (its `amr`/`acr` claim,
    settings.OIDC_MFA_*): django-otp's mark on a session that the person used more than a
    password. It takes no codes of its own."""

    class Meta(Device.Meta):
        verbose_name = _("second factor at the login provider")
        verbose_name_plural = _("second factors at the login provider")

    @classmethod
    def for_user(cls, user) -> IdentityProviderDevice:
        device, _created = cls.objects.get_or_create(
            user=user, defaults={"name": "OpenID Connect", "confirmed": True})
        return device

    def verify_token(self, token) -> bool:
        return False
