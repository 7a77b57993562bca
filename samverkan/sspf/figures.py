"""The figures the whole collaboration may see: counts, never people.

Inflow (cases started) and outflow (cases closed) per period, area, sex and age group; the
outcomes at closure; the number of young people broken loose against the plan's target. Every
count from 1 to `threshold - 1` is suppressed ("färre än 5"), and when a breakdown would let a
suppressed count be worked out from its total (exactly one suppressed cell), the next smallest
cell is suppressed too. The same `Figures` feed the page, the API, the CSV and the Word/PDF
document, so the suppression holds on every channel.

Reads only non-identifying columns of `Case` (never names or numbers), and does not go through
`Case.objects.visible_to`: that is the point of the figures. The reader must be able to read the
programme (`Programme.objects.visible_to`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .choices import AGE_GROUPS, CaseStatus, Sex
from .models import Case, Programme

COLUMNS = ("programme_id", "area_id", "area__name", "sex", "age_group", "started_on",
           "closed_on", "status", "left_criminal_environment", "in_education_or_work",
           "new_suspicion_12_months")


@dataclass
class Cell:
    count: int
    suppressed: bool = False

    def display(self, threshold: int) -> str:
        if self.suppressed:
            return _("fewer than %(n)d") % {"n": threshold}
        return str(self.count)

    def value(self) -> int | None:
        """For the API and spreadsheets: None when suppressed."""
        return None if self.suppressed else self.count


@dataclass
class Breakdown:
    """One count split by one dimension (e.g. inflow by sex), with its total."""

    label: str
    total: Cell
    rows: list[tuple[str, Cell]] = field(default_factory=list)


@dataclass
class PeriodFigures:
    period: str
    inflow: list[Breakdown]
    outflow: list[Breakdown]

    def table(self) -> list[tuple[str, str | None, Cell, Cell]]:
        """(breakdown, group or None for the total, inflow, outflow) for a page table."""
        rows = []
        for into, out in zip(self.inflow, self.outflow, strict=True):
            rows.append((into.label, None, into.total, out.total))
            rows.extend((into.label, group, cell_in, cell_out) for (group, cell_in), (
                _g, cell_out) in zip(into.rows, out.rows, strict=True))
        return rows


@dataclass
class Figures:
    programme: Programme
    threshold: int
    periods: list[PeriodFigures]
    active: Cell
    closed: Cell
    outcomes: list[tuple[str, Cell]]
    broken_loose: Cell
    target: int | None


def _suppress(cells: list[Cell], threshold: int) -> None:
    """Primary suppression of small counts, then secondary: a single suppressed cell in a group
    whose total is shown would be given away by subtraction."""
    for c in cells:
        c.suppressed = 0 < c.count < threshold
    hidden = [c for c in cells if c.suppressed]
    if len(hidden) == 1:
        others = sorted((c for c in cells if not c.suppressed and c.count > 0),
                        key=lambda c: c.count)
        if others:
            others[0].suppressed = True


def _total(count: int, threshold: int) -> Cell:
    return Cell(count, 0 < count < threshold)


def _period_key(day: dt.date, granularity: str) -> str:
    if granularity == "tertial":
        return f"{day.year} T{(day.month - 1) // 4 + 1}"
    return str(day.year)


def _breakdowns(rows: list[dict], threshold: int, areas: list[str]) -> list[Breakdown]:
    total = len(rows)
    result = []
    sexes = [(str(label), value) for value, label in Sex.choices]
    dims = [
        (_("by area"), [(name or _("No area"), name) for name in areas], "area__name"),
        (_("by sex"), sexes, "sex"),
        (_("by age group"), [(label, label) for _low, _high, label in AGE_GROUPS],
         "age_group"),
    ]
    for label, values, key in dims:
        cells = [(shown, Cell(sum(1 for r in rows if (r[key] or None) == (value or None))))
                 for shown, value in values]
        _suppress([c for _s, c in cells], threshold)
        result.append(Breakdown(label, _total(total, threshold), cells))
    return result


def build(programme: Programme, *, granularity: str = "year") -> Figures:
    threshold = max(1, programme.suppression_threshold)
    rows = list(Case.objects.filter(programme=programme).values(*COLUMNS))
    areas = sorted({r["area__name"] or "" for r in rows})
    keys = sorted({_period_key(r["started_on"], granularity) for r in rows}
                  | {_period_key(r["closed_on"], granularity) for r in rows if r["closed_on"]})
    periods = []
    for key in keys:
        started = [r for r in rows if _period_key(r["started_on"], granularity) == key]
        closed = [r for r in rows if r["closed_on"]
                  and _period_key(r["closed_on"], granularity) == key]
        periods.append(PeriodFigures(key, _breakdowns(started, threshold, areas),
                                     _breakdowns(closed, threshold, areas)))
    closed_rows = [r for r in rows if r["status"] == CaseStatus.CLOSED]
    active = sum(1 for r in rows if r["status"] != CaseStatus.CLOSED)
    outcome_cells = [
        (_("Left the criminal environment"),
         Cell(sum(1 for r in closed_rows if r["left_criminal_environment"]))),
        (_("In education or work"),
         Cell(sum(1 for r in closed_rows if r["in_education_or_work"]))),
        (_("New suspicion of crime within 12 months"),
         Cell(sum(1 for r in closed_rows if r["new_suspicion_12_months"]))),
        (_("Not yet known whether suspected again"),
         Cell(sum(1 for r in closed_rows if r["new_suspicion_12_months"] is None))),
    ]
    for _label, cell in outcome_cells:  # each outcome is its own yes/no split of the closed
        cell.suppressed = 0 < cell.count < threshold \
            or 0 < len(closed_rows) - cell.count < threshold
    broken = sum(1 for r in closed_rows if r["left_criminal_environment"])
    return Figures(programme=programme, threshold=threshold, periods=periods,
                   active=_total(active, threshold),
                   closed=_total(len(closed_rows), threshold), outcomes=outcome_cells,
                   broken_loose=_total(broken, threshold),
                   target=programme.target_broken_loose)


def as_rows(figures: Figures) -> list[list[str]]:
    """The figures as table rows (period, flow, breakdown, group, count): CSV and documents."""
    t = figures.threshold
    rows = []
    for period in figures.periods:
        for flow, breakdowns in ((_("Inflow"), period.inflow), (_("Outflow"), period.outflow)):
            for bd in breakdowns:
                rows.append([period.period, flow, str(bd.label), _("Total"),
                             bd.total.display(t)])
                rows.extend([period.period, flow, str(bd.label), str(group), cell.display(t)]
                            for group, cell in bd.rows)
    return rows


def as_dict(figures: Figures) -> dict:
    """For the API: suppressed counts are null with `suppressed: true`."""
    def cell(c: Cell) -> dict:
        return {"count": c.value(), "suppressed": c.suppressed}

    def breakdowns(items):
        return [{"dimension": str(b.label), "total": cell(b.total),
                 "groups": [{"group": str(g), **cell(c)} for g, c in b.rows]} for b in items]

    return {
        "programme": figures.programme.pk,
        "threshold": figures.threshold,
        "active": cell(figures.active),
        "closed": cell(figures.closed),
        "broken_loose": cell(figures.broken_loose),
        "target": figures.target,
        "outcomes": [{"outcome": str(label), **cell(c)} for label, c in figures.outcomes],
        "periods": [{"period": p.period, "inflow": breakdowns(p.inflow),
                     "outflow": breakdowns(p.outflow)} for p in figures.periods],
    }


def document(figures: Figures):
    """A Word/PDF document of the figures (the same suppression)."""
    from samverkan.core.documents import Document

    t = figures.threshold
    doc = Document(_("Individual-level collaboration: figures"),
                   subtitle=str(figures.programme))
    doc.paragraph(_("Counts of young people, never persons. Groups smaller than %(n)d are "
                    "not shown.") % {"n": t}, italic=True)
    target = str(figures.target) if figures.target is not None else "–"
    doc.key_values([
        (_("Ongoing cases"), figures.active.display(t)),
        (_("Closed cases"), figures.closed.display(t)),
        (_("Broken loose"), figures.broken_loose.display(t)),
        (_("Target"), target),
    ])
    doc.heading(_("Outcomes at closure"), 2)
    doc.table([_("Outcome"), _("Number")], [[str(label), c.display(t)]
                                             for label, c in figures.outcomes])
    doc.heading(_("Inflow and outflow"), 2)
    doc.table([_("Period"), _("Flow"), _("Breakdown"), _("Group"), _("Number")],
              as_rows(figures))
    return doc


def yearly_sections(user, municipality, year: int) -> list:
    """The figures of each programme the reader may see, for the yearly situation picture
    (`samverkan.situation.yearly.register_section`): counts only, the same suppression."""
    from samverkan.situation.yearly import YearlySection

    sections = []
    for programme in Programme.objects.visible_to(user).filter(municipality=municipality):
        fig = build(programme)
        t = fig.threshold
        period = next((p for p in fig.periods if p.period == str(year)), None)
        inflow = period.inflow[0].total if period else Cell(0)
        outflow = period.outflow[0].total if period else Cell(0)
        broken_label = (_("Broken loose so far (target %(target)s)") % {"target": fig.target}
                        if fig.target is not None else _("Broken loose so far"))
        sections.append(YearlySection(
            title=_("Individual-level collaboration: %(name)s") % {"name": programme.name},
            paragraphs=[_("Counts of young people, never persons. Groups smaller than %(n)d "
                          "are not shown.") % {"n": t}],
            header=[_("Figure"), _("Number")],
            rows=[[_("Inflow %(year)s") % {"year": year}, inflow.display(t)],
                  [_("Outflow %(year)s") % {"year": year}, outflow.display(t)],
                  [_("Ongoing cases"), fig.active.display(t)],
                  [broken_label, fig.broken_loose.display(t)],
                  *[[str(label), c.display(t)] for label, c in fig.outcomes]]))
    return sections
