"""Emerging hot spots: is a place getting worse, and since when?

The method of ArcGIS Pro's *Emerging Hot Spot Analysis* (Space Time Pattern Mining), on the
same grid as :mod:`samverkan.analysis.hotspots`.

Space-time cube
---------------
Incidents are counted per cell and period: ``counts[t, j, i]`` for period ``t`` and the cell
with indices ``(origin[0] + i, origin[1] + j)`` (cells ``floor(x / size)``, ``floor(y / size)``
in SWEREF 99 TM, exactly as for hot spots). The study area is the bounding box of the cells
that have an incident in any period (or a given extent), empty cells included; it is the same
for every period.

Gi* per period
--------------
For each period, the Getis-Ord Gi* z-score of every cell with the hot-spot rules of
:mod:`~samverkan.analysis.hotspots`: the cell and its eight neighbours, binary weights, the
period's own mean and variance over the study area. A cell is a *significant hot spot* in a
period when its confidence bin is +2 or +3 (95 % confidence or more, after the false discovery
rate correction over the period's cells), a *significant cold spot* when it is -2 or -3.
A period with fewer than ``min_incidents`` (30) incidents, or whose cells all have the same
count, has no hot or cold spots (z = 0): too few points to tell a cluster from chance.

Trends
------
The Mann-Kendall test (:mod:`~samverkan.analysis.mannkendall`, ties corrected) on each cell's
series of Gi* z-scores (``trend_z``, ``trend_p``: is the clustering getting stronger or
weaker?) and of counts (``count_trend_z``, ``count_trend_p``: are there more incidents?).
A trend is significant when ``p < 0.05``. Both are computed for the cells that are a
significant hot or cold spot in at least one period (the others have no category).

Categories
----------
With ``n`` periods, ``H_t`` "significant hot spot in period t", ``share = sum(H) / n`` and the
last period ``t = n``; checked in this order (cold spots: the same with cold for hot and the
trend's sign reversed, so an *intensifying* cold spot gets colder):

============================ =================================================================
``intensifying_hot``         hot in >= 90 % of the periods, hot in the last, the z-scores'
                             trend is increasing and significant
``diminishing_hot``          hot in >= 90 %, hot in the last, significant decreasing trend
``persistent_hot``           hot in >= 90 %, hot in the last, no significant trend
``historical_hot``           hot in >= 90 % of the periods, but not in the last
``oscillating_hot``          hot in the last period, a significant cold spot in some earlier
                             period, hot in < 90 %
``new_hot``                  hot in the last period and never before (and never cold)
``consecutive_hot``          hot in an uninterrupted run of at least two periods at the end,
                             never before that run, never cold, hot in < 90 %
``sporadic_hot``             hot in the last period, also hot earlier but not in one run up to
                             the last (on and off), never cold, hot in < 90 %
============================ =================================================================

Every other cell has no pattern (``category = None``): e.g. a cell that was a hot spot for a
while but not in the last period and in fewer than 90 % of the periods. A cell that is both
significantly hot and cold at some time is categorised by the last period's sign.

``since`` is the first period of the final run of significant periods of the category's kind
(hot or cold) when the last period is significant, else the first such period.

At least ``MIN_PERIODS`` (10) periods are needed, as in ArcGIS; with fewer, or when fewer than
10 periods -- or fewer than half of them -- have enough incidents, the result is not meaningful
and has no cells (a trend over mostly empty periods would describe the gaps, not the place).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr

from .hotspots import CONFIDENCE_LEVELS, DEFAULT_MIN_INCIDENTS, neighbour_counts
from .mannkendall import mann_kendall

__all__ = [
    "CATEGORIES",
    "MIN_PERIODS",
    "EmergingCell",
    "EmergingResult",
    "emerging_hotspots",
]

MIN_PERIODS = 10
#: Share of the periods that makes a persistent/intensifying/diminishing/historical spot.
PERSISTENT_SHARE = 0.9
#: Significance level of the Mann-Kendall trend.
TREND_ALPHA = 0.05
#: Confidence bin (absolute) from which a cell counts as a significant hot/cold spot: 2 = 95 %.
SIGNIFICANT_BIN = 2
#: Refuse cubes larger than this many cell-periods (memory: about 20 bytes each).
MAX_CUBE = 150_000_000

_KINDS = ("intensifying", "diminishing", "persistent", "historical", "oscillating", "new",
          "consecutive", "sporadic")
#: Every category, hot ones first, in the order of the table above.
CATEGORIES: tuple[str, ...] = tuple(f"{k}_hot" for k in _KINDS) + tuple(
    f"{k}_cold" for k in _KINDS)
_CODE = {name: i + 1 for i, name in enumerate(CATEGORIES)}

#: |z| below which the two-sided p exceeds the loosest level (0.10), slightly low for safety.
_Z_LOOSEST = 1.6448


@dataclass(frozen=True, slots=True)
class EmergingCell:
    """One categorised cell; ``x``, ``y`` is its SOUTH-WEST corner (EPSG:3006 metres)."""

    x: float
    y: float
    category: str
    trend_z: float
    trend_p: float
    count_trend_z: float
    count_trend_p: float
    hot_periods: int
    cold_periods: int
    since: int
    count: int
    last_z: float


@dataclass(frozen=True, eq=False)
class EmergingResult:
    """Result of :func:`emerging_hotspots`. Arrays have shape ``(ny, nx)`` (row 0 south);
    ``category`` holds 0 (no pattern) or ``CATEGORIES.index(name) + 1``."""

    cell_size: float
    n_periods: int
    origin: tuple[int, int]
    shape: tuple[int, int]
    period_incidents: NDArray[np.int64]
    meaningful_periods: int
    meaningful: bool
    message: str | None
    category: NDArray[np.int8]
    cells: list[EmergingCell]

    @property
    def n_incidents(self) -> int:
        return int(self.period_incidents.sum())

    def summary(self) -> dict[str, int]:
        """Number of cells per category (only categories that occur)."""
        out: dict[str, int] = {}
        for cell in self.cells:
            out[cell.category] = out.get(cell.category, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "cell_size": self.cell_size, "periods": self.n_periods,
            "meaningful": self.meaningful, "message": self.message,
            "cells": [{"x": c.x, "y": c.y, "category": c.category, "trend_z": c.trend_z,
                       "trend_p": c.trend_p} for c in self.cells],
        }


def _significance(z: NDArray[np.float64], fdr: bool) -> NDArray[np.int8]:
    """Confidence bins (-3..3) of one period's z-scores, as in hotspots.confidence_bins, but
    only the p-values that can pass (p <= 0.10) are sorted: every smaller p passes too, so
    their rank among all m cells is their rank among these."""
    m = z.size
    level = np.zeros(m, dtype=np.int8)
    # p <= 0.10 exactly when |z| >= 1.6449: the p-values are computed only for those.
    small = np.flatnonzero(np.abs(z) >= _Z_LOOSEST)
    if small.size == 0:
        return level
    p = np.ones(m)
    p[small] = 2.0 * ndtr(-np.abs(z[small]))
    small = small[p[small] <= CONFIDENCE_LEVELS[-1][1]]
    if small.size == 0:
        return level
    ps = np.sort(p[small])
    for lvl, alpha in reversed(CONFIDENCE_LEVELS):
        if fdr:
            passing = np.flatnonzero(ps <= alpha * np.arange(1, ps.size + 1) / m)
            if passing.size == 0:
                continue
            crit = ps[passing[-1]]
        else:
            crit = alpha
        level[small[p[small] <= crit]] = lvl
    return (level * np.sign(z).astype(np.int8)).astype(np.int8)


def _box_sums(cube: NDArray[np.float32]) -> NDArray[np.float32]:
    """Each cell's 3 x 3 neighbourhood sum (self included, zero outside) in every period:
    the 1 x 3 x 3 correlation as four shifted additions (exact for integer counts)."""
    rows = cube.copy()
    rows[:, 1:, :] += cube[:, :-1, :]
    rows[:, :-1, :] += cube[:, 1:, :]
    out = rows.copy()
    out[:, :, 1:] += rows[:, :, :-1]
    out[:, :, :-1] += rows[:, :, 1:]
    return out


def _z(lag, mean: float, var: float, card, denominator, ok) -> NDArray[np.float64]:
    """Gi* z of cells from their neighbourhood sums (hotspots.gi_star_z's formula), 0 where
    the neighbourhood is the whole study area."""
    z = (lag.astype(np.float64) - mean * card) / (np.sqrt(var) * denominator)
    return np.where(ok, z, 0.0)


def _final_run(flags: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Length of the run of True at the end of each row."""
    rev = flags[:, ::-1]
    first_false = np.argmin(rev, axis=1)
    return np.where(rev.all(axis=1), flags.shape[1], first_false)


def _classify(sig: NDArray[np.bool_], other: NDArray[np.bool_], trend_z: NDArray[np.float64],
              trend_p: NDArray[np.float64], kind: str) -> tuple[NDArray[np.int8],
                                                                 NDArray[np.int64]]:
    """Codes of one kind (hot or cold) for rows of ``sig`` (significant of this kind per
    period) and ``other`` (significant of the other kind); ``trend_z`` already signed so that
    positive means "more of this kind". Returns (codes, since)."""
    m, n = sig.shape
    count = sig.sum(axis=1)
    last = sig[:, -1]
    share = count / n
    run = _final_run(sig)
    any_other = other.any(axis=1)
    trend_sig = trend_p < TREND_ALPHA
    code = np.zeros(m, dtype=np.int8)

    def put(mask, name):
        free = (code == 0) & mask
        code[free] = _CODE[f"{name}_{kind}"]

    high = share >= PERSISTENT_SHARE
    put(high & last & trend_sig & (trend_z > 0), "intensifying")
    put(high & last & trend_sig & (trend_z < 0), "diminishing")
    put(high & last & ~trend_sig, "persistent")
    put(high & ~last, "historical")
    low = ~high
    put(low & last & any_other, "oscillating")
    put(low & last & (count == 1), "new")
    put(low & last & (run >= 2) & (count == run), "consecutive")
    put(low & last & (count > run), "sporadic")
    first = np.argmax(sig, axis=1)
    since = np.where(last, n - run, first)
    return code, since


def emerging_hotspots(
    period: ArrayLike,
    ix: ArrayLike,
    iy: ArrayLike,
    counts: ArrayLike,
    n_periods: int,
    cell_size: float,
    *,
    extent_cells: Sequence[int] | None = None,
    min_incidents: int = DEFAULT_MIN_INCIDENTS,
    fdr: bool = True,
) -> EmergingResult:
    """Emerging hot spots from a sparse space-time cube: ``counts`` incidents in period
    ``period`` (0 .. n_periods - 1) and cell ``(ix, iy)`` -- e.g. from SQL ``GROUP BY period,
    floor(x/size), floor(y/size)``. Repeated triples are summed. ``extent_cells`` =
    ``(ix_min, iy_min, ix_max, iy_max)`` fixes the study area. See the module docstring."""
    if isinstance(cell_size, bool) or not np.isfinite(cell_size) or cell_size <= 0:
        raise ValueError("cell_size must be a positive number of metres")
    n_periods = int(n_periods)
    if n_periods < 1:
        raise ValueError("n_periods must be at least 1")
    t = np.asarray(period, dtype=np.int64).ravel()
    cx = np.asarray(ix, dtype=np.int64).ravel()
    cy = np.asarray(iy, dtype=np.int64).ravel()
    c = np.asarray(counts, dtype=np.int64).ravel()
    if not (t.size == cx.size == cy.size == c.size):
        raise ValueError("period, ix, iy and counts must have the same length")
    if c.size and (c.min() < 0):
        raise ValueError("counts must be non-negative")
    inside = (t >= 0) & (t < n_periods)
    if extent_cells is not None:
        ix0, iy0, ix1, iy1 = (int(v) for v in extent_cells)
        if ix1 < ix0 or iy1 < iy0:
            raise ValueError("extent is empty (max < min)")
        inside &= (cx >= ix0) & (cx <= ix1) & (cy >= iy0) & (cy <= iy1)
    t, cx, cy, c = t[inside], cx[inside], cy[inside], c[inside]
    if extent_cells is None:
        if cx.size:
            ix0, ix1, iy0, iy1 = int(cx.min()), int(cx.max()), int(cy.min()), int(cy.max())
        else:
            ix0 = iy0 = 0
            ix1 = iy1 = -1
    nx, ny = ix1 - ix0 + 1, iy1 - iy0 + 1
    ncell = nx * ny
    if ncell * n_periods > MAX_CUBE:
        raise ValueError(
            f"space-time cube of {nx} x {ny} cells x {n_periods} periods is too large "
            f"(max {MAX_CUBE} cell-periods); use larger cells or longer periods")
    flat = (cy - iy0) * nx + (cx - ix0)
    # Counts are small integers: float32 holds them (and their neighbourhood sums) exactly,
    # at half the memory traffic of float64.
    cube = np.zeros(n_periods * ncell, dtype=np.float32)
    np.add.at(cube, t * ncell + flat, c.astype(np.float32))
    cube = cube.reshape(n_periods, ny, nx)
    cf = c.astype(np.float64)
    per_period = np.bincount(t, weights=cf, minlength=n_periods).round().astype(np.int64)
    shape = (ny, nx)

    def empty(message: str, meaningful_periods: int = 0) -> EmergingResult:
        return EmergingResult(
            cell_size=cell_size, n_periods=n_periods, origin=(ix0, iy0), shape=shape,
            period_incidents=per_period, meaningful_periods=meaningful_periods,
            meaningful=False, message=message, category=np.zeros(shape, dtype=np.int8),
            cells=[])

    if n_periods < MIN_PERIODS:
        return empty(f"Only {n_periods} periods: at least {MIN_PERIODS} are needed for an "
                     "emerging hot spot analysis.")
    if ncell < 2:
        return empty("The incidents lie in fewer than two cells: nothing can stand out.")

    # Each period's mean and (population) variance over the study area, from the non-empty
    # cells alone: sum(y) and sum(y**2) per period.
    means = per_period / ncell
    squares = np.bincount(t, weights=cf * cf, minlength=n_periods) / ncell
    var = np.maximum(squares - means**2, 0.0)
    usable = (per_period >= min_incidents) & (var > 0)
    card = neighbour_counts(shape)
    spread = card * (ncell - card) / (ncell - 1)
    ok = spread > 0
    denominator = np.sqrt(np.where(ok, spread, 1.0))
    lag = _box_sums(cube)
    flat_card = card.ravel()
    flat_den = denominator.ravel()
    flat_ok = ok.ravel()
    lag2 = lag.reshape(n_periods, ncell)
    bins = np.zeros((n_periods, ncell), dtype=np.int8)
    for k in np.flatnonzero(usable):
        bins[k] = _significance(_z(lag2[k], means[k], var[k], flat_card, flat_den, flat_ok),
                                fdr)
    n_usable = int(usable.sum())
    if n_usable < MIN_PERIODS or 2 * n_usable < n_periods:
        return empty(f"Only {n_usable} of {n_periods} periods have at least {min_incidents} "
                     "incidents with a known place: an emerging hot spot analysis is not "
                     "meaningful. Choose longer periods, larger cells or a longer time.",
                     n_usable)
    message = None
    if n_usable < n_periods:
        message = (f"{n_periods - n_usable} of {n_periods} periods have fewer than "
                   f"{min_incidents} incidents with a known place and show no hot or cold "
                   "spots.")

    hot = bins >= SIGNIFICANT_BIN
    cold = bins <= -SIGNIFICANT_BIN
    candidates = np.flatnonzero(hot.any(axis=0) | cold.any(axis=0))
    category = np.zeros(ncell, dtype=np.int8)
    cells: list[EmergingCell] = []
    if candidates.size:
        h, cd = hot[:, candidates].T, cold[:, candidates].T
        # The categories that need no trend first; the trend (Mann-Kendall, the costly
        # part) only for the cells that get a category.
        nan = np.full(candidates.size, np.nan)
        code_hot, _ = _classify(h, cd, nan, nan, "hot")
        code_cold, _ = _classify(cd, h, nan, nan, "cold")
        keep = np.flatnonzero((code_hot != 0) | (code_cold != 0))
        cand = candidates[keep]
        h, cd = h[keep], cd[keep]
        zs = np.zeros((cand.size, n_periods), dtype=np.float64)
        for k in np.flatnonzero(usable):
            zs[:, k] = _z(lag2[k, cand], means[k], var[k], flat_card[cand], flat_den[cand],
                          flat_ok[cand])
        counts = cube.reshape(n_periods, ncell)[:, cand].T.astype(np.float64)
        mk_z = mann_kendall(zs)
        mk_c = mann_kendall(counts)
        code_hot, since_hot = _classify(h, cd, mk_z.z, mk_z.p, "hot")
        code_cold, since_cold = _classify(cd, h, -mk_z.z, mk_z.p, "cold")
        # The last period decides between a hot and a cold category; when it is neither, a
        # historical category of either kind (both cannot hold: each needs 90 %).
        code = np.where(h[:, -1], code_hot,
                        np.where(cd[:, -1], code_cold, np.maximum(code_hot, code_cold)))
        since = np.where(code > len(_KINDS), since_cold, since_hot)
        category[cand] = code
        totals = counts.sum(axis=1)
        jj, ii = np.divmod(cand, nx)
        xs = ((ii + ix0) * cell_size).tolist()
        ys = ((jj + iy0) * cell_size).tolist()
        n_hot = h.sum(axis=1)
        n_cold = cd.sum(axis=1)
        for k, x, y in zip(range(cand.size), xs, ys, strict=True):
            cells.append(EmergingCell(
                x=x, y=y, category=CATEGORIES[int(code[k]) - 1],
                trend_z=float(mk_z.z[k]), trend_p=float(mk_z.p[k]),
                count_trend_z=float(mk_c.z[k]), count_trend_p=float(mk_c.p[k]),
                hot_periods=int(n_hot[k]), cold_periods=int(n_cold[k]),
                since=int(since[k]), count=int(round(float(totals[k]))),
                last_z=float(zs[k, -1])))
        cells.sort(key=lambda cell: (_CODE[cell.category], -abs(cell.trend_z), cell.y,
                                     cell.x))
    return EmergingResult(
        cell_size=cell_size, n_periods=n_periods, origin=(ix0, iy0), shape=shape,
        period_incidents=per_period, meaningful_periods=n_usable, meaningful=True,
        message=message, category=category.reshape(shape), cells=cells)
