"""Writes for tokens, second factors and members; each one audited."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.audit import services as audit
from samverkan.audit.choices import Action
from samverkan.core import access
from samverkan.core.choices import Role

from .models import ApiToken, hash_secret

RECOVERY_CODES = 10


def max_token_days() -> int:
    return int(getattr(settings, "API_TOKEN_MAX_DAYS", 365))


@transaction.atomic
def create_token(*, user, name: str, scope: str, days: int, second_factor: bool)\
        -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and its key (shown once, only the hash is kept)."""
    days = max(1, min(int(days), max_token_days()))
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100] or "API", prefix=key[3:11], key_hash=hash_secret(key),
        scope=scope, second_factor=second_factor,
        expires_at=timezone.now() + datetime.timedelta(days=days))
    audit.record(actor=user, action=Action.CREATE, obj=token, after=audit.snapshot(token))
    return token, key


def tokens_administered_by(user):
    """Tokens the user may see and revoke: their own, and, for administrators of a
    municipality, those of the members of its organisations."""
    from django.db.models import Q

    from samverkan.organizations.models import Membership

    if user.is_superuser:
        return ApiToken.objects.all()
    municipalities = [m for m in access.municipality_ids(user)
                      if access.role_in(user, m) == Role.ADMINISTRATOR]
    members = Membership.objects.filter(organization__municipality_id__in=municipalities,
                                        active=True).values("user_id")
    return ApiToken.objects.filter(Q(user=user) | Q(user_id__in=members)).distinct()


@transaction.atomic
def revoke_token(token: ApiToken, *, actor) -> ApiToken:
    if token.revoked_at is None:
        before = audit.snapshot(token)
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(actor=actor, action=Action.UPDATE, obj=token, before=before,
                     after=audit.snapshot(token))
    return token


@transaction.atomic
def confirm_totp(device: TOTPDevice, *, actor) -> list[str]:
    """Confirm the user's new authenticator (replacing any earlier one); returns fresh
    recovery codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(actor=actor, action=Action.CREATE, obj=device,
                 after={"name": device.name, "confirmed": True})
    return new_recovery_codes(device.user, actor=actor)


@transaction.atomic
def new_recovery_codes(user, *, actor) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    audit.record(actor=actor, action=Action.UPDATE, obj=device,
                 after={"recovery_codes": len(codes)})
    return codes


@transaction.atomic
def remove_second_factor(user, *, actor) -> None:
    for device in [*TOTPDevice.objects.filter(user=user),
                   *StaticDevice.objects.filter(user=user)]:
        audit.record(actor=actor, action=Action.DELETE, obj=device, before={"name": device.name})
        device.delete()
