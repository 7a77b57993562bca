"""Computed indicators and activity evaluations: values against counts made in Python from the
generated incidents, recomputation after an EST report (after the commit), exact intervals,
significance towards the target, difference in differences and the buffer zone, access."""
from __future__ import annotations

import datetime

import numpy as np
import pytest
from django.urls import reverse
from shapely.geometry import box

from samverkan.analysis import poisson_interval, sweref99tm_to_wgs84
from samverkan.analysis.effect import displacement, effect
from samverkan.core.testing import ScopedModelAccessTests
from samverkan.evaluation import services
from samverkan.evaluation.computed import computed_indicator, evaluate
from samverkan.evaluation.models import IndicatorDefinition, IndicatorValue
from samverkan.plans import services as plan_services
from samverkan.plans.tests.factories import build_plan, safety_walks
from samverkan.situation import bulk
from samverkan.situation import services as situation_services
from samverkan.situation.models import Category
from samverkan.situation.picture import LOCAL_TZ

pytestmark = pytest.mark.django_db

TARGET = box(16.500, 59.364, 16.520, 59.375)       # the town centre
COMPARISON = box(16.540, 59.380, 16.560, 59.391)   # an area further east


def local(*args):
    return datetime.datetime(*args, tzinfo=LOCAL_TZ)


@pytest.fixture
def plan(world):
    return build_plan(world)


@pytest.fixture
def cats(world, django_capture_on_commit_callbacks):
    # Writes run their after-commit work here (the test's transaction never commits).
    with django_capture_on_commit_callbacks(execute=True):
        situation_services.ensure_default_categories(world.eskilstuna, actor=world.coordinator)
    return {c.slug: c for c in Category.objects.filter(municipality=world.eskilstuna)}


@pytest.fixture
def areas(world, django_capture_on_commit_callbacks):
    def make(name, geometry, population):
        return situation_services.create_area(
            actor=world.coordinator, municipality=world.eskilstuna, name=name,
            kind="district", population=population,
            **situation_services.area_fields_from_geometry(geometry))
    with django_capture_on_commit_callbacks(execute=True):
        return {"target": make("Centrum", TARGET, 12_000),
                "comparison": make("Östra", COMPARISON, 9_000)}


def load(world, rows):
    """rows: (when, lat, lon, category, source, confidentiality)."""
    n = len(rows)
    bulk.load_incidents(world.eskilstuna, {
        "category_id": np.array([r[3].pk for r in rows]),
        "occurred_at": [r[0] for r in rows],
        "lat": np.array([r[1] for r in rows]), "lon": np.array([r[2] for r in rows]),
        "precision": np.full(n, "exact"), "source": np.array([r[4] for r in rows]),
        "confidentiality": np.array([r[5] for r in rows]),
        "source_id": np.array([f"t{k}-{r[0]:%Y%m%d%H%M}" for k, r in enumerate(rows)]),
    })
    situation_services.assign_areas(world.eskilstuna)


def test_computed_indicator_values_and_recompute(world, plan, cats, areas,
                                                 django_capture_on_commit_callbacks):
    rng = np.random.default_rng(1)
    rows, expected = [], {}
    for month in range(1, 13):
        k = int(rng.poisson(8 if month < 7 else 3))
        expected[month] = k
        for d in range(k):
            rows.append((local(2025, month, 1 + d, 22), 59.37, 16.51, cats["klotter"],
                         "est_report", "internal"))
        # Not counted: another category, another source, a restricted report.
        rows.append((local(2025, month, 2, 12), 59.37, 16.51, cats["nedskrapning"],
                     "est_report", "internal"))
        rows.append((local(2025, month, 3, 12), 59.37, 16.51, cats["klotter"],
                     "police_events", "internal"))
        rows.append((local(2025, month, 4, 12), 59.37, 16.51, cats["klotter"],
                     "est_report", "restricted"))
    with django_capture_on_commit_callbacks(execute=True):
        load(world, rows)
    indicator = plan_services.create_indicator(
        actor=world.coordinator, focus_area=plan.public_space, name="Klotter i EST",
        direction="lower", baseline_value=8, target_value=4,
        baseline_date=datetime.date(2025, 1, 15))
    definition = services.save_definition(
        indicator, actor=world.coordinator, categories=[cats["klotter"]],
        sources=["est_report"], area=None, period="month", measure="count")
    values = {v.period_start: v for v in IndicatorValue.objects.filter(definition=definition)}
    for month, k in expected.items():
        v = values[datetime.date(2025, month, 1)]
        assert v.count == k and v.value == k
        assert (v.ci_low, v.ci_high) == pytest.approx(poisson_interval(k))
    # From the first incident of these sources (January 2025): before it, data is missing.
    assert min(values) == datetime.date(2025, 1, 1)

    # An EST report: recomputed after the commit, only from its month on.
    with django_capture_on_commit_callbacks(execute=True):
        situation_services.report_incident(
            actor=world.coordinator, municipality=world.eskilstuna, category=cats["klotter"],
            occurred_at=local(2025, 12, 20, 23), lat=59.37, lon=16.51)
    assert IndicatorValue.objects.get(definition=definition,
                                      period_start=datetime.date(2025, 12, 1)).count \
        == expected[12] + 1

    summary = computed_indicator(indicator, world.reader)
    assert summary.baseline.period_start == datetime.date(2025, 1, 1)
    assert summary.latest is not None and summary.latest.complete
    if summary.comparison.significant:
        assert summary.verdict == ("towards" if summary.latest.count < expected[1] else "away")
    else:
        assert summary.verdict == "within_chance"
    assert computed_indicator(indicator, world.other_municipality_user) is None


def test_rate_per_1000_in_an_area(world, plan, cats, areas):
    # January to March (the data begin on 2 January, so the tertial counts in full).
    load(world, [(local(2025, 1 + d // 8, 2 + 3 * (d % 8), 20), 59.37, 16.51,
                  cats["klotter"], "est_report", "internal") for d in range(24)])
    indicator = plan_services.create_indicator(
        actor=world.coordinator, focus_area=plan.public_space, name="Klotter per 1 000")
    definition = services.save_definition(
        indicator, actor=world.coordinator, categories=[], sources=[],
        area=areas["target"], period="tertial", measure="rate_per_1000")
    t1 = IndicatorValue.objects.get(definition=definition,
                                    period_start=datetime.date(2025, 1, 1))
    assert t1.count == 24 and t1.period_end == datetime.date(2025, 5, 1)
    assert t1.value == pytest.approx(24 / 12_000 * 1000)
    assert t1.ci_high == pytest.approx(poisson_interval(24)[1] / 12)


def test_significance_towards_the_target(world, plan, cats, areas):
    rows = [(local(2024, 1, 1 + d % 28, 20), 59.37, 16.51, cats["klotter"], "est_report",
             "internal") for d in range(60)]
    rows += [(local(2025, 1, 1 + d, 20), 59.37, 16.51, cats["klotter"], "est_report",
              "internal") for d in range(20)]
    load(world, rows)
    indicator = plan_services.create_indicator(
        actor=world.coordinator, focus_area=plan.public_space, name="Klotter per år",
        direction="lower", baseline_date=datetime.date(2024, 6, 1))
    services.save_definition(indicator, actor=world.coordinator, categories=[], sources=[],
                             area=None, period="year", measure="count")
    summary = computed_indicator(indicator, world.coordinator)
    assert summary.baseline.count == 60
    assert summary.latest.period_start.year == datetime.date.today().year - 1 or \
        summary.latest.count >= 0
    later = [v for v in summary.values if v.period_start.year == 2025][0]
    assert later.count == 20


def _ring_points(rng, n, metres=(60, 180)):
    """Points just east of the town centre box, 60-180 m from its edge (in the buffer)."""
    from samverkan.analysis import wgs84_to_sweref99tm

    x_edge, y0 = wgs84_to_sweref99tm(59.3695, 16.520)
    xs = float(x_edge) + rng.uniform(*metres, n)
    ys = float(y0) + rng.uniform(-100, 100, n)
    lat, lon = sweref99tm_to_wgs84(xs, ys)
    return list(zip(lat.tolist(), lon.tolist(), strict=True))


def test_activity_evaluation(world, plan, cats, areas, client):
    rng = np.random.default_rng(2)
    activity = safety_walks(plan, world.coordinator)
    start = datetime.date(2025, 3, 1)
    rows = []

    def add(n, lat, lon, first, days):
        for k in range(n):
            when = local(first.year, first.month, first.day, 12) + datetime.timedelta(
                days=int(rng.integers(0, days)))
            rows.append((when, lat(k), lon(k), cats["klotter"], "est_report", "internal"))

    before0 = start - datetime.timedelta(days=92)
    inside_t = (lambda k: 59.366 + 0.007 * rng.random(), lambda k: 16.502 + 0.015 * rng.random())
    inside_c = (lambda k: 59.382 + 0.007 * rng.random(), lambda k: 16.542 + 0.015 * rng.random())
    add(40, *inside_t, before0, 92)
    add(15, *inside_t, start, 92)
    add(60, *inside_c, before0, 92)
    add(58, *inside_c, start, 92)
    ring_b = _ring_points(rng, 20)
    ring_a = _ring_points(rng, 22)
    add(20, lambda k: ring_b[k][0], lambda k: ring_b[k][1], before0, 92)
    add(22, lambda k: ring_a[k][0], lambda k: ring_a[k][1], start, 92)
    far = _ring_points(rng, 10, metres=(900, 1000))   # outside the buffer
    add(10, lambda k: far[k][0], lambda k: far[k][1], start, 92)
    load(world, rows)

    evaluation = services.save_evaluation(
        activity, actor=world.coordinator, area=areas["target"],
        comparison_area=areas["comparison"], start_date=start,
        end_date=datetime.date(2025, 6, 1), buffer_m=250, categories=[], sources=[])
    assert evaluation.windows() == (before0, start, datetime.date(2025, 6, 1))
    result = evaluate(evaluation, world.reader)
    assert result.effect == effect(40, 15, 60, 58)
    assert result.displacement == displacement(40, 15, 20, 22, 60, 58)
    assert result.effect.verdict == "decrease"
    assert result.displacement.verdict == "no_clear_change"
    assert "fewer" in result.verdict_text or "färre" in result.verdict_text

    client.force_login(world.reader)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert 'id="effect"' in page and result.verdict_text[:30] in page
    # The follow-up report carries the verdict too.
    from samverkan.core.documents import Document
    from samverkan.followup.documents import _effects_section

    doc = Document("t")
    _effects_section(doc, plan.agreement, world.reader)
    assert any(result.verdict_text[:30] in str(b.data) for b in doc.blocks)


def test_too_few_is_said_plainly(world, plan, cats, areas):
    activity = safety_walks(plan, world.coordinator)
    load(world, [(local(2025, 4, 2, 12), 59.37, 16.51, cats["klotter"], "est_report",
                  "internal")])
    evaluation = services.save_evaluation(
        activity, actor=world.coordinator, area=areas["target"],
        comparison_area=areas["comparison"], start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 6, 1), buffer_m=250, categories=[], sources=[])
    result = evaluate(evaluation, world.coordinator)
    assert result.effect.verdict == "too_few" and result.displacement.verdict == "too_few"
    assert "Too few" in result.verdict_text or "För få" in result.verdict_text


def test_pages_and_permissions(world, plan, cats, areas, client):
    activity = safety_walks(plan, world.coordinator)
    indicator = plan_services.create_indicator(
        actor=world.coordinator, focus_area=plan.public_space, name="Klotter")
    client.force_login(world.coordinator)
    url = reverse("evaluation:definition_edit", args=[indicator.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"categories": [cats["klotter"].pk], "sources": ["est_report"],
                                 "area": "", "period": "month", "measure": "count"})
    assert response.status_code == 302
    # No incidents yet: defined, no values (missing data is not zero).
    assert IndicatorDefinition.objects.filter(indicator=indicator).exists()
    assert not IndicatorValue.objects.filter(definition__indicator=indicator).exists()
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert 'id="computed"' in page
    bad = client.post(reverse("evaluation:evaluation_edit", args=[activity.pk]), {
        "area": areas["target"].pk, "comparison_area": areas["target"].pk,
        "start_date": "2025-03-01", "buffer_m": 250})
    assert bad.status_code == 200 and "another area" in bad.content.decode() or \
        "annat område" in bad.content.decode()
    client.force_login(world.reader)
    assert client.get(url).status_code == 403
    client.force_login(world.other_municipality_user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("evaluation:evaluation_edit",
                              args=[activity.pk])).status_code == 404


class TestIndicatorDefinitionAccess(ScopedModelAccessTests):
    api_base = "/api/v1/indicator-definitions/"

    @pytest.fixture(autouse=True)
    def _setup(self, world, plan, cats):
        self.plan = plan
        self.cats = cats
        self.free = self._indicator(world, "Skadegörelse")

    def _indicator(self, world, name):
        return plan_services.create_indicator(actor=world.coordinator,
                                              focus_area=self.plan.public_space, name=name)

    def make(self, world):
        return services.save_definition(self._indicator(world, "Klotter"),
                                        actor=world.coordinator, categories=[], sources=[],
                                        area=None, period="year", measure="count")

    def create_payload(self, world):
        return {"indicator": self.free.pk,
                "categories": [self.cats["skadegorelse"].pk], "sources": ["est_report"],
                "period": "tertial", "measure": "count"}

    def update_payload(self, obj, world):
        return {"period": "month"}


class TestActivityEvaluationAccess(ScopedModelAccessTests):
    api_base = "/api/v1/activity-evaluations/"

    @pytest.fixture(autouse=True)
    def _setup(self, world, plan, areas):
        self.plan = plan
        self.areas = areas
        self.free = safety_walks(plan, world.coordinator)

    def make(self, world):
        return services.save_evaluation(
            safety_walks(self.plan, world.coordinator), actor=world.coordinator,
            area=self.areas["target"], comparison_area=self.areas["comparison"],
            start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 6, 1),
            buffer_m=250, categories=[], sources=[])

    def create_payload(self, world):
        return {"activity": self.free.pk,
                "area": self.areas["target"].pk, "comparison_area": self.areas["comparison"].pk,
                "start_date": "2025-03-01", "buffer_m": 300}

    def update_payload(self, obj, world):
        return {"buffer_m": 400}
