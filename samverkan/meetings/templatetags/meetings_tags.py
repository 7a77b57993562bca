"""Template helpers for other apps' pages (the forum's page, the activity's page)."""
from django import template

from ..attendance import forum_attendance

register = template.Library()


@register.simple_tag(takes_context=True)
def forum_attendance_rows(context, forum):
    """Per organisation: how many of the forum's held meetings it took part in."""
    request = context.get("request")
    return forum_attendance(forum, getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def activity_decisions(context, activity):
    """The decisions (visible to the user) that created or changed `activity`."""
    from ..models import Decision

    request = context.get("request")
    return (Decision.objects.visible_to(getattr(request, "user", None))
            .filter(activity=activity).exclude(effect="")
            .select_related("meeting", "meeting__forum").order_by("meeting__date", "pk"))
