"""Counts and rates with honest uncertainty: exact Poisson intervals and the exact comparison
of two Poisson rates.

``poisson_interval(k)``: the exact (Garwood 1936) interval for the mean of a Poisson count
``k``, from the chi-square distribution::

    lower = chi2.ppf(alpha/2, 2k) / 2          (0 when k = 0)
    upper = chi2.ppf(1 - alpha/2, 2k + 2) / 2

It covers the true mean with at least ``1 - alpha`` probability whatever the mean, also for
small counts (it is conservative, never too narrow). Rates (per 1,000 inhabitants, per
period) are the count's interval divided by the exposure.

``compare_rates(k1, e1, k2, e2)``: is the rate of period 2 (``k2`` incidents over exposure
``e2``) different from that of period 1? Conditional on the total ``k1 + k2``, ``k2`` is
binomial with ``p = e2 / (e1 + e2)`` when the rates are equal (the exact conditional test,
Przyborowski & Wilenski 1940). The two-sided p-value is scipy's exact binomial test; the
interval of the rate ratio ``(k2/e2) / (k1/e1)`` is the Clopper-Pearson interval of the
binomial proportion, transformed: ``ratio = (pi / (1 - pi)) * (e1 / e2)``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["RateComparison", "compare_rates", "poisson_interval", "rate_interval"]


def poisson_interval(k: float, *, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) confidence interval for the mean of a Poisson count ``k``."""
    from scipy import stats  # here: slow to import (a second of start-up)

    if k < 0 or not np.isfinite(k):
        raise ValueError("a count must be finite and non-negative")
    alpha = 1.0 - confidence
    lower = 0.0 if k == 0 else float(stats.chi2.ppf(alpha / 2, 2 * k) / 2)
    upper = float(stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2)
    return lower, upper


def rate_interval(k: float, exposure: float, *, per: float = 1.0,
                  confidence: float = 0.95) -> tuple[float, float, float]:
    """``(rate, lower, upper)`` of ``k`` events over ``exposure`` (e.g. inhabitants), times
    ``per`` (e.g. 1,000)."""
    if exposure <= 0:
        raise ValueError("exposure must be positive")
    lower, upper = poisson_interval(k, confidence=confidence)
    scale = per / exposure
    return k * scale, lower * scale, upper * scale


@dataclass(frozen=True)
class RateComparison:
    k1: float
    e1: float
    k2: float
    e2: float
    ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    p: float
    significant: bool
    direction: str | None  # "increase" / "decrease" when significant


def compare_rates(k1: int, e1: float, k2: int, e2: float, *, confidence: float = 0.95
                  ) -> RateComparison:
    """Exact conditional comparison of two Poisson rates; see the module docstring.
    ``significant`` when ``p < 1 - confidence``."""
    from scipy import stats  # here: slow to import (a second of start-up)

    k1, k2 = int(k1), int(k2)
    if k1 < 0 or k2 < 0:
        raise ValueError("counts must be non-negative")
    if e1 <= 0 or e2 <= 0:
        raise ValueError("exposures must be positive")
    alpha = 1.0 - confidence
    n = k1 + k2
    share = e2 / (e1 + e2)
    if n == 0:
        return RateComparison(k1, e1, k2, e2, None, None, None, 1.0, False, None)
    p = float(stats.binomtest(k2, n, share).pvalue)
    ci = stats.binomtest(k2, n).proportion_ci(confidence_level=confidence, method="exact")
    odds = e1 / e2

    def ratio_of(pi: float) -> float:
        return float("inf") if pi >= 1.0 else pi / (1.0 - pi) * odds

    ratio = None if k1 == 0 else (k2 / e2) / (k1 / e1)
    significant = p < alpha
    direction = None
    if significant:
        direction = "increase" if k2 / e2 > k1 / e1 else "decrease"
    return RateComparison(k1, e1, k2, e2, ratio, ratio_of(ci.low), ratio_of(ci.high), p,
                          significant, direction)
