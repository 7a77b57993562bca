"""The access choke point: every read and write decision goes through here.

Rules (DESIGN.md): users belong to organisations; an organisation belongs to a municipality; a
user's role in a municipality is their highest role in any of its organisations. A user sees
records of their municipalities only (others answer 404); restricted records only when they are
a member of one of the named organisations. Readers read; contributors also change what their
organisation is responsible for; coordinators and administrators change everything in their
municipality. Superusers (the installation's operators) see everything.
"""
from __future__ import annotations

import contextlib

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from .choices import ROLE_RANK, Confidentiality, Role

_CACHE_ATTR = "_samverkan_access"


class _UserAccess:
    def __init__(self, user):
        from samverkan.organizations.models import Membership

        self.roles: dict[str, str] = {}
        self.organization_ids: set[int] = set()
        self.organizations_by_municipality: dict[str, set[int]] = {}
        if user is None or not user.is_authenticated:
            return
        rows = Membership.objects.filter(user=user, active=True).values_list(
            "organization_id", "organization__municipality_id", "role"
        )
        for org_id, municipality_id, role in rows:
            self.organization_ids.add(org_id)
            self.organizations_by_municipality.setdefault(municipality_id, set()).add(org_id)
            current = self.roles.get(municipality_id)
            if current is None or ROLE_RANK[role] > ROLE_RANK[current]:
                self.roles[municipality_id] = role


def _access(user) -> _UserAccess:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _UserAccess(user)
        if user is not None:
            with contextlib.suppress(AttributeError):
                setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    """Drop cached memberships (after a membership changes within a request or test)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def municipality_ids(user) -> set[str]:
    return set(_access(user).roles)


def organization_ids(user) -> set[int]:
    return set(_access(user).organization_ids)


def role_in(user, municipality) -> str | None:
    """The user's role in a municipality (object or code), or None."""
    if user is None or not user.is_authenticated:
        return None
    code = getattr(municipality, "pk", municipality)
    if user.is_superuser:
        return Role.ADMINISTRATOR
    return _access(user).roles.get(code)


def has_role(user, municipality, minimum: str) -> bool:
    role = role_in(user, municipality)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def _restricted_filter(qs: QuerySet, org_ids: set[int]) -> Q:
    field = qs.model._meta.get_field("restricted_to")
    through = field.remote_field.through
    named = Exists(through.objects.filter(**{
        field.m2m_field_name(): OuterRef("pk"),
        f"{field.m2m_reverse_field_name()}__in": org_ids,
    }))
    return ~Q(confidentiality=Confidentiality.RESTRICTED) | named


def filter_visible(qs: QuerySet, user) -> QuerySet:
    if user is None or not user.is_authenticated:
        return qs.none()
    # A model stricter than this rule (samverkan.sspf: only a case's named participants)
    # narrows it here, for every user, superusers included.
    narrow = getattr(qs.model, "narrow_visible", None)
    if narrow is not None:
        qs = narrow(qs, user)
    if user.is_superuser:
        return qs
    acc = _access(user)
    if not acc.roles:
        return qs.none()
    qs = qs.filter(municipality_id__in=list(acc.roles))
    if hasattr(qs.model, "restricted_to"):
        qs = qs.filter(_restricted_filter(qs, acc.organization_ids))
    return qs


def filter_changeable(qs: QuerySet, user) -> QuerySet:
    """Records the user may change outright (coordinators and administrators)."""
    if user is None or not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    acc = _access(user)
    ids = [m for m, r in acc.roles.items() if ROLE_RANK[r] >= ROLE_RANK[Role.COORDINATOR]]
    return filter_visible(qs, user).filter(municipality_id__in=ids)


def can_view(user, obj) -> bool:
    return filter_visible(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def can_change(user, obj) -> bool:
    role = role_in(user, obj.municipality_id)
    if role is None:
        return False
    if ROLE_RANK[role] >= ROLE_RANK[Role.COORDINATOR]:
        return True
    if role == Role.CONTRIBUTOR:
        orgs = _access(user).organizations_by_municipality.get(obj.municipality_id, set())
        return bool(obj.contributor_may_change(user, orgs))
    return False


def can_create(user, municipality, model=None) -> bool:
    """Coordinators create anything; contributors only models that say they may."""
    role = role_in(user, municipality)
    if role is None:
        return False
    if ROLE_RANK[role] >= ROLE_RANK[Role.COORDINATOR]:
        return True
    return role == Role.CONTRIBUTOR and bool(getattr(model, "contributors_may_create", False))


def get_visible_or_404(model_or_qs, user, **lookup):
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    try:
        return filter_visible(qs, user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def require_change(user, obj) -> None:
    """403 for a visible object the user may not change (its existence is not secret to them)."""
    if not can_change(user, obj):
        raise PermissionDenied


def require_create(user, municipality, model=None) -> None:
    if not can_create(user, municipality, model):
        raise PermissionDenied


def changeable_municipalities(user):
    from samverkan.organizations.models import Municipality

    if user.is_superuser:
        return Municipality.objects.all()
    acc = _access(user)
    ids = [m for m, r in acc.roles.items() if ROLE_RANK[r] >= ROLE_RANK[Role.COORDINATOR]]
    return Municipality.objects.filter(pk__in=ids)


def user_municipalities(user):
    from samverkan.organizations.models import Municipality

    if user is None or not user.is_authenticated:
        return Municipality.objects.none()
    if user.is_superuser:
        ids = municipality_ids(user)
        return Municipality.objects.filter(pk__in=ids) if ids else Municipality.objects.none()
    return Municipality.objects.filter(pk__in=municipality_ids(user))
