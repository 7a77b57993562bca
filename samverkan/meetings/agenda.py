"""The proposed agenda of a meeting.

Every council meeting must have an agenda and minutes. The system proposes the agenda from
what the forum has to deal with: the follow-up round that is due, the open deviations of the
agreement's activities and the action items left undone from the forum's earlier meetings.
The coordinator then edits it (adds, reorders, removes items).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from .choices import ActionItemStatus, AgendaSource, MeetingStatus

# A round is "due" at a meeting when its reports are due within this many days after the
# meeting (or were due before it and the round is still open).
ROUND_DUE_WINDOW_DAYS = 45


@dataclass
class ProposedItem:
    title: str
    source: str
    description: str = ""
    links: dict = field(default_factory=dict)

    def key(self) -> tuple:
        return (self.source, tuple(sorted((k, getattr(v, "pk", v))
                                          for k, v in self.links.items())))


def due_rounds(meeting):
    """The agreement's follow-up rounds that are still active and due around the meeting:
    reported to this forum (or to no forum in particular), due at the latest
    ROUND_DUE_WINDOW_DAYS after the meeting. Monthly deviation checks are left out: their
    content is the open deviations, which are proposed one by one."""
    from samverkan.followup.choices import ACTIVE_ROUND_STATUSES, RoundKind
    from samverkan.followup.models import FollowUpRound

    horizon = meeting.date + datetime.timedelta(days=ROUND_DUE_WINDOW_DAYS)
    return (FollowUpRound.objects
            .filter(agreement_id=meeting.forum.agreement_id, status__in=ACTIVE_ROUND_STATUSES,
                    due_date__lte=horizon)
            .filter(Q(forum=meeting.forum) | Q(forum__isnull=True))
            .exclude(kind=RoundKind.MONTHLY)
            .order_by("due_date", "pk"))


def open_deviations(meeting):
    from samverkan.followup.models import Deviation

    return (Deviation.objects
            .filter(activity__agreement_id=meeting.forum.agreement_id, resolved_on__isnull=True,
                    opened_on__lte=meeting.date)
            .select_related("activity", "activity__focus_area")
            .order_by("opened_on", "pk"))


def carried_over_action_items(meeting):
    """Open action items of the forum's earlier meetings (not cancelled meetings)."""
    from .models import ActionItem

    earlier = Q(meeting__date__lt=meeting.date)
    if meeting.pk:
        earlier |= Q(meeting__date=meeting.date, meeting__pk__lt=meeting.pk)
    return (ActionItem.objects
            .filter(earlier, meeting__forum_id=meeting.forum_id,
                    status=ActionItemStatus.OPEN)
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .select_related("meeting", "organization")
            .order_by("meeting__date", "pk"))


def propose_agenda(meeting) -> list[ProposedItem]:
    """The agenda the system proposes for `meeting` (saved or not), without the items the
    meeting's agenda already has. Order: action items left from last time, the follow-up
    round, then the open deviations (oldest first)."""
    proposals: list[ProposedItem] = []
    for item in carried_over_action_items(meeting):
        who = item.who
        description = _("From the meeting of %(date)s.") % {"date": f"{item.meeting.date:%Y-%m-%d}"}
        if who:
            description += " " + _("Responsible: %(who)s.") % {"who": who}
        if item.due_date:
            description += " " + _("Due %(date)s.") % {"date": f"{item.due_date:%Y-%m-%d}"}
        proposals.append(ProposedItem(
            title=_("Left from last time: %(what)s") % {"what": item},
            source=AgendaSource.CARRIED_OVER, description=description,
            links={"carried_action_item": item}))
    for round_ in due_rounds(meeting):
        description = _("Period %(start)s – %(end)s, reports due %(due)s.") % {
            "start": f"{round_.period_start:%Y-%m-%d}", "end": f"{round_.period_end:%Y-%m-%d}",
            "due": f"{round_.due_date:%Y-%m-%d}"}
        proposals.append(ProposedItem(
            title=_("Follow-up: %(round)s") % {"round": round_.label},
            source=AgendaSource.ROUND, description=description,
            links={"followup_round": round_}))
    for deviation in open_deviations(meeting):
        parts = [deviation.reason]
        if deviation.proposed_action:
            parts.append(_("Proposed action: %(action)s") % {"action": deviation.proposed_action})
        parts.append(_("Open since %(date)s.") % {"date": f"{deviation.opened_on:%Y-%m-%d}"})
        proposals.append(ProposedItem(
            title=_("Deviation (%(kind)s): %(activity)s") % {
                "kind": deviation.get_kind_display().lower(), "activity": deviation.activity},
            source=AgendaSource.DEVIATION, description="\n".join(parts),
            links={"deviation": deviation, "activity": deviation.activity,
                   "focus_area": deviation.activity.focus_area}))
    if meeting.pk:
        existing = set()
        for row in meeting.agenda_items.values("carried_action_item", "followup_round",
                                               "deviation"):
            existing |= {(k, v) for k, v in row.items() if v is not None}
        proposals = [p for p in proposals
                     if not any((k, getattr(v, "pk", v)) in existing
                                for k, v in p.links.items()
                                if k in ("carried_action_item", "followup_round",
                                         "deviation"))]
    return proposals
