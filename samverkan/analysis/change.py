"""Honest change for small numbers.

Counts of incidents are compared with the Poisson variance-stabilising score::

    z = 2 * (sqrt(current) - sqrt(expected))

which is approximately standard normal when ``current`` is a Poisson count with
mean ``expected``. A change is *significant* when ``|z| >= 2`` (about 95 %
two-sided). With small numbers big percentages are common and meaningless:
3 incidents against a mean of 1 is "+200 %" but ``z = 1.46`` -- not flagged.

``ratio`` (current / expected) is carried for completeness only. Callers must
show the z-score / the significance flag, never a bare percentage.

Zero baseline: when ``expected == 0`` (all earlier periods empty) ``sqrt(0)``
would make one single incident look significant (``z = 2``). The score then uses
half an incident (``ZERO_EXPECTED = 0.5``, the usual continuity correction for a
zero count) in place of 0, so 1 or 2 incidents after empty periods are not
flagged and 3 or more are (``z = 2.05`` for 3). ``expected`` itself is reported
as 0 and ``ratio`` is ``None``/NaN (undefined). ``current == expected == 0``
gives ``z = 0``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "SIGNIFICANCE_Z",
    "ZERO_EXPECTED",
    "Change",
    "ChangeArrays",
    "compare_count_arrays",
    "compare_counts",
    "poisson_z",
]

SIGNIFICANCE_Z = 2.0
ZERO_EXPECTED = 0.5

Direction = Literal["increase", "decrease"]


def poisson_z(current: ArrayLike, expected: ArrayLike) -> NDArray[np.float64]:
    """``2 * (sqrt(current) - sqrt(expected))``, with the zero-baseline rule above.

    Where ``current`` and ``expected`` are both 0 the result is 0.
    """
    c = np.asarray(current, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    if np.any(c < 0) or np.any(e < 0):
        raise ValueError("counts and expected values must be non-negative")
    e_used = np.where((e == 0) & (c > 0), ZERO_EXPECTED, e)
    return np.asarray(2.0 * (np.sqrt(c) - np.sqrt(e_used)), dtype=np.float64)


@dataclass(frozen=True)
class Change:
    """A current count against the mean of earlier periods.

    Show ``z`` / ``significant`` / ``direction`` to users; ``ratio`` is not to be
    presented as a bare percentage.
    """

    current: float
    expected: float
    earlier: tuple[float, ...]
    z: float
    significant: bool
    direction: Direction | None
    ratio: float | None


def compare_counts(current: float, earlier: Sequence[float]) -> Change:
    """Compare ``current`` with ``expected = mean(earlier)``.

    ``direction`` is ``"increase"``/``"decrease"`` when significant (``|z| >= 2``),
    otherwise ``None``. With no earlier periods a ``ValueError`` is raised.
    """
    earlier_t = tuple(float(v) for v in earlier)
    if not earlier_t:
        raise ValueError("at least one earlier period is needed")
    cur = float(current)
    if not np.isfinite(cur) or not all(np.isfinite(earlier_t)):
        raise ValueError("counts must be finite")
    expected = float(np.mean(earlier_t))
    z = float(poisson_z(cur, expected))
    significant = abs(z) >= SIGNIFICANCE_Z
    direction: Direction | None = None
    if significant:
        direction = "increase" if z > 0 else "decrease"
    return Change(
        current=cur,
        expected=expected,
        earlier=earlier_t,
        z=z,
        significant=significant,
        direction=direction,
        ratio=cur / expected if expected > 0 else None,
    )


@dataclass(frozen=True, eq=False)
class ChangeArrays:
    """Vectorised :class:`Change`: ``direction`` is +1 (increase), -1 (decrease), 0.

    ``ratio`` is NaN where ``expected == 0``. Not for display as percentages.
    """

    current: NDArray[np.float64]
    expected: NDArray[np.float64]
    z: NDArray[np.float64]
    significant: NDArray[np.bool_]
    direction: NDArray[np.int8]
    ratio: NDArray[np.float64]


def compare_count_arrays(current: ArrayLike, expected: ArrayLike) -> ChangeArrays:
    """Many categories at once: element-wise :func:`compare_counts` with a given
    ``expected`` (e.g. the mean of earlier periods per category)."""
    c = np.asarray(current, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    c, e = np.broadcast_arrays(c, e)
    z = poisson_z(c, e)
    significant = np.abs(z) >= SIGNIFICANCE_Z
    direction = (np.sign(z) * significant).astype(np.int8)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(e > 0, c / np.where(e > 0, e, 1.0), np.nan)
    return ChangeArrays(
        current=c.copy(),
        expected=e.copy(),
        z=z,
        significant=significant,
        direction=direction,
        ratio=ratio,
    )
