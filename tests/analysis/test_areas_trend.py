from __future__ import annotations

import math

import pytest

from samverkan.analysis.areas import compare_areas
from samverkan.analysis.trend import yearly_trend


def test_compare_areas_by_population():
    res = compare_areas(
        ["Centrum", "Skiftinge", "Torshälla"],
        [120, 30, 10],
        populations=[10_000, 10_000, 8_000],
        areas_km2=[2.0, 5.0, 20.0],
        total_count=200,
        total_population=40_000,
        total_area_km2=100.0,
    )
    c = res[0]
    assert c.name == "Centrum" and c.basis == "population"
    assert c.rate_per_1000 == pytest.approx(12.0)
    assert c.rate_per_km2 == pytest.approx(60.0)
    assert c.municipal_rate_per_1000 == pytest.approx(5.0)
    assert c.municipal_rate_per_km2 == pytest.approx(2.0)
    assert c.expected == pytest.approx(50.0)
    assert c.z == pytest.approx(2 * (math.sqrt(120) - math.sqrt(50)))
    assert c.significant and c.direction == "higher"
    t = res[2]
    assert t.expected == pytest.approx(40.0) and t.significant and t.direction == "lower"
    s = res[1]
    assert s.expected == pytest.approx(50.0)
    assert s.z == pytest.approx(2 * (math.sqrt(30) - math.sqrt(50)))


def test_compare_areas_by_area_and_small_numbers():
    res = compare_areas(["A", "B"], [3, 1], areas_km2=[1.0, 1.0], total_count=4)
    assert res[0].basis == "area" and res[0].expected == pytest.approx(2.0)
    assert res[0].rate_per_1000 is None and not res[0].significant
    none = compare_areas(["A"], [3], total_count=3)
    assert none[0].expected is None and none[0].z is None and not none[0].significant
    with pytest.raises(ValueError):
        compare_areas(["A", "B"], [1], total_count=1)


def test_yearly_trend_rates_and_significance():
    years = [2019, 2020, 2021, 2022, 2023]
    counts = [100, 110, 125, 130, 150]
    tr = yearly_trend(years, counts, populations=[100_000] * 5)
    assert tr.rates_per_100k == (100.0, 110.0, 125.0, 130.0, 150.0)
    assert tr.slope_per_year == pytest.approx(12.0)
    # Poisson SE under no trend: sqrt(sum(tc^2) * mean) / Sxx = sqrt(10 * 123) / 10
    assert tr.se_poisson == pytest.approx(math.sqrt(10 * 123) / 10)
    assert tr.significant and tr.direction == "increasing"
    assert tr.fitted_first == pytest.approx(123 - 24)


def test_yearly_trend_small_numbers_not_significant():
    tr = yearly_trend([2021, 2019, 2020, 2022], [3, 1, 2, 4])  # sorted internally
    assert tr.years == (2019, 2020, 2021, 2022) and tr.values == (1.0, 2.0, 3.0, 4.0)
    assert tr.slope_per_year == pytest.approx(1.0)
    assert tr.se_regression == 0.0  # a perfect line ...
    assert not tr.significant  # ... but Poisson noise on 1-4 events dominates
    assert tr.p > 0.05
    two = yearly_trend([2020, 2021], [5, 9])
    assert two.slope_per_year == pytest.approx(4.0) and not two.significant
    one = yearly_trend([2020], [5])
    assert one.slope_per_year is None and not one.significant
    with pytest.raises(ValueError):
        yearly_trend([2020, 2020], [1, 2])
