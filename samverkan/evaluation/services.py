"""Writes of the evaluation app, and the recomputation of computed indicators.

``recompute_indicators(municipality, since=None)`` is the one function that brings the
computed indicators of a municipality up to date with its incidents: one ``GROUP BY period``
query per computed indicator, over the periods from ``since`` on, and the values replaced in
one transaction. It runs by itself after every commit that changed incidents (the situation
app's ``signals.incidents_changed``, sent by its write services and by ``bulk.load_incidents``);
an import pipeline that writes incidents another way calls
``samverkan.situation.signals.notify_incidents_changed(municipality, since=earliest)`` after
its commit (or this function directly).

The values count the incidents that every member of the collaboration may see (public and
internal; restricted incidents are left out), so that everyone who sees the indicator sees the
same figures and no figure reveals restricted records.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from samverkan.core import services as core
from samverkan.core.choices import Confidentiality
from samverkan.situation.emerging import period_expression
from samverkan.situation.models import Incident, IncidentArea
from samverkan.situation.picture import LOCAL_TZ

from . import periods as period_rules
from .choices import Measure
from .models import ActivityEvaluation, IndicatorDefinition, IndicatorValue

#: Computed values go back at most this far.
MAX_YEARS_BACK = 10
#: Data that begin more than this many days into a period leave that period out.
PARTIAL_DAYS = 7


# -- definitions and evaluations ---------------------------------------------------------------


@transaction.atomic
def save_definition(indicator, *, actor, **fields) -> IndicatorDefinition:
    """Create or change the definition of ``indicator`` (one audit entry) and compute its
    values."""
    existing = IndicatorDefinition.objects.filter(indicator=indicator).first()
    if existing is None:
        definition = core.create(IndicatorDefinition, actor=actor,
                                 data={"indicator": indicator, **fields},
                                 municipality=indicator.municipality,
                                 confidentiality=indicator.confidentiality)
    else:
        definition = core.update(existing, actor=actor, data=fields)
    recompute_definition(definition)
    return definition


def delete_definition(definition: IndicatorDefinition, *, actor) -> None:
    """The indicator is typed in again (its computed values go)."""
    core.delete(definition, actor=actor)


@transaction.atomic
def save_evaluation(activity, *, actor, **fields) -> ActivityEvaluation:
    existing = ActivityEvaluation.objects.filter(activity=activity).first()
    if existing is None:
        return core.create(ActivityEvaluation, actor=actor,
                           data={"activity": activity, **fields},
                           municipality=activity.municipality,
                           confidentiality=activity.confidentiality)
    return core.update(existing, actor=actor, data=fields)


def delete_evaluation(evaluation: ActivityEvaluation, *, actor) -> None:
    core.delete(evaluation, actor=actor)


# -- computing ---------------------------------------------------------------------------------


def incidents_counted(municipality_id: str, *, categories, sources, area_id):
    """The incidents a definition or evaluation counts, before the time filter: counted
    (no summaries, duplicates or rejected reports), not restricted."""
    qs = (Incident.objects.filter(municipality_id=municipality_id).counted()
          .exclude(confidentiality=Confidentiality.RESTRICTED))
    if categories:
        qs = qs.filter(category_id__in=categories)
    if sources:
        qs = qs.filter(source__in=sources)
    if area_id:
        qs = qs.filter(pk__in=IncidentArea.objects.filter(area_id=area_id)
                       .values("incident_id"))
    return qs


def _local(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=LOCAL_TZ)


def period_counts(qs, spans: list[tuple[datetime.date, datetime.date]]) -> list[int]:
    """Incidents of ``qs`` per period: one GROUP BY over the periods' time range."""
    if not spans:
        return []
    bounds = [_local(s) for s, _e in spans] + [_local(spans[-1][1])]
    rows = (qs.filter(occurred_at__gte=bounds[0], occurred_at__lt=bounds[-1])
            .annotate(period=period_expression(qs, bounds))
            .values_list("period").annotate(n=Count("id")).order_by())
    counts = [0] * len(spans)
    for period, n in rows:
        if 0 <= period < len(spans):
            counts[period] += n
    return counts


def population_of(definition: IndicatorDefinition) -> int | None:
    if definition.area_id:
        return definition.area.population
    return definition.municipality.population


def value_range(definition: IndicatorDefinition, today: datetime.date
                ) -> tuple[datetime.date, datetime.date]:
    indicator = definition.indicator
    first = indicator.agreement.start_date
    if indicator.baseline_date and indicator.baseline_date < first:
        first = indicator.baseline_date
    earliest = today.replace(year=today.year - MAX_YEARS_BACK, day=1)
    return max(first, earliest), today


@transaction.atomic
def recompute_definition(definition: IndicatorDefinition, *,
                         since: datetime.datetime | None = None,
                         today: datetime.date | None = None) -> int:
    """Recompute the values of one definition from the period containing ``since`` (all
    periods when None). Returns the number of values written."""
    from samverkan.analysis import poisson_interval

    today = today or timezone.localdate()
    first, last = value_range(definition, today)
    qs = incidents_counted(definition.municipality_id,
                           categories=list(definition.categories.values_list("pk", flat=True)),
                           sources=definition.sources, area_id=definition.area_id)
    # Periods before the first incident of these sources are missing data, not zero.
    earliest = qs.aggregate(first=Min("occurred_at"))["first"]
    data_start = earliest.astimezone(LOCAL_TZ).date() if earliest is not None else None
    spans = []
    if data_start is not None:
        spans = period_rules.periods(definition.period, max(first, data_start), last)
        # A first period that the data cover only partly (they begin more than a week into
        # it) would look calmer than it was: left out.
        if data_start > first and spans and (data_start - spans[0][0]).days > PARTIAL_DAYS:
            spans = spans[1:]
    if since is not None:
        day = since.astimezone(LOCAL_TZ).date()
        spans = [s for s in spans if s[1] > day]
        IndicatorValue.objects.filter(definition=definition,
                                      period_end__gt=day).delete()
    else:
        IndicatorValue.objects.filter(definition=definition).delete()
    counts = period_counts(qs, spans)
    population = population_of(definition)
    rate = definition.measure == Measure.RATE and population
    values = []
    for (start, end), k in zip(spans, counts, strict=True):
        low, high = poisson_interval(k)
        scale = 1000.0 / population if rate else 1.0
        values.append(IndicatorValue(
            definition=definition, period_start=start, period_end=end, count=k,
            population=population, value=k * scale, ci_low=low * scale, ci_high=high * scale,
            complete=end <= today))
    IndicatorValue.objects.bulk_create(values)
    IndicatorDefinition.objects.filter(pk=definition.pk).update(computed_at=timezone.now())
    return len(values)


def recompute_indicators(municipality, *, since: datetime.datetime | None = None) -> int:
    """Bring every computed indicator of ``municipality`` up to date (see the module
    docstring). Returns the number of values written."""
    code = getattr(municipality, "pk", municipality)
    written = 0
    for definition in (IndicatorDefinition.objects.filter(municipality_id=code)
                       .select_related("indicator__agreement", "area", "municipality")):
        written += recompute_definition(definition, since=since)
    return written


def on_incidents_changed(sender, *, municipality, since=None, **kwargs) -> None:
    """Receiver of ``samverkan.situation.signals.incidents_changed``."""
    recompute_indicators(municipality, since=since)
