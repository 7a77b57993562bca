"""Yearly trend with an honest significance test.

``yearly_trend(years, values, populations=None)``: ``values`` are yearly incident
counts. With ``populations`` the series analysed is the rate per 100,000
inhabitants, otherwise the counts themselves.

The slope (per year) is ordinary least squares on the series. Its significance is
judged conservatively with two standard errors, and the larger is used:

* Poisson SE: the slope's standard error if each year's count were Poisson with
  the no-trend mean (for rates: the overall rate times that year's population,
  scaled to per 100,000), ``Var(b) = sum((t - tbar)^2 Var(y_t)) / Sxx^2``;
  this is the noise floor that small counts always carry;
* regression SE: the usual residual standard error of the OLS fit, which also
  catches year-to-year variation beyond Poisson (overdispersion).

``p`` is the larger of the two-sided normal p (Poisson SE) and the two-sided
Student-t p with ``n - 2`` degrees of freedom (regression SE); ``significant``
is ``p < 0.05``. Fewer than 3 years: slope reported (if 2 years) but never
significant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, stdtr

__all__ = ["TrendResult", "yearly_trend"]

PER = 100_000.0


@dataclass(frozen=True)
class TrendResult:
    years: tuple[int, ...]
    values: tuple[float, ...]
    rates_per_100k: tuple[float, ...] | None
    slope_per_year: float | None
    fitted_first: float | None
    fitted_last: float | None
    relative_slope: float | None
    se_poisson: float | None
    se_regression: float | None
    p: float | None
    significant: bool
    direction: str | None
    note: str


def yearly_trend(
    years: Sequence[int],
    values: Sequence[float],
    populations: Sequence[float] | None = None,
) -> TrendResult:
    """Least-squares trend of yearly counts (or rates per 100,000); see module docs.

    ``relative_slope`` is the slope divided by the series mean (for context only);
    ``fitted_first``/``fitted_last`` are the fitted line at the first/last year.
    """
    yrs = np.asarray(years, dtype=np.int64).ravel()
    vals = np.asarray(values, dtype=np.float64).ravel()
    if yrs.size != vals.size:
        raise ValueError("years and values must have the same length")
    if np.unique(yrs).size != yrs.size:
        raise ValueError("years must be unique")
    if np.any(vals < 0) or not np.all(np.isfinite(vals)):
        raise ValueError("values must be finite non-negative counts")
    order = np.argsort(yrs)
    yrs, vals = yrs[order], vals[order]
    pops = None
    if populations is not None:
        pops = np.asarray(populations, dtype=np.float64).ravel()
        if pops.size != yrs.size:
            raise ValueError("populations must have one value per year")
        if np.any(pops <= 0):
            raise ValueError("populations must be positive")
        pops = pops[order]
        series = vals / pops * PER
    else:
        series = vals
    n = int(yrs.size)
    rates = tuple(float(v) for v in series) if pops is not None else None
    base = {
        "years": tuple(int(v) for v in yrs),
        "values": tuple(float(v) for v in vals),
        "rates_per_100k": rates,
    }
    if n < 2:
        return TrendResult(
            **base,
            slope_per_year=None,
            fitted_first=None,
            fitted_last=None,
            relative_slope=None,
            se_poisson=None,
            se_regression=None,
            p=None,
            significant=False,
            direction=None,
            note="Fewer than 2 years: no trend.",
        )
    t = yrs.astype(np.float64)
    tc = t - t.mean()
    sxx = float(np.sum(tc**2))
    slope = float(np.sum(tc * (series - series.mean())) / sxx)
    intercept = float(series.mean() - slope * t.mean())
    mean = float(series.mean())
    relative = slope / mean if mean > 0 else None
    # Poisson variance of each year's value under "no trend".
    if pops is not None:
        overall_rate = vals.sum() / pops.sum()
        var_t = overall_rate * pops * (PER / pops) ** 2
    else:
        var_t = np.full(n, vals.mean())
    se_pois = float(np.sqrt(np.sum(tc**2 * var_t)) / sxx)
    if n < 3:
        return TrendResult(
            **base,
            slope_per_year=slope,
            fitted_first=intercept + slope * float(t[0]),
            fitted_last=intercept + slope * float(t[-1]),
            relative_slope=relative,
            se_poisson=se_pois,
            se_regression=None,
            p=None,
            significant=False,
            direction=None,
            note="Only 2 years: slope shown, significance not assessed.",
        )
    resid = series - (intercept + slope * t)
    se_reg = float(np.sqrt(np.sum(resid**2) / (n - 2) / sxx))
    p_pois = 1.0 if se_pois == 0 else float(2.0 * ndtr(-abs(slope) / se_pois))
    if se_reg > 0:
        p_reg = float(2.0 * stdtr(n - 2, -abs(slope) / se_reg))
    else:
        p_reg = 0.0 if slope != 0 else 1.0
    p = max(p_pois, p_reg)
    significant = p < 0.05 and slope != 0
    direction = ("increasing" if slope > 0 else "decreasing") if significant else None
    return TrendResult(
        **base,
        slope_per_year=slope,
        fitted_first=intercept + slope * float(t[0]),
        fitted_last=intercept + slope * float(t[-1]),
        relative_slope=relative,
        se_poisson=se_pois,
        se_regression=se_reg,
        p=p,
        significant=significant,
        direction=direction,
        note="OLS slope; p is the larger of the Poisson-SE and regression-SE p-values.",
    )
