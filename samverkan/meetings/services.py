"""Writes for meetings: every function takes the acting user explicitly (`actor`), validates,
writes inside a transaction and writes one audit entry per record written (through
`samverkan.core.services`). Views, the API and the demo loader call these.

Permission checks are the caller's (views and API check `access.can_change` /
`access.can_create` before calling)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.audit import services as audit
from samverkan.core import checkpoints, services, versioning
from samverkan.core.choices import Confidentiality

from .agenda import ProposedItem, propose_agenda
from .choices import (
    ActionItemStatus,
    AgendaSource,
    ComplianceKey,
    ComplianceStatus,
    DecisionEffect,
    MeetingStatus,
)
from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    ComplianceChange,
    ComplianceCheck,
    Decision,
    Meeting,
)

# The activity fields a decision may change (the rest is edited on the activity's page).
DECISION_ACTIVITY_FIELDS = ("title", "description", "status", "sub_goal", "responsible_text",
                            "responsible_organizations", "timing_text", "start_date",
                            "end_date", "expected_effect")


def _inherit(parent, fields: dict) -> dict:
    """A record inside a restricted parent is restricted to the same organisations unless the
    caller says otherwise."""
    # Internal is the default; a restricted parent (any visibility parent) is applied by
    # core.services.create, which also refuses a wider level under a restricted record.
    if "confidentiality" in fields or parent.confidentiality == Confidentiality.INTERNAL:
        return fields
    fields = dict(fields)
    fields["confidentiality"] = parent.confidentiality
    if parent.confidentiality == Confidentiality.RESTRICTED and "restricted_to" not in fields:
        fields["restricted_to"] = list(parent.restricted_to.all())
    return fields


def _create_in_meeting(model, *, actor, meeting: Meeting, fields: Mapping):
    fields = _inherit(meeting, {k: v for k, v in fields.items()
                                if k not in ("meeting", "municipality")})
    return services.create(model, actor=actor, data={"meeting": meeting, **fields},
                           municipality=meeting.municipality)


def _update_in_meeting(obj, *, actor, fields: Mapping):
    """Records never move to another meeting: the meeting field is ignored."""
    return services.update(obj, actor=actor, data={
        k: v for k, v in fields.items() if k not in ("meeting", "municipality")})


# -- meetings -----------------------------------------------------------------------------------

@transaction.atomic
def create_meeting(*, actor, forum, prefill_attendance: bool = True,
                   with_proposed_agenda: bool = True, **fields) -> Meeting:
    """Create a meeting of `forum`; by default with the forum's members as expected attendees
    (not yet marked present) and the proposed agenda. One audit entry per record written."""
    fields.pop("municipality", None)
    fields = _inherit(forum, fields)
    meeting = services.create(Meeting, actor=actor, data={"forum": forum, **fields},
                              municipality=forum.municipality)
    if prefill_attendance:
        add_forum_members(meeting, actor=actor)
    if with_proposed_agenda:
        apply_proposed_agenda(meeting, actor=actor)
    return meeting


def update_meeting(meeting: Meeting, *, actor, **fields) -> Meeting:
    fields = {k: v for k, v in fields.items() if k not in ("forum", "municipality")}
    return services.update(meeting, actor=actor, data=fields)


def set_meeting_status(meeting: Meeting, *, actor, status: str) -> Meeting:
    if status not in MeetingStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    return services.update(meeting, actor=actor, data={"status": status})


def delete_meeting(meeting: Meeting, *, actor) -> None:
    """Deletes the meeting with its agenda, minutes, decisions, action items and attendance
    (one audit entry). Activities created by its decisions stay in the plan."""
    services.delete(meeting, actor=actor)


# -- attendance ---------------------------------------------------------------------------------

@transaction.atomic
def add_forum_members(meeting: Meeting, *, actor) -> list[Attendance]:
    """Add the forum's members who are not yet on the meeting's list of attendees."""
    listed = set(meeting.attendances.exclude(member=None).values_list("member_id", flat=True))
    added = []
    for member in meeting.forum.members.all().order_by("pk"):  # as the agreement lists them
        if member.pk in listed:
            continue
        added.append(_create_in_meeting(Attendance, actor=actor, meeting=meeting, fields={
            "member": member, "organization": member.organization, "present": False}))
    return added


def add_attendance(*, actor, meeting: Meeting, **fields) -> Attendance:
    """A forum member or a co-opted guest (guest_name, organisation). A member's organisation
    is taken from the forum's member list when not given."""
    member = fields.get("member")
    if member is not None and not fields.get("organization"):
        fields["organization"] = member.organization
    return _create_in_meeting(Attendance, actor=actor, meeting=meeting, fields=fields)


def update_attendance(attendance: Attendance, *, actor, **fields) -> Attendance:
    return _update_in_meeting(attendance, actor=actor, fields=fields)


def remove_attendance(attendance: Attendance, *, actor) -> None:
    services.delete(attendance, actor=actor)


@transaction.atomic
def record_attendance(meeting: Meeting, *, actor, present: Iterable[int]) -> int:
    """Mark the listed attendances (ids) present and every other one absent. One audit entry
    per attendance that changed; returns how many changed."""
    present = {int(pk) for pk in present}
    changed = 0
    for attendance in meeting.attendances.all():
        value = attendance.pk in present
        if attendance.present != value:
            services.update(attendance, actor=actor, data={"present": value})
            changed += 1
    return changed


# -- agenda -------------------------------------------------------------------------------------

def _next_order(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1


def add_agenda_item(*, actor, meeting: Meeting, **fields) -> AgendaItem:
    """Add an item at the end of the agenda (or at `order` when given)."""
    source = fields.pop("source", AgendaSource.MANUAL)
    if not fields.get("order"):
        fields["order"] = _next_order(meeting)
    fields["source"] = source
    return _create_in_meeting(AgendaItem, actor=actor, meeting=meeting, fields=fields)


def update_agenda_item(item: AgendaItem, *, actor, **fields) -> AgendaItem:
    fields.pop("source", None)
    return _update_in_meeting(item, actor=actor, fields=fields)


def record_minutes(item: AgendaItem, *, actor, minutes: str) -> AgendaItem:
    return services.update(item, actor=actor, data={"minutes": minutes.strip()})


def remove_agenda_item(item: AgendaItem, *, actor) -> None:
    """Decisions and action items under the item stay with the meeting."""
    services.delete(item, actor=actor)


@transaction.atomic
def apply_proposed_agenda(meeting: Meeting, *, actor,
                          proposals: list[ProposedItem] | None = None) -> list[AgendaItem]:
    """Add the proposed items (see `agenda.propose_agenda`) that the agenda does not have yet."""
    if proposals is None:
        proposals = propose_agenda(meeting)
    return [add_agenda_item(actor=actor, meeting=meeting, title=p.title[:300],
                            description=p.description, source=p.source, **p.links)
            for p in proposals]


@transaction.atomic
def move_agenda_item(item: AgendaItem, *, actor, direction: str) -> AgendaItem:
    """Move an item one step "up" or "down". The agenda is numbered 1..n again, so the items
    whose number changed get one audit entry each (usually two)."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move an item up or down."))
    items = list(item.meeting.agenda_items.order_by("order", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _renumber(items, actor=actor)
    return item


@transaction.atomic
def reorder_agenda(meeting: Meeting, *, actor, ordered_ids: Iterable[int]) -> None:
    """Put the agenda in the order of `ordered_ids` (items left out keep their relative order
    after the listed ones)."""
    ordered_ids = [int(pk) for pk in ordered_ids]
    items = {i.pk: i for i in meeting.agenda_items.all()}
    if not set(ordered_ids) <= set(items):
        raise ValidationError(_("The agenda item belongs to another meeting."))
    rest = [i for i in sorted(items.values(), key=lambda i: (i.order, i.pk))
            if i.pk not in ordered_ids]
    _renumber([items[pk] for pk in ordered_ids] + rest, actor=actor)


def _renumber(items: list[AgendaItem], *, actor) -> None:
    for number, other in enumerate(items, start=1):
        if other.order != number:
            services.update(other, actor=actor, data={"order": number})


# -- decisions ----------------------------------------------------------------------------------

@transaction.atomic
def record_decision(*, actor, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None,
                    create_activity: Mapping | None = None,
                    change_activity: tuple | None = None, **fields) -> Decision:
    """Record a decision; optionally create an activity in the plan (`create_activity`: the
    keyword arguments of `plans.services.create_activity`, with `focus_area` and `title`) or
    change one (`change_activity`: (activity, {field: value})), in the same transaction. The
    decision stores the activity and the effect, so the activity lists the decisions that
    created or changed it. One audit entry for the decision and one for the activity."""
    from samverkan.plans import services as plans

    if create_activity and change_activity:
        raise ValidationError(_("A decision either creates or changes an activity, not both."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the decision.")})
    activity, effect, changes = None, DecisionEffect.NONE, {}
    if create_activity:
        data = dict(create_activity)
        focus_area = data.pop("focus_area", None)
        if focus_area is None or focus_area.agreement_id != meeting.forum.agreement_id:
            raise ValidationError({"focus_area": _("Choose a focus area of the meeting's "
                                                   "agreement.")})
        if not (data.get("title") or "").strip():
            raise ValidationError({"title": _("Give the new activity a name.")})
        changes = {k: audit._plain(v) for k, v in data.items()
                   if k not in ("contributions", "is_example")}
        if meeting.is_example:  # what an example meeting decides is an example too
            data.setdefault("is_example", True)
        activity = plans.create_activity(actor=actor, focus_area=focus_area, **data)
        effect = DecisionEffect.CREATED
    elif change_activity:
        activity, new_values = change_activity
        if activity.agreement_id != meeting.forum.agreement_id:
            raise ValidationError({"activity": _("The activity belongs to another agreement.")})
        unknown = set(new_values) - set(DECISION_ACTIVITY_FIELDS)
        if unknown:
            raise ValidationError(_("A decision cannot change: %(fields)s") % {
                "fields": ", ".join(sorted(unknown))})
        new_values = {k: v for k, v in new_values.items() if v not in (None, "")
                      or k in ("sub_goal",)}
        if not new_values:
            raise ValidationError({"activity": _("Say what the decision changes in the "
                                                 "activity.")})
        activity = plans.update_activity(activity, actor=actor, **new_values)
        effect = DecisionEffect.CHANGED
        changes = {k: audit._plain(v) for k, v in new_values.items()}
    return _create_in_meeting(Decision, actor=actor, meeting=meeting, fields={
        "agenda_item": agenda_item, "text": text, "activity": activity, "effect": effect,
        "activity_changes": changes, **fields})


def update_decision(decision: Decision, *, actor, **fields) -> Decision:
    """Change the wording or the agenda item. The link to the activity is the record of what
    the decision did and is not changed here."""
    fields = {k: v for k, v in fields.items()
              if k not in ("activity", "effect", "activity_changes")}
    return _update_in_meeting(decision, actor=actor, fields=fields)


def delete_decision(decision: Decision, *, actor) -> None:
    """The activity the decision created or changed stays in the plan."""
    services.delete(decision, actor=actor)


# -- action items -------------------------------------------------------------------------------

def create_action_item(*, actor, meeting: Meeting, **fields) -> ActionItem:
    return _create_in_meeting(ActionItem, actor=actor, meeting=meeting, fields=fields)


def update_action_item(item: ActionItem, *, actor, **fields) -> ActionItem:
    return _update_in_meeting(item, actor=actor, fields=fields)


def set_action_item_status(item: ActionItem, *, actor, status: str) -> ActionItem:
    if status not in ActionItemStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    return services.update(item, actor=actor, data={"status": status})


def delete_action_item(item: ActionItem, *, actor) -> None:
    services.delete(item, actor=actor)


# -- compliance ---------------------------------------------------------------------------------

@transaction.atomic
def set_compliance_check(*, actor, agreement, key: str, checked: bool, note: str = "",
                         version: str = "", **fields) -> ComplianceCheck:
    """Tick (or untick) a checkpoint of the agreement's compliance page by hand; records who
    ticked it and when. One audit entry. `version`: the tick's version the form was opened
    at (optimistic locking): checked again here with the row locked, so a tick changed
    meanwhile is refused (`versioning.StaleVersion`) and nothing is overwritten."""
    if version:
        existing = ComplianceCheck.objects.filter(agreement=agreement, key=key).first()
        if existing is not None:
            versioning.check(existing, version)
    if key not in ComplianceKey.values:
        raise ValidationError({"key": _("Unknown checkpoint.")})
    if checked and _judged_from_records(agreement, key, actor):
        raise ValidationError({"checked": _(
            "This checkpoint is judged from the records and cannot be ticked by hand; enter "
            "the record it asks for instead.")})
    if checked and not note.strip():
        raise ValidationError({"note": _(
            "Write how and where it was done, e.g. the date and a link to the report.")})
    check = _save_compliance_check(actor=actor, agreement=agreement, key=key,
                                   checked=checked, note=note, **fields)
    record_compliance_history(agreement)
    return check


def _judged_from_records(agreement, key: str, actor) -> bool:
    """A checkpoint with a rule, or one whose registered sources can judge it for this
    agreement (a source says "nothing to judge" when, e.g., no pledge was given): the records
    decide, not a tick."""
    from .compliance import BY_KEY, context

    if BY_KEY[key].rule is not None:
        return True
    ctx = context(agreement, user=actor)
    return any(entry.source(ctx).met is not None for entry in checkpoints.sources(key))


def _save_compliance_check(*, actor, agreement, key, checked, note, **fields):
    existing = ComplianceCheck.objects.filter(agreement=agreement, key=key).first()
    stamp = {"checked_by": actor if checked and actor is not None
             and actor.is_authenticated else None,
             "checked_at": timezone.now() if checked else None}
    if existing is None:
        fields.pop("municipality", None)
        data = {"agreement": agreement, "key": key, "checked": checked, "note": note,
                **stamp, **fields}
        if "confidentiality" not in data:
            data["confidentiality"] = agreement.confidentiality
            if agreement.confidentiality == Confidentiality.RESTRICTED:
                data["restricted_to"] = list(agreement.restricted_to.all())
        return services.create(ComplianceCheck, actor=actor, data=data,
                               municipality=agreement.municipality)
    data = {"checked": checked, "note": note, **fields}
    if checked != existing.checked:
        data.update(stamp)
    data.pop("agreement", None)
    data.pop("key", None)
    return services.update(existing, actor=actor, data=data)


def delete_compliance_check(check: ComplianceCheck, *, actor) -> None:
    services.delete(check, actor=actor)
    record_compliance_history(check.agreement)


@transaction.atomic
def record_compliance_history(agreement, *, today=None) -> list[ComplianceChange]:
    """Write a history entry for every checkpoint whose verdict changed since its last entry.

    The verdict is judged on what everyone in the collaboration may read (never on restricted
    records), so the history shows no more than any reader of the agreement may see. Run after
    a hand tick and daily by `manage.py compliance_history` (cron).

    The entries are derived from the records (a log in their own right, append-only), so they
    write no audit entry of their own: the audit entry of the change that caused them (a hand
    tick, a new signatory, ...) says who did what."""
    from .compliance import compliance_lines

    lines = compliance_lines(agreement, user=None, today=today)
    latest = {}
    for change in ComplianceChange.objects.filter(agreement=agreement).order_by(
            "key", "-changed_at", "-pk"):
        latest.setdefault(change.key, change.status)
    written = []
    data = {"agreement": agreement, "confidentiality": agreement.confidentiality}
    restricted = (list(agreement.restricted_to.all())
                  if agreement.confidentiality == Confidentiality.RESTRICTED else None)
    for line in lines:
        if latest.get(line.key) == line.status:
            continue
        if line.key not in latest and line.status == ComplianceStatus.NOT_MEASURABLE:
            continue  # nothing has happened yet
        change = ComplianceChange.objects.create(
            **data, municipality=agreement.municipality, key=line.key, status=line.status,
            reason=line.summary,
            changed_by=(line.check.checked_by if line.status == ComplianceStatus.BY_HAND
                        and line.check is not None else None))
        if restricted is not None:
            change.restricted_to.set(restricted)
        written.append(change)
    return written
