"""The meetings app's entries in the registries of the apps below it (follow-up)."""
from __future__ import annotations

from samverkan.followup.hooks import register_year_wheel_meetings


@register_year_wheel_meetings
def year_wheel_meetings(agreements, year: int, user) -> list:
    """The forums' meetings of the year that `user` may read."""
    from .models import Meeting

    return list(Meeting.objects.visible_to(user)
                .filter(forum__agreement__in=agreements, date__year=year)
                .select_related("forum").order_by("date", "start_time"))
