"""Second factor (django-otp): who must have one, and the reusable check for views.

`django_otp.middleware.OTPMiddleware` gives every request's user `is_verified()`: true when the
session was confirmed with a code from the user's authenticator app or a recovery code (or,
for API token requests, when the token was made after such a confirmation). Use

- `verified_second_factor_required` on a function view,
- `VerifiedSecondFactorRequiredMixin` on a class-based view,
- `HasVerifiedSecondFactor` as a DRF permission,

for pages that need it whatever the installation's rule (settings.TWO_FACTOR_REQUIRED_FOR).
"""
from __future__ import annotations

import logging
from functools import wraps
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.permissions import BasePermission

from samverkan.core.choices import Role

log = logging.getLogger("samverkan.security")
SESSION_KEY = "samverkan_second_factor"
ENROLLED, REQUIRED, OPTIONAL = "enrolled", "required", "optional"


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _holds_restricted_records(org_ids) -> bool:
    if not org_ids:
        return False
    for model in apps.get_models():
        field = next((f for f in model._meta.many_to_many if f.name == "restricted_to"), None)
        if field is None:
            continue
        through = field.remote_field.through
        if through.objects.filter(**{f"{field.m2m_reverse_field_name()}__in": org_ids}).exists():
            return True
    return False


def second_factor_required(user) -> bool:
    """The installation's rule (settings.TWO_FACTOR_REQUIRED_FOR) for this user."""
    if user is None or not user.is_authenticated:
        return False
    rule = {value.strip().lower() for value in settings.TWO_FACTOR_REQUIRED_FOR}
    if "all" in rule:
        return True
    if "superusers" in rule and (user.is_superuser or user.is_staff):
        return True
    memberships = user.memberships.filter(active=True)
    roles = set(memberships.values_list("role", flat=True))
    if "administrators" in rule and Role.ADMINISTRATOR in roles:
        return True
    if "coordinators" in rule and roles & {Role.ADMINISTRATOR, Role.COORDINATOR}:
        return True
    return "restricted" in rule and _holds_restricted_records(
        list(memberships.values_list("organization_id", flat=True)))


def state(request) -> str:
    """ENROLLED (has an authenticator), REQUIRED (must set one up) or OPTIONAL; remembered in
    the session, so it is worked out once per login."""
    session = getattr(request, "session", None)
    value = session.get(SESSION_KEY) if session is not None else None
    if value not in (ENROLLED, REQUIRED, OPTIONAL):
        user = request.user
        value = ENROLLED if has_device(user) else (
            REQUIRED if second_factor_required(user) else OPTIONAL)
        if session is not None:
            session[SESSION_KEY] = value
    return value


def forget_state(request) -> None:
    if getattr(request, "session", None) is not None:
        request.session.pop(SESSION_KEY, None)


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(user is not None and user.is_authenticated and callable(check) and check())


def _url(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def challenge(request, *, force: bool = True):
    """The response that asks for the second factor: verify when the user has one, else set
    one up. For the API a 403 with a message. None when nothing is asked (not forced and the
    rule does not require it)."""
    current = state(request)
    if current == OPTIONAL and not force:
        return None
    if request.path.startswith("/api/"):
        message = (_("Confirm the login with your second factor first.") if current == ENROLLED
                   else _("Turn on two-step verification first (Account, Two-step "
                          "verification)."))
        return JsonResponse({"detail": message}, status=403)
    name = "accounts:two_factor_verify" if current == ENROLLED else "accounts:two_factor_setup"
    return redirect(_url(name, request.get_full_path()))


def verified_second_factor_required(view):
    """Decorator: the view needs a logged-in user who confirmed their second factor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not is_verified(request.user):
            return challenge(request)
        return view(request, *args, **kwargs)

    return wrapper


class VerifiedSecondFactorRequiredMixin:
    """Class-based views: put first among the bases (before LoginRequiredMixin's friends)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_verified(request.user):
            return challenge(request)
        return super().dispatch(request, *args, **kwargs)


class HasVerifiedSecondFactor(BasePermission):
    """DRF: the request's user confirmed their second factor (session or token)."""

    message = gettext_lazy("This needs a login confirmed with two-step verification.")

    def has_permission(self, request, view):
        return is_verified(request.user)
