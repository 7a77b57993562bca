"""What a locked-out person sees (django-axes calls these, see settings.AXES_*)."""
from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def username_of(request, credentials) -> str:
    """The attempted username, trimmed and lower-cased, so that 'Samordnare' and 'samordnare '
    count against the same account."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username")
    return str(value or "").strip().lower()[:150]


def lockout_minutes() -> int:
    return max(1, round(float(settings.AXES_COOLOFF_TIME or 0) * 60))


def lockout_message() -> str:
    return _("Too many failed login attempts. The account is locked for %(minutes)s minutes; "
             "try again later or ask an administrator in your municipality to lift the "
             "lockout.") % {"minutes": lockout_minutes()}


def lockout_response(request, original_response=None, credentials=None):
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=status)
    else:
        response = render(request, "accounts/locked_out.html",
                          {"message": lockout_message()}, status=status)
    response["Retry-After"] = str(lockout_minutes() * 60)
    return response


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login that arrives with a request (the login page,
    the API token endpoint, single sign-on). A call without one (the test client's `login()`,
    a shell) comes from no address and from no one outside, so it is left to the password
    check instead of raising."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
