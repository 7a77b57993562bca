"""Security events go to the `samverkan.security` log (settings.LOGGING)."""
import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .lockout import username_of

log = logging.getLogger("samverkan.security")


def _address(request):
    return getattr(request, "axes_ip_address", None) or (
        request.META.get("REMOTE_ADDR") if request is not None else None)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    log.info("login", extra={"event": "login", "user_id": user.pk, "ip": _address(request),
                             "method": getattr(request, "samverkan_login_method", "password")})


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    log.warning("login failed", extra={
        "event": "login_failed", "username": username_of(request, credentials),
        "ip": _address(request)})


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    log.warning("lockout", extra={"event": "lockout", "username": username, "ip": ip_address})
