"""How often each organisation took part in a forum's meetings (the agreements commit both
parties to prioritise participation)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count

from .choices import MeetingStatus
from .models import Attendance, Meeting


@dataclass
class OrganizationAttendance:
    organization: object  # Organization or None (members without an organisation)
    members: int  # the forum's members from this organisation
    present: int  # held meetings where at least one person of the organisation was present
    held: int  # held meetings counted

    @property
    def share(self) -> float | None:
        return self.present / self.held if self.held else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.share) if self.held else None


def held_meetings(forum, user, *, since: datetime.date | None = None):
    qs = Meeting.objects.visible_to(user).filter(forum=forum, status=MeetingStatus.HELD)
    if since is not None:
        qs = qs.filter(date__gte=since)
    return qs


def forum_attendance(forum, user, *, since: datetime.date | None = None) \
        -> list[OrganizationAttendance]:
    """Per organisation of the forum's members (and of guests who came): in how many of the
    forum's held meetings (since `since`) it was present. Counted in the database."""
    meetings = held_meetings(forum, user, since=since)
    held = meetings.count()
    present = dict(
        Attendance.objects.filter(meeting__in=meetings, present=True,
                                  organization__isnull=False)
        .values("organization").annotate(n=Count("meeting", distinct=True))
        .values_list("organization", "n"))
    members = dict(forum.members.exclude(organization=None).values("organization")
                   .annotate(n=Count("pk")).values_list("organization", "n"))
    from samverkan.organizations.models import Organization

    organizations = Organization.objects.visible_to(user).filter(
        pk__in=set(present) | set(members))
    rows = [OrganizationAttendance(organization=org, members=members.get(org.pk, 0),
                                   present=present.get(org.pk, 0), held=held)
            for org in organizations]
    rows.sort(key=lambda r: (-r.members, -(r.present), r.organization.name))
    return rows
