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
    invited = list(meeting.attendances.visible_to(reader).select_related(
        "member", "organization"))
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
    attendances = list(meeting.attendances.visible_to(reader).select_related(
        "member", "organization"))
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
    actions = list(meeting.action_items.visible_to(reader).select_related(
        "organization", "agenda_item"))
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


def compliance_document(agreement, groups, history, *, base_url: str = "") -> Document:
    """The compliance page for the council's annual follow-up: every checkpoint with its
    verdict, the evidence it rests on (what the reader may see) and the history."""
    from django.utils import timezone

    from samverkan.core import law

    doc = Document(_("Are we doing what the law and Brå ask?"),
                   subtitle=f"{agreement.title} – {timezone.localdate():%Y-%m-%d}")
    lines = [line for group in groups for line in group.lines]
    examples.note_document(doc, show=any(e.is_example for line in lines
                                         for e in line.evidence))
    doc.paragraph(_("Judged from the records the person who made this document may read. "
                    "Checkpoints marked “Law” are duties under %(act)s; the others are the "
                    "checkpoints of Brå's five-step model.") % {"act": law.ACT}, small=True)
    doc.key_values([
        (_("Done"), sum(1 for line in lines if line.met)),
        (_("Not done"), sum(1 for line in lines if line.status == "not_met")),
        (_("Not measurable yet"), sum(1 for line in lines if line.status == "not_measurable")),
    ])
    for group in groups:
        doc.heading(group.label)
        doc.table([_("Checkpoint"), _("Status"), _("From the data"), _("Date")],
                  [[line.label + (f" ({_('Law')})" if line.law else ""), line.status_label,
                    line.summary, f"{line.date:%Y-%m-%d}" if line.date else ""]
                   for line in group.lines], widths=[5, 2.5, 7, 2])
        for line in group.lines:
            if line.quote:
                doc.paragraph(_("4 § %(act)s, on the content of the situation picture: "
                                "%(quote)s") % {"act": law.ACT, "quote": line.quote},
                              italic=True, small=True)
            if line.check is not None and line.check.checked:
                who = line.check.checked_by
                doc.paragraph(_("%(label)s: ticked by hand by %(who)s: %(note)s") % {
                    "label": line.label,
                    "who": (who.get_full_name() or who.username) if who else "–",
                    "note": line.check.note}, small=True)
        rows = [[line.label, e.label + (f" [{_('example')}]" if e.is_example else ""),
                 f"{base_url}{e.url}" if e.url else "", f"{e.date:%Y-%m-%d}" if e.date else ""]
                for line in group.lines for e in line.evidence]
        if rows:
            doc.heading(_("Evidence"), level=2)
            doc.table([_("Checkpoint"), _("Record"), _("Link"), _("Date")], rows,
                      widths=[4, 5, 6, 2])
    history = list(history)
    doc.heading(_("History"))
    if history:
        doc.table([_("When"), _("Checkpoint"), _("Status"), _("Why")],
                  [[f"{timezone.localtime(c.changed_at):%Y-%m-%d %H:%M}", c.get_key_display(),
                    c.get_status_display(), c.reason] for c in history],
                  widths=[3, 5, 2.5, 7])
    else:
        doc.paragraph(_("No changes recorded yet."), italic=True)
    return doc
