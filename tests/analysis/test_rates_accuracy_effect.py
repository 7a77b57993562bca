"""Poisson intervals and rate comparisons, the PAI and recapture rate, difference in
differences and the weighted displacement quotient, against independent computations
(statsmodels, root finding, literal sums) on generated data, small counts included."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from samverkan.analysis.accuracy import map_accuracy
from samverkan.analysis.effect import MIN_COUNT, displacement, effect
from samverkan.analysis.hotspots import gi_star_from_points
from samverkan.analysis.rates import compare_rates, poisson_interval, rate_interval

# -- Poisson interval ---------------------------------------------------------------------


@pytest.mark.parametrize("k", [0, 1, 2, 3, 7, 20, 150])
def test_poisson_interval_by_root_finding(k):
    """The exact interval's ends are the means at which the observed count sits at the
    2.5 % tails: P(X >= k | lower) = 0.025, P(X <= k | upper) = 0.025."""
    lower, upper = poisson_interval(k)
    up = optimize.brentq(lambda m: stats.poisson.cdf(k, m) - 0.025, 1e-9, 1000)
    assert upper == pytest.approx(up, rel=1e-7)
    if k == 0:
        assert lower == 0
    else:
        low = optimize.brentq(lambda m: stats.poisson.sf(k - 1, m) - 0.025, 1e-9, 1000)
        assert lower == pytest.approx(low, rel=1e-7)


def test_poisson_interval_matches_statsmodels():
    rates = pytest.importorskip("statsmodels.stats.rates")
    for k in (0, 1, 4, 33):
        ours = rate_interval(k, 2.5)
        ref = rates.confint_poisson(k, 2.5, method="exact-c")
        assert ours[1] == pytest.approx(ref[0], rel=1e-7)
        assert ours[2] == pytest.approx(ref[1], rel=1e-7)
    rate, low, high = rate_interval(12, 60_000, per=1000)
    assert rate == pytest.approx(0.2) and low < 0.2 < high


@pytest.mark.filterwarnings("ignore:divide by zero")
@pytest.mark.parametrize(("k1", "e1", "k2", "e2"),
                         [(40, 1.0, 22, 1.0), (3, 1.0, 9, 1.0), (0, 1.0, 4, 1.0),
                          (120, 10_000, 160, 11_000), (5, 2.0, 5, 1.0)])
def test_compare_rates_matches_statsmodels_exact_conditional(k1, e1, k2, e2):
    rates = pytest.importorskip("statsmodels.stats.rates")
    ours = compare_rates(k1, e1, k2, e2)
    ref = rates.test_poisson_2indep(k2, e2, k1, e1, method="exact-cond")
    assert ours.p == pytest.approx(ref.pvalue, rel=1e-6)
    # The rate ratio's interval contains the ratio and excludes 1 exactly when significant.
    if ours.ratio is not None:
        assert ours.ratio_low <= ours.ratio <= ours.ratio_high
        assert ours.significant == (not ours.ratio_low <= 1 <= ours.ratio_high)


def test_compare_rates_small_and_empty():
    none = compare_rates(0, 1.0, 0, 1.0)
    assert none.p == 1 and not none.significant
    small = compare_rates(1, 1.0, 3, 1.0)  # "+200 %" but chance
    assert not small.significant and small.p > 0.3
    clear = compare_rates(40, 1.0, 15, 1.0)
    assert clear.significant and clear.direction == "decrease"


# -- PAI and recapture rate ---------------------------------------------------------------


def test_map_accuracy_against_a_literal_count():
    rng = np.random.default_rng(4)
    # A hot cluster and a uniform background; the next period repeats the pattern.
    def points(n_hot, n_bg):
        x = np.r_[rng.normal(5_000, 150, n_hot), rng.uniform(0, 10_000, n_bg)]
        y = np.r_[rng.normal(5_000, 150, n_hot), rng.uniform(0, 10_000, n_bg)]
        return x, y
    x0, y0 = points(200, 400)
    hot_map = gi_star_from_points(x0, y0, 500, extent=(0, 0, 10_000, 10_000))
    x1, y1 = points(60, 140)
    ix, iy = np.floor(x1 / 500).astype(int), np.floor(y1 / 500).astype(int)
    cells, counts = np.unique(np.c_[ix, iy], axis=0, return_counts=True)
    acc = map_accuracy(hot_map, cells[:, 0], cells[:, 1], counts)

    hot_cells = {(int(i + hot_map.origin[0]), int(j + hot_map.origin[1]))
                 for j, i in zip(*np.nonzero(hot_map.bins >= 1), strict=True)}
    inside = [(a, b) for a, b in zip(ix.tolist(), iy.tolist(), strict=True)
              if 0 <= a < 20 and 0 <= b < 20]
    n_hit = sum((a, b) in hot_cells for a, b in inside)
    share = len(hot_cells) / 400
    assert acc.cells == 400 and acc.hot_cells == len(hot_cells)
    assert acc.next_incidents == len(inside) and acc.next_incidents_in_hot == n_hit
    assert acc.pai == pytest.approx((n_hit / len(inside)) / share)
    p_literal = sum(math.comb(len(inside), k) * share**k * (1 - share) ** (len(inside) - k)
                    for k in range(n_hit, len(inside) + 1))
    assert acc.p == pytest.approx(p_literal, rel=1e-9)
    assert acc.better_than_chance and acc.pai > 3
    map_hot = sum(1 for a, b in zip(np.floor(x0 / 500).astype(int).tolist(),
                                    np.floor(y0 / 500).astype(int).tolist(), strict=True)
                  if (a, b) in hot_cells)
    assert acc.recapture_rate == pytest.approx((n_hit / map_hot) / (len(inside) / 600))
    assert acc.pai_low < acc.pai < acc.pai_high


def test_map_accuracy_without_hot_spots_or_next_incidents():
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 5000, 100), rng.uniform(0, 5000, 100)
    flat = gi_star_from_points(x, y, 1000)
    acc = map_accuracy(flat, [0, 1], [0, 1], [3, 4])
    assert acc.pai is None and not acc.better_than_chance
    few = gi_star_from_points(x[:10], y[:10], 1000)  # not meaningful: no hot cells at all
    assert map_accuracy(few, [], [], []).pai is None


# -- difference in differences and displacement -------------------------------------------


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize(("tb", "ta", "cb", "ca"),
                         [(60, 35, 200, 210), (12, 9, 30, 28), (80, 120, 500, 480)])
def test_effect_interval_matches_a_poisson_model(tb, ta, cb, ca):
    """The saturated Poisson model count ~ area * period: the interaction is the log ratio
    of ratios, its Wald interval the one we report."""
    sm = pytest.importorskip("statsmodels.api")
    y = np.array([cb, ca, tb, ta], dtype=float)
    target = np.array([0, 0, 1, 1])
    after = np.array([0, 1, 0, 1])
    X = sm.add_constant(np.c_[target, after, target * after])
    fit = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-14, maxiter=200)
    low, high = np.exp(fit.conf_int()[3])
    ours = effect(tb, ta, cb, ca)
    assert ours.relative_effect == pytest.approx(math.exp(fit.params[3]))
    assert ours.relative_low == pytest.approx(low, rel=1e-6)
    assert ours.relative_high == pytest.approx(high, rel=1e-6)
    assert ours.p == pytest.approx(fit.pvalues[3], rel=1e-6)
    assert ours.expected_after == pytest.approx(tb * ca / cb)
    assert ours.did == (ta - tb) - (ca - cb)
    half = 1.959963984540054 * math.sqrt(ta + tb + ca + cb)
    assert ours.did_high - ours.did == pytest.approx(half)


def test_effect_verdicts():
    assert effect(60, 30, 200, 205).verdict == "decrease"
    assert effect(30, 60, 200, 205).verdict == "increase"
    assert effect(20, 18, 100, 95).verdict == "no_clear_change"
    few = effect(3, 1, 50, 52)
    assert few.verdict == "too_few" and few.relative_effect is None
    assert effect(MIN_COUNT, MIN_COUNT, MIN_COUNT, MIN_COUNT).verdict != "too_few"
    zero = effect(10, 10, 0, 4)
    assert zero.verdict == "too_few" and zero.expected_after is None
    scaled = effect(10, 30, 20, 60, before_length=1, after_length=3)
    assert scaled.did == pytest.approx(0)
    with pytest.raises(ValueError):
        effect(-1, 2, 3, 4)


def test_weighted_displacement_quotient_by_hand():
    # Bowers & Johnson (2003): target fell, buffer rose -> displacement.
    d = displacement(100, 50, 80, 120, 400, 400)
    success = 50 / 400 - 100 / 400
    buffer = 120 / 400 - 80 / 400
    assert d.success_measure == pytest.approx(success)
    assert d.buffer_measure == pytest.approx(buffer)
    assert d.wdq == pytest.approx(buffer / success) and d.wdq < 0
    assert d.verdict == "displacement"
    assert d.buffer_relative == pytest.approx((120 / 80) / (400 / 400))
    diffusion = displacement(100, 50, 120, 70, 400, 410)
    assert diffusion.wdq > 0 and diffusion.verdict == "diffusion"
    steady = displacement(100, 50, 40, 42, 400, 400)
    assert steady.verdict == "no_clear_change"
    no_success = displacement(50, 100, 40, 42, 400, 400)
    assert no_success.wdq is None  # the target did not improve: the quotient means nothing
    assert displacement(100, 50, 2, 3, 400, 400).verdict == "too_few"
