"""What the pages and documents show: a computed indicator's values with the significance of
its change, and an activity's evaluation (before/after against a comparison area, and the
buffer zone around its area). Reads only what the user may see."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import shapely
from django.utils.translation import gettext as _

from samverkan.analysis import RateComparison, compare_rates, wgs84_to_sweref99tm
from samverkan.analysis.effect import Displacement, Effect, displacement, effect
from samverkan.core import numbers
from samverkan.situation import picture
from samverkan.situation import services as situation_services
from samverkan.situation.models import IncidentArea

from . import periods as period_rules
from .choices import Measure
from .models import ActivityEvaluation, IndicatorDefinition, IndicatorValue
from .services import _local, period_counts


def p_text(p: float) -> str:
    """'p = 0,03', or 'p < 0,001' for the smallest values."""
    return f"p < {numbers.decimal(0.001, 3)}" if p < 0.001 else f"p = {numbers.decimal(p, 3)}"


def _fmt(value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}".replace(".", ",") if digits else f"{value:.0f}"
    return text.replace("-", "−")


# -- computed indicators -----------------------------------------------------------------------


@dataclass
class ComputedIndicator:
    definition: IndicatorDefinition
    values: list[IndicatorValue]
    baseline: IndicatorValue | None
    latest: IndicatorValue | None
    comparison: RateComparison | None
    verdict: str  # "towards", "away", "within_chance", "no_comparison"

    @property
    def is_rate(self) -> bool:
        return self.definition.measure == Measure.RATE

    def label(self, value: IndicatorValue) -> str:
        return period_rules.label(self.definition.period, value.period_start)

    @property
    def rows(self) -> list[dict]:
        """The values, newest first, with their period's name (e.g. "T2 2026")."""
        base = self.baseline.pk if self.baseline else None
        return [{"value": v, "label": self.label(v), "baseline": v.pk == base}
                for v in reversed(self.values)]

    @property
    def latest_value(self) -> Decimal | None:
        return None if self.latest is None else Decimal(str(round(self.latest.value, 4)))

    @property
    def verdict_text(self) -> str:
        if self.verdict == "no_comparison" or self.comparison is None:
            return _("Two complete periods are needed before a change can be judged.")
        c = self.comparison
        where = {"base": self.label(self.baseline), "latest": self.label(self.latest),
                 "k1": c.k1, "k2": c.k2, "p": p_text(c.p)}
        if self.verdict == "towards":
            return _("The change from %(base)s (%(k1)s incidents) to %(latest)s (%(k2)s) is "
                     "towards the target and statistically significant (%(p)s).") % where
        if self.verdict == "away":
            return _("The change from %(base)s (%(k1)s incidents) to %(latest)s (%(k2)s) is "
                     "away from the target and statistically significant (%(p)s).") % where
        return _("The change from %(base)s (%(k1)s incidents) to %(latest)s (%(k2)s) is within "
                 "chance: not statistically significant (%(p)s).") % where


def computed_indicator(indicator, user) -> ComputedIndicator | None:
    """The computed values of ``indicator`` (None when it is typed in, or its definition is
    not visible to ``user``)."""
    definition = (IndicatorDefinition.objects.visible_to(user).filter(indicator=indicator)
                  .select_related("area", "municipality").first())
    if definition is None:
        return None
    values = list(definition.values.order_by("period_start"))
    complete = [v for v in values if v.complete]
    baseline = None
    if indicator.baseline_date is not None:
        baseline = next((v for v in complete if v.period_start <= indicator.baseline_date
                         < v.period_end), None)
    if baseline is None and complete:
        baseline = complete[0]
    latest = complete[-1] if complete else None
    comparison, verdict = None, "no_comparison"
    if baseline is not None and latest is not None and latest.pk != baseline.pk:
        pop = latest.population or 1
        comparison = compare_rates(
            baseline.count, (baseline.period_end - baseline.period_start).days * (
                baseline.population or 1),
            latest.count, (latest.period_end - latest.period_start).days * pop)
        verdict = "within_chance"
        if comparison.significant:
            wanted = "decrease" if indicator.direction == "lower" else "increase"
            verdict = "towards" if comparison.direction == wanted else "away"
    return ComputedIndicator(definition=definition, values=values, baseline=baseline,
                             latest=latest, comparison=comparison, verdict=verdict)


def computed_measurements(computed: ComputedIndicator) -> list[SimpleNamespace]:
    """The complete periods' values as measurement-like rows (``measured_on`` = the last day
    of the period, ``value``) for the dashboard, charts and documents."""
    return [SimpleNamespace(measured_on=v.period_end - datetime.timedelta(days=1),
                            value=Decimal(str(round(v.value, 4))), pk=v.pk, computed=True)
            for v in computed.values if v.complete]


# -- did it work -------------------------------------------------------------------------------


@dataclass
class Evaluation:
    evaluation: ActivityEvaluation
    windows: tuple[datetime.date, datetime.date, datetime.date] | None
    effect: Effect | None
    displacement: Displacement | None
    problem: str = ""

    @property
    def before_label(self) -> str:
        b0, b1, _e = self.windows
        return f"{b0:%Y-%m-%d} – {b1 - datetime.timedelta(days=1):%Y-%m-%d}"

    @property
    def after_label(self) -> str:
        _b, a0, a1 = self.windows
        return f"{a0:%Y-%m-%d} – {a1 - datetime.timedelta(days=1):%Y-%m-%d}"

    @property
    def verdict_text(self) -> str:
        return effect_text(self)

    @property
    def displacement_text(self) -> str:
        return displacement_text(self)


def _sweref(geometry):
    def project(coords):
        x, y = wgs84_to_sweref99tm(coords[:, 1], coords[:, 0])
        return np.c_[x, y]
    return shapely.transform(geometry, project)


def buffer_counts(qs, area, buffer_m: int, spans) -> list[int]:
    """Incidents with a real point in the ring of ``buffer_m`` metres around ``area`` (not in
    the area itself), per span: candidates from the ring's bounding box in SQL (x, y), the
    exact test with shapely."""
    area_sweref = _sweref(situation_services.area_geometry(area))
    ring = area_sweref.buffer(buffer_m).difference(area_sweref)
    xmin, ymin, xmax, ymax = ring.bounds
    start, end = _local(spans[0][0]), _local(spans[-1][1])
    rows = list(qs.for_hotspots().filter(
        x__gte=xmin, x__lte=xmax, y__gte=ymin, y__lte=ymax,
        occurred_at__gte=start, occurred_at__lt=end).values_list("x", "y", "occurred_at"))
    if not rows:
        return [0] * len(spans)
    xs = np.array([r[0] for r in rows])
    ys = np.array([r[1] for r in rows])
    inside = shapely.contains_xy(ring, xs, ys)
    counts = [0] * len(spans)
    bounds = [_local(s) for s, _e in spans]
    for (_x, _y, when), hit in zip(rows, inside.tolist(), strict=True):
        if hit:
            k = max(i for i, b in enumerate(bounds) if when >= b)
            counts[k] += 1
    return counts


def evaluate(evaluation: ActivityEvaluation, user, today: datetime.date | None = None
             ) -> Evaluation:
    """Counts before and after in the area, the comparison area and the buffer zone, for
    what ``user`` may see, and the analysis of them."""
    windows = evaluation.windows(today)
    if evaluation.area is None or evaluation.comparison_area is None:
        return Evaluation(evaluation, windows, None, None,
                          _("Choose the activity's area and a comparison area."))
    if windows is None:
        return Evaluation(evaluation, None, None, None,
                          _("The activity has not started yet: nothing to evaluate."))
    b0, a0, a1 = windows
    spans = [(b0, a0), (a0, a1)]
    base = picture.incidents_for(user, evaluation.municipality)
    categories = list(evaluation.categories.values_list("pk", flat=True))
    if categories:
        base = base.filter(category_id__in=categories)
    if evaluation.sources:
        base = base.filter(source__in=evaluation.sources)

    def in_area(area):
        return base.filter(pk__in=IncidentArea.objects.filter(area=area).values("incident_id"))

    tb, ta = period_counts(in_area(evaluation.area), spans)
    cb, ca = period_counts(in_area(evaluation.comparison_area), spans)
    bb, ba = buffer_counts(base, evaluation.area, evaluation.buffer_m, spans)
    return Evaluation(evaluation, windows, effect(tb, ta, cb, ca),
                      displacement(tb, ta, bb, ba, cb, ca))


def effect_text(ev: Evaluation) -> str:
    """The plain-language verdict with its uncertainty."""
    if ev.effect is None:
        return ev.problem
    e = ev.effect
    counts = {"tb": e.target_before, "ta": e.target_after, "cb": e.comparison_before,
              "ca": e.comparison_after}
    if e.verdict == "too_few":
        return _("Too few incidents to tell: %(tb)s before and %(ta)s after in the area, "
                 "%(cb)s and %(ca)s in the comparison area. At least 5 in each are needed for "
                 "an honest answer; choose a longer period or more categories.") % counts
    numbers = {**counts, "expected": _fmt(e.expected_after), "diff": _fmt(abs(e.difference)),
               "low": _fmt(abs(e.difference_high if e.difference < 0 else e.difference_low)),
               "high": _fmt(abs(e.difference_low if e.difference < 0 else e.difference_high)),
               "p": p_text(e.p)}
    if e.verdict == "decrease":
        return _("It seems to have worked: %(ta)s incidents in the area after the start, where "
                 "about %(expected)s were expected had it followed the comparison area "
                 "(%(cb)s → %(ca)s). That is about %(diff)s fewer (95 %% confidence interval "
                 "%(low)s–%(high)s fewer), statistically significant (%(p)s).") % numbers
    if e.verdict == "increase":
        return _("Incidents increased more than in the comparison area: %(ta)s after the "
                 "start, where about %(expected)s were expected (%(cb)s → %(ca)s in the "
                 "comparison area). That is about %(diff)s more (95 %% confidence interval "
                 "%(low)s–%(high)s more), statistically significant (%(p)s).") % numbers
    return _("No clear effect: %(ta)s incidents in the area after the start, where about "
             "%(expected)s were expected had it followed the comparison area (%(cb)s → "
             "%(ca)s). The difference is within chance (%(p)s): the activity may have "
             "worked a little, or not at all.") % numbers


def displacement_text(ev: Evaluation) -> str:
    d = ev.displacement
    if d is None:
        return ""
    counts = {"bb": d.buffer_before, "ba": d.buffer_after, "m": ev.evaluation.buffer_m}
    wdq = ""
    if d.wdq is not None and d.verdict != "too_few":
        wdq = " " + _("Weighted displacement quotient %(wdq)s (above 0: the benefit spread; "
                      "below 0: incidents moved; below −1: more moved than were "
                      "prevented).") % {"wdq": _fmt(d.wdq, 2)}
    if d.verdict == "too_few":
        return _("Too few incidents in the zone of %(m)s m around the area (%(bb)s before, "
                 "%(ba)s after) to tell whether incidents moved round the corner.") % counts \
            + wdq
    if d.verdict == "displacement":
        return _("In the zone of %(m)s m around the area incidents rose from %(bb)s to %(ba)s, "
                 "clearly more than in the comparison area (statistically significant): some "
                 "incidents may have moved round the corner.") % counts + wdq
    if d.verdict == "diffusion":
        return _("The zone of %(m)s m around the area improved too (%(bb)s → %(ba)s, "
                 "statistically significant against the comparison area): the benefit "
                 "spread.") % counts + wdq
    return _("In the zone of %(m)s m around the area: %(bb)s → %(ba)s incidents, no clear "
             "change against the comparison area (within chance): no sign that incidents "
             "moved round the corner.") % counts + wdq
