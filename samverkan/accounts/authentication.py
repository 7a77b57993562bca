"""API authentication with personal tokens (`Authorization: Bearer <key>` or `Token <key>`)."""
from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from .choices import TokenScope
from .models import ApiToken, hash_secret

# last_used_at is written at most this often per token (not on every request).
_TOUCH_EVERY = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = (b"bearer", b"token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        token = (ApiToken.objects.select_related("user")
                 .filter(key_hash=hash_secret(key)).first())
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.is_active:
            raise exceptions.AuthenticationFailed(
                _("The token has expired or was revoked; make a new one."))
        if token.scope == TokenScope.READ and request.method not in SAFE_METHODS:
            # Checked here, not in a permission class, so no view can forget it.
            raise exceptions.PermissionDenied(
                _("This token may only read; make a token with read and write access."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        user = token.user
        # Attributes the audit log and the second-factor check read.
        user.api_token = token
        user.otp_device = None
        verified = token.second_factor
        user.is_verified = lambda: verified
        return user, token

    def authenticate_header(self, request):
        return "Bearer"
