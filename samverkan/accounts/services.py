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


# -- members and invitations ------------------------------------------------------------------

INVITATION_DAYS = 7


def _rank(role) -> int:
    from samverkan.core.choices import ROLE_RANK

    return ROLE_RANK[role]


def may_manage_members(user, municipality) -> bool:
    return access.has_role(user, municipality, Role.COORDINATOR)


def may_grant(actor, municipality, role) -> bool:
    """Coordinators grant roles up to coordinator; administrators any role."""
    actor_role = access.role_in(actor, municipality)
    return actor_role is not None and _rank(actor_role) >= max(_rank(role),
                                                              _rank(Role.COORDINATOR))


def _require_manage(actor, municipality, *roles) -> None:
    from django.core.exceptions import PermissionDenied

    if not may_manage_members(actor, municipality) or not all(
            may_grant(actor, municipality, r) for r in roles):
        raise PermissionDenied


@transaction.atomic
def invite(*, actor, organization, email: str, role: str, title: str = "") -> tuple:
    """An invitation with a one-time link (valid INVITATION_DAYS days), e-mailed as a job."""
    import secrets

    from samverkan.jobs.email import queue_email

    from .models import Invitation

    _require_manage(actor, organization.municipality, role)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email.strip(), organization=organization, role=role, title=title,
        token_hash=hash_secret(raw), invited_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS))
    audit.record(actor=actor, action=Action.CREATE, obj=invitation,
                 after={"email": invitation.email, "organization": organization.pk,
                        "role": role})
    queue_email(key=f"invitation:{invitation.pk}", recipient=invitation.email,
                builder="accounts.invitation", args={"invitation": invitation.pk, "token": raw},
                label=f"Inbjudan till {invitation.email}", actor=actor,
                municipality=organization.municipality)
    return invitation, raw


def find_invitation(raw: str):
    from .models import Invitation

    invitation = Invitation.objects.select_related("organization").filter(
        token_hash=hash_secret(raw or "")).first()
    return invitation if invitation is not None and invitation.is_open else None


@transaction.atomic
def accept_invitation(invitation, *, user):
    """Give `user` the invitation's role in its organisation; the link then stops working."""
    from samverkan.organizations.models import Membership
    from samverkan.organizations.services import add_membership, update_membership

    from .models import Invitation

    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise ValueError("invitation used")
    existing = Membership.objects.filter(user=user, organization=locked.organization).first()
    if existing is None:
        membership = add_membership(actor=locked.invited_by, user=user,
                                    organization=locked.organization, role=locked.role,
                                    title=locked.title)
    else:
        membership = update_membership(existing, actor=locked.invited_by, role=locked.role,
                                       active=True, title=locked.title or existing.title)
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(actor=user, action=Action.UPDATE, obj=locked, after={"accepted": True})
    return membership


@transaction.atomic
def cancel_invitation(invitation, *, actor):
    _require_manage(actor, invitation.organization.municipality)
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    audit.record(actor=actor, action=Action.UPDATE, obj=invitation, after={"cancelled": True})


def change_membership(membership, *, actor, role: str, title: str, active: bool):
    """Change a member's role, title or whether the membership is active. Coordinators may not
    touch administrators nor make anyone administrator."""
    from django.core.exceptions import PermissionDenied

    from samverkan.organizations.services import update_membership

    municipality = membership.organization.municipality
    _require_manage(actor, municipality, role, membership.role)
    if membership.user_id == actor.pk and (not active or _rank(role) < _rank(membership.role)):
        raise PermissionDenied  # no locking oneself out by mistake
    return update_membership(membership, actor=actor, role=role, title=title, active=active)


def lift_lockout(user, *, actor, municipality) -> int:
    """Lift the login lockout of a member of the municipality (django-axes)."""
    from axes.utils import reset

    from samverkan.organizations.models import Membership

    if not (actor.is_superuser or (may_manage_members(actor, municipality) and
                                   Membership.objects.filter(
                                       user=user,
                                       organization__municipality=municipality).exists())):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    count = reset(username=user.get_username().lower())
    audit.record(actor=actor, action=Action.UPDATE, obj=user, after={"lockout_lifted": True})
    return count
