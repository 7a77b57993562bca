"""The agenda and the minutes of a meeting as one document description (DOCX and PDF through
`samverkan.core.documents`)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from samverkan.core import examples
from samverkan.core.documents import Document

from .choices import DecisionEffect


def _when(meeting) -> str:
    text = f"{meeting.date:%Y-%m-%d}"
    if meeting.start_time:
        text += f" {meeting.start_time:%H:%M}"
        if meeting.end_time:
            text += f"–{meeting.end_time:%H:%M}"
    return text


def _facts(meeting) -> list[tuple[str, str]]:
    forum = meeting.forum
    pairs = [(_("Forum"), str(forum)), (_("Agreement"), forum.agreement.title),
             (_("When"), _when(meeting))]
    if meeting.place:
        pairs.append((_("Place"), meeting.place))
    pairs.append((_("Status"), meeting.get_status_display()))
    return pairs


def _name(attendance) -> str:
    name = attendance.name
    org = attendance.organization
    if org is not None and str(org) not in name:
        name = f"{name} ({org})"
    return name


def _items(meeting, reader):
    return list(meeting.agenda_items.visible_to(reader).select_related(
        "focus_area", "activity", "deviation", "followup_round").order_by("order", "pk"))


def _links(item) -> str:
    parts = []
    if item.focus_area_id:
        parts.append(_("Focus area: %(x)s") % {"x": item.focus_area})
    if item.activity_id:
        parts.append(_("Activity: %(x)s") % {"x": item.activity})
    if item.followup_round_id:
        parts.append(_("Follow-up round: %(x)s") % {"x": item.followup_round})
    return "; ".join(parts)


def agenda_document(meeting, reader) -> Document:
    """The agenda as `reader` may read it (items, links and invitees they may see)."""
    doc = Document(_("Agenda: %(meeting)s") % {"meeting": meeting.title or meeting.forum},
                   subtitle=_when(meeting) + (f", {meeting.place}" if meeting.place else ""))
    examples.note_document(doc, [meeting])
    doc.key_values(_facts(meeting))
    invited = list(meeting.attendances.visible_to(reader).select_related("member",
                                                                         "organization"))
    items = _items(meeting, reader)
    doc.heading(_("Agenda"))
    if items:
        doc.table([_("No."), _("Item"), _("Description")],
                  [[str(number), item.title, "\n".join(p for p in (item.description,
                                                                   _links(item)) if p)]
                   for number, item in enumerate(items, start=1)],
                  widths=[1, 6, 9])
    else:
        doc.paragraph(_("The agenda has no items yet."), italic=True)
    if invited:
        doc.heading(_("Invited"), level=2)
        doc.bullets(_name(a) for a in invited)
    return doc


def minutes_document(meeting, reader) -> Document:
    """The minutes as `reader` may read them."""
    doc = Document(_("Minutes: %(meeting)s") % {"meeting": meeting.title or meeting.forum},
                   subtitle=_when(meeting) + (f", {meeting.place}" if meeting.place else ""))
    examples.note_document(doc, [meeting])
    doc.key_values(_facts(meeting))
    attendances = list(meeting.attendances.visible_to(reader).select_related("member",
                                                                             "organization"))
    present = [_name(a) for a in attendances if a.present and not a.is_guest]
    guests = [_name(a) for a in attendances if a.present and a.is_guest]
    absent = [_name(a) for a in attendances if not a.present and not a.is_guest]
    doc.heading(_("Attendance"))
    doc.paragraph(_("Present"), bold=True)
    if present:
        doc.bullets(present)
    else:
        doc.paragraph("–")
    if guests:
        doc.paragraph(_("Co-opted guests"), bold=True)
        doc.bullets(guests)
    if absent:
        doc.paragraph(_("Absent"), bold=True)
        doc.bullets(absent)

    decisions = list(meeting.decisions.visible_to(reader).select_related("activity",
                                                                         "agenda_item"))
    actions = list(meeting.action_items.visible_to(reader).select_related("organization",
                                                                          "agenda_item"))
    doc.heading(_("Items"))
    for number, item in enumerate(_items(meeting, reader), start=1):
        doc.heading(f"{number}. {item.title}", level=2)
        doc.paragraph(item.description, italic=True, small=True)
        doc.paragraph(item.minutes or _("No minutes recorded."), italic=not item.minutes)
        item_decisions = [d for d in decisions if d.agenda_item_id == item.pk]
        if item_decisions:
            doc.paragraph(_("Decisions"), bold=True)
            doc.bullets(_decision_line(d) for d in item_decisions)
        item_actions = [a for a in actions if a.agenda_item_id == item.pk]
        if item_actions:
            doc.paragraph(_("Action items"), bold=True)
            doc.bullets(_action_line(a) for a in item_actions)

    doc.heading(_("Decisions"))
    if decisions:
        doc.table([_("No."), _("Decision"), _("Effect on the action plan")],
                  [[str(n), d.text, _effect(d)] for n, d in enumerate(decisions, start=1)],
                  widths=[1, 9, 6])
    else:
        doc.paragraph(_("No decisions were recorded."), italic=True)
    doc.heading(_("Action items"))
    if actions:
        doc.table([_("What"), _("Who"), _("Due"), _("Status")],
                  [[a.what, a.who, f"{a.due_date:%Y-%m-%d}" if a.due_date else "",
                    a.get_status_display()] for a in actions],
                  widths=[8, 5, 2.5, 2.5])
    else:
        doc.paragraph(_("No action items were recorded."), italic=True)
    return doc


def _effect(decision) -> str:
    if decision.effect == DecisionEffect.CREATED and decision.activity_id:
        return _("Created the activity “%(activity)s”") % {"activity": decision.activity}
    if decision.effect == DecisionEffect.CHANGED and decision.activity_id:
        return _("Changed the activity “%(activity)s”") % {"activity": decision.activity}
    return ""


def _decision_line(decision) -> str:
    effect = _effect(decision)
    return f"{decision.text} ({effect})" if effect else decision.text


def _action_line(item) -> str:
    parts = [item.what]
    if item.who:
        parts.append(item.who)
    if item.due_date:
        parts.append(_("due %(date)s") % {"date": f"{item.due_date:%Y-%m-%d}"})
    return " – ".join(parts)
