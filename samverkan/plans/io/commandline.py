"""Helpers shared by the plan commands (import_plan, export_plan, create_agreement)."""
from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from samverkan.core import access
from samverkan.core.commandline import get_actor  # noqa: F401 - used by the plan commands


def get_agreement(pk, actor, *, change: bool = False):
    """The agreement ``pk``; with an actor only one they may see (and change)."""
    from samverkan.agreements.models import Agreement

    queryset = Agreement.objects.select_related("municipality")
    if actor is not None:
        queryset = queryset.visible_to(actor)
    try:
        agreement = queryset.get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise CommandError(_("No agreement with id %(id)s.") % {"id": pk}) from None
    if change and actor is not None and not access.can_change(actor, agreement):
        raise CommandError(_("%(user)s may not change this agreement.") % {"user": actor})
    return agreement
