"""Did it work? Before and after in the area of an activity, against a comparison area, and
displacement to the area around it.

Difference in differences (counts, Poisson)
-------------------------------------------
``Tb``, ``Ta``: incidents in the target area before and after the start; ``Cb``, ``Ca`` in the
comparison area over the same two windows. If the target had followed the comparison area,
it would have had ``expected = Tb * Ca / Cb`` incidents after the start.

* ``relative_effect = (Ta / Tb) / (Ca / Cb)`` (the ratio of ratios, Farrington & Welsh's
  relative effect size inverted: below 1 = fewer than expected). Each count is Poisson, so
  ``Var(log relative_effect) = 1/Ta + 1/Tb + 1/Ca + 1/Cb`` (the delta method; it is also the
  standard error of the interaction term of the saturated Poisson model with area x period);
  the interval is ``exp(log r +/- z * sqrt(Var))`` and ``p`` the two-sided normal test of
  ``log r = 0``.
* ``difference = Ta - expected``, the incidents prevented (negative) or added (positive), with
  the interval ``expected * (relative interval) - expected``.
* ``did = (Ta - Tb) - (Ca - Cb)`` (windows of equal length; otherwise the before counts are
  scaled by the ratio of the lengths), the plain difference in differences, with the Poisson
  variance ``Ta + Tb + Ca + Cb`` (scaled likewise). Shown for completeness: when the two areas
  have very different levels, the ratio is the fairer comparison.

The verdict is ``too_few`` when any of the four counts is below ``MIN_COUNT`` (5): then the
interval is so wide, and the normal approximation so poor, that nothing honest can be said.

Displacement (weighted displacement quotient)
---------------------------------------------
``Bb``, ``Ba``: incidents in a buffer zone around the target area (not in it). Bowers &
Johnson (2003)::

    success = Ta/Ca - Tb/Cb          (negative: the target improved against the comparison)
    buffer  = Ba/Ca - Bb/Cb
    WDQ     = buffer / success       (only when success < 0)

WDQ > 0: the buffer improved too (diffusion of benefits); WDQ < 0: incidents moved to the
buffer (displacement); WDQ < -1: more moved than were prevented. Whether the buffer really
changed is judged by the buffer's own ratio against the comparison area,
``(Ba / Bb) / (Ca / Cb)``, with the same Poisson interval as above: ``displacement`` when it is
significantly above 1, ``diffusion`` when significantly below, else ``no_clear_change``
(``too_few`` with fewer than ``MIN_COUNT`` incidents in a count).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

__all__ = ["MIN_COUNT", "Displacement", "Effect", "displacement", "effect"]

MIN_COUNT = 5


def _z(confidence: float) -> float:
    return float(ndtri(0.5 + confidence / 2.0))


@dataclass(frozen=True)
class Effect:
    target_before: int
    target_after: int
    comparison_before: int
    comparison_after: int
    expected_after: float | None
    relative_effect: float | None
    relative_low: float | None
    relative_high: float | None
    difference: float | None
    difference_low: float | None
    difference_high: float | None
    did: float
    did_low: float
    did_high: float
    p: float | None
    significant: bool
    verdict: str  # "too_few", "decrease", "increase", "no_clear_change"


def _ratio(a_before: int, a_after: int, c_before: int, c_after: int, z: float
           ) -> tuple[float, float, float, float]:
    r = (a_after / a_before) / (c_after / c_before)
    se = float(np.sqrt(1 / a_after + 1 / a_before + 1 / c_after + 1 / c_before))
    low, high = r * float(np.exp(-z * se)), r * float(np.exp(z * se))
    p = float(2 * ndtr(-abs(np.log(r)) / se))
    return r, low, high, p


def _check(*counts: int) -> None:
    if any(int(c) != c or c < 0 for c in counts):
        raise ValueError("counts must be non-negative integers")


def effect(target_before: int, target_after: int, comparison_before: int,
           comparison_after: int, *, before_length: float = 1.0, after_length: float = 1.0,
           confidence: float = 0.95) -> Effect:
    """Difference in differences of Poisson counts; see the module docstring."""
    _check(target_before, target_after, comparison_before, comparison_after)
    if before_length <= 0 or after_length <= 0:
        raise ValueError("the windows must have a positive length")
    tb, ta, cb, ca = (int(v) for v in (target_before, target_after, comparison_before,
                                       comparison_after))
    z = _z(confidence)
    scale = after_length / before_length
    did = (ta - scale * tb) - (ca - scale * cb)
    half = z * float(np.sqrt(ta + scale**2 * tb + ca + scale**2 * cb))
    base = {"target_before": tb, "target_after": ta, "comparison_before": cb,
            "comparison_after": ca, "did": did, "did_low": did - half, "did_high": did + half}
    if min(tb, ta, cb, ca) < MIN_COUNT:
        expected = tb * ca / cb if cb > 0 else None
        return Effect(**base, expected_after=expected, relative_effect=None,
                      relative_low=None, relative_high=None,
                      difference=None if expected is None else ta - expected,
                      difference_low=None, difference_high=None, p=None, significant=False,
                      verdict="too_few")
    r, low, high, p = _ratio(tb, ta, cb, ca, z)
    expected = tb * ca / cb
    significant = p < 1.0 - confidence
    verdict = ("decrease" if r < 1 else "increase") if significant else "no_clear_change"
    return Effect(**base, expected_after=expected, relative_effect=r, relative_low=low,
                  relative_high=high, difference=ta - expected,
                  difference_low=expected * low - expected,
                  difference_high=expected * high - expected, p=p, significant=significant,
                  verdict=verdict)


@dataclass(frozen=True)
class Displacement:
    buffer_before: int
    buffer_after: int
    success_measure: float | None
    buffer_measure: float | None
    wdq: float | None
    buffer_relative: float | None
    buffer_low: float | None
    buffer_high: float | None
    p: float | None
    verdict: str  # "too_few", "displacement", "diffusion", "no_clear_change"


def displacement(target_before: int, target_after: int, buffer_before: int,
                 buffer_after: int, comparison_before: int, comparison_after: int, *,
                 confidence: float = 0.95) -> Displacement:
    """The weighted displacement quotient and the buffer's change against the comparison
    area; see the module docstring."""
    _check(target_before, target_after, buffer_before, buffer_after, comparison_before,
           comparison_after)
    tb, ta, bb, ba, cb, ca = (int(v) for v in (target_before, target_after, buffer_before,
                                               buffer_after, comparison_before,
                                               comparison_after))
    success = buffer_m = wdq = None
    if cb > 0 and ca > 0:
        success = ta / ca - tb / cb
        buffer_m = ba / ca - bb / cb
        if success < 0:
            wdq = buffer_m / success
    if min(bb, ba, cb, ca) < MIN_COUNT:
        return Displacement(bb, ba, success, buffer_m, wdq, None, None, None, None, "too_few")
    r, low, high, p = _ratio(bb, ba, cb, ca, _z(confidence))
    if p < 1.0 - confidence:
        verdict = "displacement" if r > 1 else "diffusion"
    else:
        verdict = "no_clear_change"
    return Displacement(bb, ba, success, buffer_m, wdq, r, low, high, p, verdict)
