"""Mann-Kendall against independent computations: a literal O(n^2) count with the
tie-corrected variance, scipy's Kendall tau against time, and pymannkendall."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from scipy import stats

from samverkan.analysis.mannkendall import mann_kendall


def literal(x):
    """Mann-Kendall written out from the definition (Kendall 1975)."""
    n = len(x)
    s = sum(int(np.sign(x[j] - x[i])) for i in range(n) for j in range(i + 1, n))
    ties = Counter(x.tolist()).values()
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties)) / 18
    if s > 0:
        z = (s - 1) / math.sqrt(var)
    elif s < 0:
        z = (s + 1) / math.sqrt(var)
    else:
        z = 0.0
    p = math.erfc(abs(z) / math.sqrt(2))
    return s, var, z, p


def series(seed: int) -> np.ndarray:
    """Generated series: continuous, small counts with many ties, trends, constant parts."""
    rng = np.random.default_rng(seed)
    rows = [
        rng.normal(size=40),
        rng.normal(size=40) + np.linspace(0, 3, 40),
        rng.poisson(0.4, 40).astype(float),            # mostly zeros: heavy ties
        rng.poisson(2.0, 40).astype(float) + (np.arange(40) > 30) * 3,
        np.zeros(40),                                  # all tied
        np.r_[np.zeros(39), 1.0],                      # one event at the end
        np.round(rng.normal(size=40), 1),              # rounded: some ties
        np.arange(40, dtype=float)[::-1],              # strictly decreasing
    ]
    return np.array(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_literal_count_with_ties(seed):
    x = series(seed)
    mk = mann_kendall(x)
    for k, row in enumerate(x):
        s, var, z, p = literal(row)
        assert mk.s[k] == s
        assert mk.var_s[k] == pytest.approx(var, abs=1e-9)
        assert mk.z[k] == pytest.approx(z, abs=1e-12)
        assert mk.p[k] == pytest.approx(p, abs=1e-12)


def test_s_matches_scipy_kendall_tau_against_time():
    rng = np.random.default_rng(7)
    for n in (3, 10, 52, 260):
        for lam in (0.3, 3.0, None):
            x = rng.normal(size=n) if lam is None else rng.poisson(lam, n).astype(float)
            if np.all(x == x[0]):
                continue
            tau_b = stats.kendalltau(x, np.arange(n)).statistic
            n0 = n * (n - 1) / 2
            n1 = sum(t * (t - 1) / 2 for t in Counter(x.tolist()).values())
            # tau_b = S / sqrt((n0 - n1) * n0) when time has no ties.
            assert mann_kendall(x).s[0] == round(tau_b * math.sqrt((n0 - n1) * n0))


def test_matches_pymannkendall():
    pmk = pytest.importorskip("pymannkendall")
    for row in series(11):
        if np.all(row == row[0]):
            continue
        ours = mann_kendall(row)
        ref = pmk.original_test(row)
        assert ours.s[0] == ref.s
        assert ours.var_s[0] == pytest.approx(ref.var_s)
        assert ours.z[0] == pytest.approx(ref.z)
        assert ours.p[0] == pytest.approx(ref.p)


def test_many_series_in_batches_equal_one_by_one():
    rng = np.random.default_rng(3)
    x = rng.poisson(1.0, size=(5000, 30)).astype(float)
    whole = mann_kendall(x)
    for k in (0, 2047, 2048, 4999):
        one = mann_kendall(x[k])
        assert whole.s[k] == one.s[0] and whole.var_s[k] == one.var_s[0]


def test_degenerate():
    constant = mann_kendall(np.full(12, 3.0))
    assert constant.s[0] == 0 and constant.var_s[0] == 0
    assert constant.z[0] == 0 and constant.p[0] == 1
    short = mann_kendall(np.array([1.0]))
    assert short.s[0] == 0 and short.p[0] == 1
    two = mann_kendall(np.array([1.0, 2.0]))
    assert two.s[0] == 1 and two.z[0] == 0  # (S - 1) / sd with S = 1
    with pytest.raises(ValueError):
        mann_kendall(np.array([1.0, np.nan, 2.0]))
