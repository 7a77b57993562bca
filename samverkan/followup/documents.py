"""The follow-up report of a round: what the coordinator takes to the strategic council and
the municipal council. One description (`samverkan.core.documents.Document`) gives DOCX and
PDF; charts are matplotlib PNGs (`samverkan.core.charts`)."""
from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from samverkan.core import charts, examples
from samverkan.core.documents import Document

from . import hooks, services
from .choices import ReportStatus
from .models import Deviation, FollowUpRound

STATUS_COLOURS = {"green": "#2e8540", "yellow": "#f2c200", "red": "#d32f2f",
                  "done": "#1e5b32", "cancelled": "#9aa5b1"}


def _d(day) -> str:
    return day.isoformat() if day else ""


def _num(value) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}".replace(".", ",")


def followup_report(round: FollowUpRound, user, *, language: str | None = None) -> Document:
    """The report of `round` as `user` may see it (in the installation's language unless
    `language` is given)."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return _build(round, user)


def _effects_section(doc: Document, agreement, user) -> None:
    """Did it work? The activities with an evaluation, each with its verdict and
    uncertainty, for what ``user`` may see."""
    from samverkan.evaluation.computed import evaluate
    from samverkan.evaluation.models import ActivityEvaluation

    evaluations = list(ActivityEvaluation.objects.visible_to(user)
                       .filter(activity__agreement=agreement)
                       .select_related("activity", "area", "comparison_area"))
    doc.heading(_("Did it work?"))
    if not evaluations:
        doc.paragraph(_("No activity has been evaluated against a comparison area."),
                      italic=True)
        return
    for evaluation in evaluations:
        result = evaluate(evaluation, user)
        doc.heading(evaluation.activity.title, level=2)
        if result.windows:
            doc.paragraph(_("%(area)s against %(comparison)s; before %(before)s, after "
                            "%(after)s.") % {
                "area": evaluation.area.name if evaluation.area else "–",
                "comparison": evaluation.comparison_area.name
                if evaluation.comparison_area else "–",
                "before": result.before_label, "after": result.after_label}, small=True)
        doc.paragraph(result.verdict_text)
        if result.displacement is not None:
            doc.paragraph(result.displacement_text)


def _hook_section(doc: Document, section: hooks.RoundSection) -> None:
    """A section another app adds to the round (`hooks.register_round_section`)."""
    doc.heading(section.title)
    if section.intro:
        doc.paragraph(section.intro)
    if section.rows:
        doc.table(section.columns,
                  [[examples.marked(cell.text, cell.record) if cell.record is not None
                    else cell.text for cell in row] for row in section.rows],
                  widths=section.widths)
    elif section.empty:
        doc.paragraph(section.empty, italic=True)
    for note in section.notes:
        doc.paragraph(note)


def _build(round: FollowUpRound, user) -> Document:
    agreement = round.agreement
    rows = services.expected_reports(round, reader=user)
    submitted = [r for r in rows if r.is_submitted]
    missing = [r for r in rows if not r.is_submitted]
    doc = Document(_("Follow-up %(round)s") % {"round": round.label},
                   subtitle=f"{agreement.title} · {agreement.municipality.name}")

    examples.note_document(doc, [row.activity for row in rows])
    doc.heading(_("Summary"))
    status_labels = dict(ReportStatus.choices)
    counts = defaultdict(int)
    for row in submitted:
        counts[row.report.status] += 1
    deviations = list(Deviation.objects.visible_to(user)
                      .filter(activity__agreement=agreement, report__round=round)
                      .select_related("activity"))
    doc.key_values([
        (_("Period"), f"{_d(round.period_start)} – {_d(round.period_end)}"),
        (_("Reports due"), _d(round.due_date)),
        (_("Forum"), str(round.forum) if round.forum else "–"),
        (_("Status of the round"), round.get_status_display()),
        (_("Reports expected"), len(rows)),
        (_("Reports written"), len(submitted)),
        (_("Reports missing"), len(missing)),
        (_("Deviations raised"), len(deviations)),
    ] + [(label, counts[key]) for key, label in status_labels.items() if counts[key]])
    if submitted:
        keys = [k for k in status_labels if counts[k]]
        doc.image(charts.bar_chart([str(status_labels[k]) for k in keys],
                                   [counts[k] for k in keys],
                                   colors=[STATUS_COLOURS[k] for k in keys],
                                   title=_("Reports by status"), xlabel=_("Reports")),
                  width_cm=14, caption=_("Reports by status"))

    doc.heading(_("Activities per focus area"))
    by_area = defaultdict(list)
    for row in submitted:
        by_area[row.activity.focus_area].append(row)
    if not by_area:
        doc.paragraph(_("No reports have been written yet."), italic=True)
    for area in sorted(by_area, key=lambda a: (a.number or 0, a.pk)):
        doc.heading(str(area), level=2)
        doc.table(
            [_("Activity"), _("Organisation"), _("Status"), _("What was done"),
             _("Who collaborated"), _("Observed effects")],
            [[examples.marked(row.activity.title, row.report), row.organization,
              row.report.get_status_display(), row.report.what_was_done,
              row.report.collaborated_with, row.report.effects_seen]
             for row in by_area[area]],
            widths=[3, 2, 1.4, 3.2, 2.2, 2.6])

    doc.heading(_("Deviations"))
    if deviations:
        doc.table([_("Activity"), _("Kind"), _("Reason"), _("Proposed action"), _("Opened"),
                   _("Resolved")],
                  [[examples.marked(d.activity.title, d), d.get_kind_display(), d.reason,
                    d.proposed_action, _d(d.opened_on), _d(d.resolved_on) or _("open")]
                   for d in deviations],
                  widths=[3, 1.3, 3, 3, 1.5, 1.5])
    else:
        doc.paragraph(_("No deviations were raised in this round."), italic=True)

    data = services.dashboard_data(agreement, user)
    measured = [row for row in data["indicators"] if row["measurements"]]
    doc.heading(_("Indicators"))
    if data["indicators"]:
        doc.table([_("Indicator"), _("Baseline"), _("Latest value"), _("Target"),
                   _("Target attainment")],
                  [[examples.marked(row["indicator"].name, row["indicator"]),
                    row["indicator"].baseline_text or _num(row["indicator"].baseline_value),
                    f"{_num(row['latest'].value)} ({_d(row['latest'].measured_on)})"
                    if row["latest"] else "–",
                    row["indicator"].target_text or _num(row["indicator"].target_value),
                    f"{row['percent']} %" if row["percent"] is not None else "–"]
                   for row in data["indicators"]],
                  widths=[4.5, 1.6, 2.2, 1.6, 1.6])
    else:
        doc.paragraph(_("The plan has no indicators."), italic=True)
    for row in measured:
        indicator = row["indicator"]
        doc.image(charts.indicator_chart(
            [m.measured_on for m in row["measurements"]],
            [m.value for m in row["measurements"]],
            baseline=float(indicator.baseline_value) if indicator.baseline_value is not None
            else None,
            target=float(indicator.target_value) if indicator.target_value is not None
            else None,
            baseline_date=indicator.baseline_date, title=indicator.name[:80],
            unit=indicator.unit), width_cm=15, caption=indicator.name)

    for row in data["indicators"]:
        if row.get("computed") is not None:
            doc.paragraph(f"{row['indicator'].name}: {row['computed'].verdict_text}")
    _effects_section(doc, agreement, user)
    for section in hooks.round_sections(round, user):
        _hook_section(doc, section)

    doc.heading(_("Reports still missing"))
    if missing:
        doc.table([_("Activity"), _("Focus area"), _("Organisation")],
                  [[examples.marked(row.activity.title, row.activity), row.activity.focus_area,
                    row.organization or _("No responsible organisation")] for row in missing],
                  widths=[4, 3, 2.5])
    else:
        doc.paragraph(_("Every expected report has been written."))
    return doc
