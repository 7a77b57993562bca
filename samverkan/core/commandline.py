"""Helpers shared by the management commands of every app."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def get_actor(username: str | None):
    """The user named by ``--user``, or None (the audit log records "system")."""
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(_("No user named “%(name)s”.") % {"name": username}) from None
