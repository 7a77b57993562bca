"""Time-of-week profile: a 7 x 24 matrix (Monday = row 0, hour 0-23 columns).

Inputs are already in local time (Europe/Stockholm); converting timestamps is
the caller's job.

Standout hours compare each cell with what independence of day and hour would
give, ``expected = row total * column total / total``, using the Poisson
variance-stabilising score ``z = 2 * (sqrt(observed) - sqrt(expected))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["WEEKDAYS_SV", "StandoutHour", "standout_hours", "time_of_week_matrix"]

WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def time_of_week_matrix(
    weekday: ArrayLike, hour: ArrayLike, weights: ArrayLike | None = None
) -> NDArray[np.float64]:
    """7 x 24 counts (or summed weights); ``weekday`` 0 = Monday .. 6 = Sunday
    (Python's ``date.weekday()``), ``hour`` 0-23."""
    wd = np.asarray(weekday).ravel()
    hr = np.asarray(hour).ravel()
    if wd.size != hr.size:
        raise ValueError("weekday and hour must have the same length")
    if wd.size:
        if np.any(wd != np.floor(wd)) or wd.min() < 0 or wd.max() > 6:
            raise ValueError("weekday must be integers 0 (Monday) .. 6 (Sunday)")
        if np.any(hr != np.floor(hr)) or hr.min() < 0 or hr.max() > 23:
            raise ValueError("hour must be integers 0 .. 23")
    w = None
    if weights is not None:
        w = np.asarray(weights, dtype=np.float64).ravel()
        if w.size != wd.size:
            raise ValueError("weights must have the same length as weekday and hour")
    flat = wd.astype(np.int64) * 24 + hr.astype(np.int64)
    return np.bincount(flat, weights=w, minlength=7 * 24).astype(np.float64).reshape(7, 24)


@dataclass(frozen=True)
class StandoutHour:
    weekday: int
    hour: int
    count: float
    expected: float
    z: float


def standout_hours(matrix: ArrayLike, z_threshold: float = 2.0) -> list[StandoutHour]:
    """Cells with ``z >= z_threshold`` (more than independence predicts), sorted by
    z descending (ties: Monday first, earliest hour first). Empty for an empty
    matrix."""
    m = np.asarray(matrix, dtype=np.float64)
    if m.shape != (7, 24):
        raise ValueError("matrix must be 7 x 24")
    if np.any(m < 0):
        raise ValueError("counts must be non-negative")
    total = m.sum()
    if total <= 0:
        return []
    expected = np.multiply.outer(m.sum(axis=1), m.sum(axis=0)) / total
    z = 2.0 * (np.sqrt(m) - np.sqrt(expected))
    wd, hr = np.nonzero(z >= z_threshold)
    order = np.lexsort((hr, wd, -z[wd, hr]))
    return [
        StandoutHour(
            weekday=int(wd[i]),
            hour=int(hr[i]),
            count=float(m[wd[i], hr[i]]),
            expected=float(expected[wd[i], hr[i]]),
            z=float(z[wd[i], hr[i]]),
        )
        for i in order
    ]
