"""Export an agreement's action plan as XLSX, CSV (the canonical import columns: the file
re-imports to the same plan) or DOCX (a document to put before the council).

``export_plan(agreement, fmt, user=None) -> bytes``. With ``user`` only what that user may
see is exported (pages and API); without it everything (the command line).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from samverkan.agreements.models import FocusArea, Party, SubGoal
from samverkan.core import cells, examples
from samverkan.core.documents import CONTENT_TYPES, Document
from samverkan.plans.choices import ContributionParty
from samverkan.plans.io.table import (
    ParsedActivity,
    ParsedFocusArea,
    ParsedIndicator,
    ParsedPlan,
    ParsedSubGoal,
    plan_to_rows,
)
from samverkan.plans.models import Activity, Indicator

FORMATS = ("xlsx", "csv", "docx")

# Column widths (characters) of the XLSX, by canonical header.
_WIDE = {"Exempel": 20, "Fokusområde": 34, "Delmål": 34, "Mål": 40, "Aktivitet": 44,
         "Beskrivning": 40, "Åtgärd kommun": 44, "Åtgärd polis": 40, "Åtgärd övriga": 32,
         "Ansvarig": 28, "När": 24, "Effekt": 40, "Kommunikation": 24, "Geografiskt område": 22,
         "Indikator": 36, "Orsak": 30, "Aktivitetens mål": 30, "Datakälla": 22}


def content_type(fmt: str) -> str:
    return CONTENT_TYPES[fmt]


def filename(agreement, fmt: str) -> str:
    """E.g. 'atgardsplan-eskilstuna-2016-2018.xlsx' (ASCII, safe in a header)."""
    import unicodedata

    name = unicodedata.normalize("NFKD", agreement.municipality.name)
    name = "".join(c for c in name if c.isascii() and (c.isalnum() or c == " "))
    name = "-".join(name.lower().split()) or "plan"
    return f"atgardsplan-{name}-{agreement.start_date:%Y}-{agreement.end_date:%Y}.{fmt}"


def export_plan(agreement, fmt: str, *, user=None) -> bytes:
    """The agreement's action plan as ``fmt`` ("xlsx", "csv" or "docx")."""
    if fmt == "xlsx":
        return _xlsx(plan_to_rows(plan_from_agreement(agreement, user=user)))
    if fmt == "csv":
        return _csv(plan_to_rows(plan_from_agreement(agreement, user=user)))
    if fmt == "docx":
        return plan_document(agreement, user=user).to_docx()
    raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")


# ------------------------------------------------------------------------- from database


def _visible(qs, user):
    return qs.visible_to(user) if user is not None else qs


def _number_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = value.normalize()
    text = f"{value:f}"
    return text.replace(".", ",")


def _parsed_indicator(indicator: Indicator) -> ParsedIndicator:
    return ParsedIndicator(
        row=0,
        name=indicator.name,
        goal_kind=indicator.goal_kind,
        unit=indicator.unit,
        direction=indicator.direction,
        baseline_value=indicator.baseline_value,
        baseline_text=indicator.baseline_text or _number_text(indicator.baseline_value),
        baseline_date=indicator.baseline_date,
        target_value=indicator.target_value,
        target_text=indicator.target_text or _number_text(indicator.target_value),
        target_date=indicator.target_date,
        data_source=indicator.data_source,
        sub_goal=indicator.sub_goal.text if indicator.sub_goal_id else None,
        example=indicator.is_example,
    )


def _contribution_text(activity: Activity, party: str) -> str:
    return "\n".join(c.text for c in activity.contributions.all() if c.party == party)


def _parsed_activity(activity: Activity, indicators: list[Indicator]) -> ParsedActivity:
    areas = [a.strip() for a in activity.areas_text.split(",") if a.strip()] \
        if activity.areas_text else [a.name for a in activity.priority_areas.all()]
    return ParsedActivity(
        row=0,
        title=activity.title,
        sub_goal=activity.sub_goal.text if activity.sub_goal_id else None,
        description=activity.description,
        cause=activity.cause,
        goal=activity.goal,
        status=activity.status,
        kind=activity.kind,
        municipality_action=_contribution_text(activity, ContributionParty.MUNICIPALITY),
        police_action=_contribution_text(activity, ContributionParty.POLICE),
        other_action=_contribution_text(activity, ContributionParty.OTHER),
        responsible_text=activity.responsible_text,
        timing_text=activity.timing_text,
        start_date=activity.start_date,
        end_date=activity.end_date,
        expected_effect=activity.expected_effect,
        communication=activity.communication,
        areas=areas,
        indicators=[_parsed_indicator(i) for i in indicators],
        example=activity.is_example,
    )


def plan_from_agreement(agreement, *, user=None) -> ParsedPlan:
    """The agreement's plan in the parser's shape, so ``plan_to_rows`` writes it."""
    plan = ParsedPlan()
    focus_areas = _visible(FocusArea.objects.filter(agreement=agreement), user) \
        .order_by("number", "pk")
    sub_goals = _visible(SubGoal.objects.filter(focus_area__agreement=agreement), user) \
        .order_by("focus_area", "number", "pk")
    activities = _visible(Activity.objects.filter(agreement=agreement), user) \
        .select_related("sub_goal").prefetch_related("contributions", "priority_areas") \
        .order_by("focus_area", "pk")
    indicators = _visible(Indicator.objects.filter(agreement=agreement), user) \
        .select_related("sub_goal").order_by("pk")
    by_activity: dict[int, list[Indicator]] = {}
    by_area: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        if indicator.activity_id:
            by_activity.setdefault(indicator.activity_id, []).append(indicator)
        else:
            area_id = indicator.focus_area_id or indicator.sub_goal.focus_area_id
            by_area.setdefault(area_id, []).append(indicator)
    for area in focus_areas:
        parsed = ParsedFocusArea(number=area.number, title=area.title, goal=area.goal)
        parsed.sub_goals = [ParsedSubGoal(sg.number, sg.text, 0) for sg in sub_goals
                            if sg.focus_area_id == area.pk]
        parsed.activities = [_parsed_activity(a, by_activity.get(a.pk, []))
                             for a in activities if a.focus_area_id == area.pk]
        parsed.indicators = [_parsed_indicator(i) for i in by_area.get(area.pk, [])]
        plan.focus_areas.append(parsed)
    return plan


# --------------------------------------------------------------------------------- files


def _csv(rows: list[list[str]]) -> bytes:
    """UTF-8 with BOM and ``;``: what Swedish Excel opens directly."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(
        [[cells.neutralise(value) for value in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Åtgärdsplan"
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([value if value != "" else None for value in row])
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    for cell in sheet[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = wrap
    headers = rows[0]
    focus_col = headers.index("Fokusområde") + 1
    for row in sheet.iter_rows(min_row=2):
        heading = row[focus_col - 1].value not in (None, "")
        for cell in row:
            cells.as_text_cell(cell)
            cell.alignment = wrap
            if heading:
                cell.font = header_font
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDE.get(header, 14)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------- DOCX


def _date(value: dt.date | None) -> str:
    return formats.date_format(value, "Y-m-d") if value else ""


def _value_with_date(text: str, date: dt.date | None, *, end: bool = False) -> str:
    """"2 (2016)": a date that stands for a whole year (the parser reads a bare year as its
    first day for baselines, its last day for targets) is shown as the year."""
    if not text:
        return ""
    if date is None:
        return text
    whole_year = (date.month, date.day) == ((12, 31) if end else (1, 1))
    return f"{text} ({date.year if whole_year else _date(date)})"


def plan_document(agreement, *, user=None) -> Document:
    """The plan as a document for the council: title page, parties and period, focus areas
    with goals and problem descriptions, activity tables and indicators."""
    plan = plan_from_agreement(agreement, user=user)
    areas = {(a.number, a.title): a for a in _visible(
        FocusArea.objects.filter(agreement=agreement), user)}
    doc = Document(
        _("Action plan: %(title)s") % {"title": agreement.title},
        subtitle=f"{agreement.municipality.name} · {_date(agreement.start_date)} – "
                 f"{_date(agreement.end_date)}",
        title_page=True,
    )
    doc.heading(_("Parties and period"))
    facts = [
        (_("Agreement"), agreement.title),
        (_("Municipality"), agreement.municipality.name),
        (_("Period"), f"{_date(agreement.start_date)} – {_date(agreement.end_date)}"),
        (_("Status"), agreement.get_status_display()),
    ]
    if agreement.council_decision_date:
        facts.append((_("Council decision"), _date(agreement.council_decision_date)))
    doc.key_values(facts)
    parties = _visible(Party.objects.filter(agreement=agreement), user) \
        .select_related("organization")
    doc.bullets(f"{p.organization.name} ({p.get_role_display().lower()})" for p in parties)
    if agreement.overall_goal:
        doc.heading(_("Overall goal"), 2)
        doc.paragraph(agreement.overall_goal)
    examples.note_document(doc, show=any(a.example or any(i.example for i in a.indicators)
                                         for a in plan.activities))

    header = [_("Activity"), _("Municipality action"), _("Police action"), _("Responsible"),
              _("When"), _("Effect")]
    for parsed in plan.focus_areas:
        area = areas.get((parsed.number, parsed.title))
        doc.page_break()
        title = f"{parsed.number}. {parsed.title}" if parsed.number else parsed.title
        doc.heading(title)
        if parsed.goal:
            doc.heading(_("Goal"), 2)
            doc.paragraph(parsed.goal)
        if area is not None and area.problem_description:
            doc.heading(_("Problem description"), 2)
            doc.paragraph(area.problem_description)
        if parsed.sub_goals:
            doc.heading(_("Sub-goals"), 2)
            doc.bullets(f"{sg.number}. {sg.text}" if sg.number else sg.text
                        for sg in parsed.sub_goals)
        doc.heading(_("Activities"), 2)
        if parsed.activities:
            rows = []
            for act in parsed.activities:
                other = f"\n{_('Others')}: {act.other_action}" if act.other_action else ""
                title = f"{act.title} ({examples.LABEL})" if act.example else act.title
                rows.append([title, act.municipality_action, act.police_action + other,
                             act.responsible_text, act.timing_text, act.expected_effect])
            doc.table(header, rows, widths=[3, 3, 3, 2, 1.6, 2.6])
        else:
            doc.paragraph(_("No activities yet."), italic=True)
        indicator_rows = []
        for ind in parsed.indicators:
            indicator_rows.append(_indicator_row(ind, ind.sub_goal or parsed.title))
        for act in parsed.activities:
            for ind in act.indicators:
                indicator_rows.append(_indicator_row(ind, act.title))
        if indicator_rows:
            doc.heading(_("Indicators"), 2)
            doc.table([_("Indicator"), _("Concerns"), _("Baseline"), _("Target"), _("Unit")],
                      indicator_rows, widths=[3, 3, 1.6, 1.6, 1.2])
    return doc


def _indicator_row(ind: ParsedIndicator, subject: str) -> list[str]:
    name = f"{ind.name} ({examples.LABEL})" if ind.example else ind.name
    return [name, subject, _value_with_date(ind.baseline_text, ind.baseline_date),
            _value_with_date(ind.target_text, ind.target_date, end=True), ind.unit]
