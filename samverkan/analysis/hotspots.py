"""Getis-Ord Gi* hot spot analysis on a square grid in SWEREF 99 TM (EPSG:3006).

Grid
----
Incidents (``x``, ``y`` in EPSG:3006 metres) are binned into square cells of
``cell_size`` metres aligned to multiples of the size: the cell index of a point is
``(floor(x / cell_size), floor(y / cell_size))``, exactly what a database
``GROUP BY floor(x / size), floor(y / size)`` returns. A point lying exactly on a
cell boundary therefore belongs to the cell to its east/north. A cell's reported
coordinates ``(x, y)`` are its SOUTH-WEST corner, ``index * cell_size``.

The study area is every cell of the bounding box of the occupied cells (or of a
given extent), *empty cells included* -- empty cells are what makes a cluster
stand out.

Arrays in :class:`HotspotResult` have shape ``(ny, nx)``; element ``[j, i]`` is the
cell with indices ``(origin[0] + i, origin[1] + j)``, i.e. row 0 is the southern-most
row (not image order).

Statistic
---------
Neighbourhood: the cell itself and its 8 surrounding cells (queen contiguity),
binary weights ``w_ij = 1``, self weight ``w_ii = 1`` (Gi*, ``star=True``). Cells
outside the study area do not exist (zero padding), so edge cells have 6 and
corner cells 4 neighbours (self included). The neighbourhood sums are a 3x3
``scipy.ndimage.correlate`` with ``mode="constant", cval=0``.

The z-score is the analytic z of PySAL esda's
``G_Local(y, w, star=True, transform="B")`` (``esda/getisord.py``,
``G_Local.calc``) with ``w = libpysal.weights.lat2W(ny, nx, rook=False)``::

    n      = number of cells in the study area
    T      = sum_j y_j
    ybar   = T / n
    s2     = sum_j y_j**2 / n - ybar**2          (population variance, ddof=0)
    W_i    = sum_j w_ij                          (neighbour count incl. self: 4, 6 or 9)
    G*_i   = sum_j w_ij y_j / T
    E_i    = W_i / n
    V_i    = W_i (n - W_i) / (n - 1) / n**2 * s2 / ybar**2
    z_i    = (G*_i - E_i) / sqrt(V_i)

which, multiplied through by ``T``, is the familiar Getis-Ord/ArcGIS form
``z_i = (sum_j w_ij y_j - ybar W_i) / (s sqrt((n W_i - W_i**2) / (n - 1)))``
(for binary weights ``sum_j w_ij**2 = W_i``). The latter is what is computed here
(``s2`` with a two-pass mean for accuracy); it agrees with esda to ~1e-12.

Degenerate cases (where esda divides by zero and returns NaN/inf):

* zero variance (all cells have the same count, including a single-cell study
  area): nothing stands out, ``z = 0``, ``p = 1``, bin 0 for every cell;
* a cell whose neighbourhood covers the whole study area (``W_i == n``, e.g. the
  centre of a 3x3 grid, or any cell of a grid at most 2x2): its G* is 1 whatever
  the data, so ``V_i = 0``; ``z = 0``, ``p = 1``, bin 0.

p-values and confidence bins
----------------------------
``p = 2 * (1 - Phi(|z|))`` (two-sided, standard normal).

Bins follow ArcGIS Pro's *Hot Spot Analysis (Getis-Ord Gi*)* ``Gi_Bin``: +3/+2/+1
is a hot spot with 99/95/90 % confidence, -3/-2/-1 a cold spot, 0 not
significant; the sign is the sign of z. With ``fdr=True`` (the default, like
ArcGIS's "Apply False Discovery Rate (FDR) Correction") the fixed cut-offs
0.01/0.05/0.10 are replaced by Benjamini-Hochberg critical p-values computed
over all ``m`` cells of the study area: for each ``alpha`` in (0.01, 0.05,
0.10), sort the p-values ``p_(1) <= ... <= p_(m)``, take the largest rank ``k``
with ``p_(k) <= alpha * k / m``; the critical value is ``p_(k)`` (no cell is
significant at that level if no such ``k`` exists). A cell gets the highest
level (3 > 2 > 1) whose critical value its ``p`` does not exceed. With
``fdr=False`` a cell gets the highest level with ``p <= alpha``.

Too few incidents
-----------------
With fewer than ``min_incidents`` (default 30, ArcGIS's own minimum) incidents
the result has ``meaningful=False``, a ``message`` saying the map is not
meaningful, ``z`` and ``p`` all NaN and all bins 0: no z-scores are claimed. The
counts are still returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import ndimage
from scipy.special import ndtr

__all__ = [
    "CONFIDENCE_LEVELS",
    "DEFAULT_MIN_INCIDENTS",
    "MAX_CELLS",
    "HotspotCell",
    "HotspotResult",
    "confidence_bins",
    "gi_star_from_cell_counts",
    "gi_star_from_points",
    "gi_star_z",
    "neighbour_counts",
]

CRS = "EPSG:3006"
DEFAULT_MIN_INCIDENTS = 30
#: (bin level, alpha) from the strictest level down.
CONFIDENCE_LEVELS: tuple[tuple[int, float], ...] = ((3, 0.01), (2, 0.05), (1, 0.10))
#: Refuse study areas larger than this many cells (guards against an outlier point
#: or a wrong CRS creating a grid that does not fit in memory).
MAX_CELLS = 25_000_000

_KERNEL = np.ones((3, 3), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class HotspotCell:
    """One cell of the study area; ``x``, ``y`` is its SOUTH-WEST corner (EPSG:3006 m)."""

    x: float
    y: float
    count: float
    z: float
    p: float
    bin: int


@dataclass(frozen=True, eq=False)
class HotspotResult:
    """Result of a Gi* run. Arrays are read-only and have shape ``(ny, nx)``.

    ``counts[j, i]`` is the cell with indices ``(origin[0] + i, origin[1] + j)``;
    row 0 is the southern-most row.
    """

    cell_size: float
    n_incidents: int
    origin: tuple[int, int]
    shape: tuple[int, int]
    counts: NDArray[Any]
    z: NDArray[np.float64]
    p: NDArray[np.float64]
    bins: NDArray[np.int8]
    meaningful: bool
    message: str | None = None
    crs: str = CRS

    @property
    def n_cells(self) -> int:
        return int(self.shape[0] * self.shape[1])

    def _corner_arrays(self) -> tuple[NDArray[Any], NDArray[Any]]:
        ny, nx = self.shape
        ix = np.arange(self.origin[0], self.origin[0] + nx, dtype=np.int64)
        iy = np.arange(self.origin[1], self.origin[1] + ny, dtype=np.int64)
        xs = np.broadcast_to(ix[np.newaxis, :] * self.cell_size, (ny, nx))
        ys = np.broadcast_to(iy[:, np.newaxis] * self.cell_size, (ny, nx))
        return xs, ys

    def _columns(self) -> tuple[list[Any], ...]:
        xs, ys = self._corner_arrays()
        z = self.z.astype(object)
        z[np.isnan(self.z)] = None
        p = self.p.astype(object)
        p[np.isnan(self.p)] = None
        return (
            xs.ravel().tolist(),
            ys.ravel().tolist(),
            self.counts.ravel().tolist(),
            [None if v is None else float(v) for v in z.ravel().tolist()],
            [None if v is None else float(v) for v in p.ravel().tolist()],
            self.bins.ravel().astype(np.int64).tolist(),
        )

    def cells(self) -> list[HotspotCell]:
        """Every cell of the study area, south row first, west to east within a row.

        ``z`` and ``p`` are ``float('nan')`` when no z-score is claimed.
        """
        xs, ys, counts, zs, ps, bins = self._columns()
        nan = float("nan")
        return [
            HotspotCell(x, y, c, nan if z is None else z, nan if p is None else p, b)
            for x, y, c, z, p, b in zip(xs, ys, counts, zs, ps, bins, strict=True)
        ]

    def significant_cells(self) -> list[HotspotCell]:
        """The cells with a non-zero confidence bin, strongest |z| first. Only those cells
        become objects (a country's grid has millions of cells)."""
        jj, ii = np.nonzero(self.bins)
        xs = ((ii + self.origin[0]) * self.cell_size).tolist()
        ys = ((jj + self.origin[1]) * self.cell_size).tolist()
        cells = [HotspotCell(x, y, c, float(z), float(p), int(b)) for x, y, c, z, p, b in zip(
            xs, ys, self.counts[jj, ii].tolist(), self.z[jj, ii].tolist(),
            self.p[jj, ii].tolist(), self.bins[jj, ii].tolist(), strict=True)]
        cells.sort(key=lambda c: (-abs(c.z), c.y, c.x))
        return cells

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (plain Python numbers, NaN -> None).

        ``{"cell_size": S, "crs": "EPSG:3006", "n_incidents": N,
        "cells": [{"x": X, "y": Y, "count": C, "z": Z, "p": P, "bin": B}, ...]}``
        """
        xs, ys, counts, zs, ps, bins = self._columns()
        return {
            "cell_size": self.cell_size,
            "crs": self.crs,
            "n_incidents": self.n_incidents,
            "cells": [
                {"x": x, "y": y, "count": c, "z": z, "p": p, "bin": b}
                for x, y, c, z, p, b in zip(xs, ys, counts, zs, ps, bins, strict=True)
            ],
        }


# --------------------------------------------------------------------------- core


def gi_star_z(grid: ArrayLike) -> NDArray[np.float64]:
    """Analytic Gi* z-scores of a 2-D grid of values (see the module docstring).

    Equal to esda ``G_Local(grid.ravel(), lat2W(ny, nx, rook=False), star=True,
    transform="B").Zs`` reshaped, except that the degenerate cases esda returns
    NaN for are 0 here.
    """
    y = np.asarray(grid, dtype=np.float64)
    if y.ndim != 2:
        raise ValueError("grid must be 2-D")
    ny, nx = y.shape
    n = y.size
    z = np.zeros((ny, nx), dtype=np.float64)
    if n <= 1:
        return z
    mean = y.mean()
    var = float(np.mean((y - mean) ** 2))
    if not var > 0.0:
        return z
    lag = ndimage.correlate(y, _KERNEL, mode="constant", cval=0.0)
    if ny >= 3 and nx >= 3 and n > 9:
        # Inside the border every cell has 9 neighbours: one scalar formula, in place (a
        # country grid has ten million cells); then the border rows and columns with their
        # own neighbour counts (6, or 4 in the corners), from their saved sums.
        rows, cols = _neighbour_factors((ny, nx))
        saved = [(np.s_[0, :], lag[0, :].copy(), rows[0] * cols),
                 (np.s_[-1, :], lag[-1, :].copy(), rows[-1] * cols),
                 (np.s_[:, 0], lag[:, 0].copy(), rows * cols[0]),
                 (np.s_[:, -1], lag[:, -1].copy(), rows * cols[-1])]
        z = lag
        z -= mean * 9.0
        z /= np.sqrt(var * 9.0 * (n - 9.0) / (n - 1))
        for sl, edge_lag, c in saved:
            spread = c * (n - c) / (n - 1)
            z[sl] = np.where(spread > 0, (edge_lag - mean * c)
                             / np.sqrt(var * np.where(spread > 0, spread, 1.0)), 0.0)
        return z
    card = neighbour_counts((ny, nx))
    spread = card * (n - card) / (n - 1)
    ok = spread > 0.0
    np.divide(lag - mean * card, np.sqrt(var * spread), out=z, where=ok)
    return z


def neighbour_counts(shape: tuple[int, int]) -> NDArray[np.float64]:
    """``W_i``, the number of cells in each cell's 3 x 3 neighbourhood (self included) inside
    a study area of ``shape`` = ``(ny, nx)``: 9 inside, 6 on an edge, 4 in a corner. The counts
    separate into rows x columns."""
    rows, cols = _neighbour_factors(shape)
    return np.multiply.outer(rows, cols)


def _neighbour_factors(shape: tuple[int, int]) -> tuple[NDArray[np.float64],
                                                       NDArray[np.float64]]:
    ny, nx = shape
    rows = np.full(ny, 3.0)
    cols = np.full(nx, 3.0)
    rows[0] -= 1.0
    rows[-1] -= 1.0
    cols[0] -= 1.0
    cols[-1] -= 1.0
    if ny == 1:
        rows[:] = 1.0
    if nx == 1:
        cols[:] = 1.0
    return rows, cols


def _two_sided_p(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return 2.0 * ndtr(-np.abs(z))


def _bh_critical(p_sorted: NDArray[np.float64], alpha: float, m: int | None = None) -> float:
    """Benjamini-Hochberg critical p: largest p_(k) with p_(k) <= alpha k / m, else -1.

    ``p_sorted`` may be only the smallest p-values (all those that can pass); ``m`` is the
    number of all of them (default: ``p_sorted.size``)."""
    m = p_sorted.size if m is None else m
    if m == 0 or p_sorted.size == 0:
        return -1.0
    passing = np.flatnonzero(p_sorted <= alpha * np.arange(1, p_sorted.size + 1) / m)
    if passing.size == 0:
        return -1.0
    return float(p_sorted[passing[-1]])


def confidence_bins(z: ArrayLike, p: ArrayLike, *, fdr: bool = True) -> NDArray[np.int8]:
    """ArcGIS-style Gi_Bin (-3..3) from z and two-sided p; see the module docstring.

    NaN p-values get bin 0 and are left out of the FDR ranking.
    """
    z_a = np.asarray(z, dtype=np.float64)
    p_a = np.asarray(p, dtype=np.float64)
    level = np.zeros(p_a.shape, dtype=np.int8)
    valid = ~np.isnan(p_a)
    m = int(np.count_nonzero(valid))
    # Only the p-values that can pass the loosest level are sorted: a p-value's rank among
    # them is its rank among all m (a country's grid has millions of cells).
    loosest = CONFIDENCE_LEVELS[-1][1]
    p_sorted = np.sort(p_a[valid & (p_a <= loosest)]) if fdr else np.empty(0)
    # Loosest level first so that stricter levels overwrite it.
    for lvl, alpha in reversed(CONFIDENCE_LEVELS):
        crit = _bh_critical(p_sorted, alpha, m) if fdr else alpha
        level[valid & (p_a <= crit)] = lvl
    return (level * np.sign(np.nan_to_num(z_a)).astype(np.int8)).astype(np.int8)


def _readonly(a: NDArray[Any]) -> NDArray[Any]:
    a.setflags(write=False)
    return a


def _from_cells(
    ix: NDArray[np.int64],
    iy: NDArray[np.int64],
    values: NDArray[Any] | None,
    cell_size: float,
    n_incidents: int,
    extent_cells: tuple[int, int, int, int] | None,
    min_incidents: int,
    fdr: bool,
) -> HotspotResult:
    if extent_cells is not None:
        ix0, iy0, ix1, iy1 = (int(v) for v in extent_cells)
        if ix1 < ix0 or iy1 < iy0:
            raise ValueError("extent is empty (max < min)")
        inside = (ix >= ix0) & (ix <= ix1) & (iy >= iy0) & (iy <= iy1)
        if not inside.all():
            ix, iy = ix[inside], iy[inside]
            values = None if values is None else values[inside]
    elif ix.size:
        ix0, ix1 = int(ix.min()), int(ix.max())
        iy0, iy1 = int(iy.min()), int(iy.max())
    else:
        ix0 = iy0 = 0
        ix1 = iy1 = -1
    nx, ny = ix1 - ix0 + 1, iy1 - iy0 + 1
    if nx * ny > MAX_CELLS:
        raise ValueError(
            f"study area of {nx} x {ny} cells is too large (max {MAX_CELLS}); "
            "use a larger cell size or check the coordinates (EPSG:3006 metres)"
        )
    flat = (iy - iy0) * nx + (ix - ix0)
    counts: NDArray[Any]
    if values is None:  # one per point
        counts = np.bincount(flat, minlength=nx * ny).astype(np.int64)
    elif np.issubdtype(values.dtype, np.integer):
        counts = np.rint(np.bincount(flat, weights=values, minlength=nx * ny)).astype(np.int64)
    else:
        counts = np.bincount(flat, weights=values, minlength=nx * ny)
    counts = counts.reshape(ny, nx)

    shape = (ny, nx)
    message: str | None = None
    if n_incidents < min_incidents or n_incidents <= 0 or counts.size == 0:
        meaningful = False
        z = np.full(shape, np.nan)
        p = np.full(shape, np.nan)
        bins = np.zeros(shape, dtype=np.int8)
        if n_incidents <= 0:
            message = "No incidents in the study area: a hot spot map is not meaningful."
        else:
            message = (
                f"Only {n_incidents} incident(s); at least {min_incidents} are needed, "
                "so a hot spot map is not meaningful."
            )
    else:
        meaningful = True
        z = gi_star_z(counts)
        p = _two_sided_p(z)
        bins = confidence_bins(z, p, fdr=fdr)
        if counts.size == 1 or not np.any(counts != counts.flat[0]):
            message = (
                "All cells in the study area have the same count; "
                "no hot or cold spots can be identified."
            )
    return HotspotResult(
        cell_size=cell_size,
        n_incidents=int(n_incidents),
        origin=(ix0, iy0),
        shape=shape,
        counts=_readonly(counts),
        z=_readonly(z),
        p=_readonly(p),
        bins=_readonly(bins),
        meaningful=meaningful,
        message=message,
    )


def _check_cell_size(cell_size: float) -> float:
    if isinstance(cell_size, bool) or not np.isfinite(cell_size) or cell_size <= 0:
        raise ValueError("cell_size must be a positive number of metres")
    if isinstance(cell_size, np.generic):
        return cell_size.item()  # type: ignore[no-any-return]
    return cell_size


def _check_weights(weights: ArrayLike, n: int) -> NDArray[np.float64]:
    w = np.asarray(weights, dtype=np.float64).ravel()
    if w.size != n:
        raise ValueError("weights must have the same length as x and y")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and non-negative")
    return w


# --------------------------------------------------------------------------- API


def gi_star_from_points(
    x: ArrayLike,
    y: ArrayLike,
    cell_size: float,
    weights: ArrayLike | None = None,
    extent: Sequence[float] | None = None,
    min_incidents: int = DEFAULT_MIN_INCIDENTS,
    *,
    fdr: bool = True,
) -> HotspotResult:
    """Gi* hot spots from incident points in EPSG:3006 metres.

    ``weights`` (optional, one non-negative number per point) are summed per cell
    instead of counting points; ``n_incidents`` is still the number of points.

    ``extent`` = ``(xmin, ymin, xmax, ymax)`` in metres fixes the study area to the
    cells from ``floor(xmin / size)`` to ``ceil(xmax / size) - 1`` (the cells
    overlapping the box; at least one), likewise for y; points outside those
    cells are dropped and not counted in ``n_incidents``. Without ``extent`` the
    study area is the bounding box of the occupied cells.

    See the module docstring for the statistic, bins and degenerate cases.
    """
    size = _check_cell_size(cell_size)
    xa = np.asarray(x, dtype=np.float64).ravel()
    ya = np.asarray(y, dtype=np.float64).ravel()
    if xa.size != ya.size:
        raise ValueError("x and y must have the same length")
    if not (np.all(np.isfinite(xa)) and np.all(np.isfinite(ya))):
        raise ValueError("x and y must be finite (EPSG:3006 metres)")
    values = None if weights is None else _check_weights(weights, xa.size)
    ix = np.floor(xa / size).astype(np.int64)
    iy = np.floor(ya / size).astype(np.int64)
    extent_cells: tuple[int, int, int, int] | None = None
    if extent is not None:
        xmin, ymin, xmax, ymax = (float(v) for v in extent)
        if xmax < xmin or ymax < ymin:
            raise ValueError("extent must be (xmin, ymin, xmax, ymax) with max >= min")
        ex0, ey0 = int(np.floor(xmin / size)), int(np.floor(ymin / size))
        extent_cells = (
            ex0,
            ey0,
            max(ex0, int(np.ceil(xmax / size)) - 1),
            max(ey0, int(np.ceil(ymax / size)) - 1),
        )
        ex1, ey1 = extent_cells[2], extent_cells[3]
        inside = (ix >= ex0) & (ix <= ex1) & (iy >= ey0) & (iy <= ey1)
        n_incidents = int(np.count_nonzero(inside))
    else:
        n_incidents = int(xa.size)
    return _from_cells(ix, iy, values, size, n_incidents, extent_cells, min_incidents, fdr)


def gi_star_from_cell_counts(
    ix: ArrayLike,
    iy: ArrayLike,
    counts: ArrayLike,
    cell_size: float,
    n_incidents: int | None = None,
    extent_cells: Sequence[int] | None = None,
    min_incidents: int = DEFAULT_MIN_INCIDENTS,
    *,
    fdr: bool = True,
) -> HotspotResult:
    """Gi* hot spots from per-cell counts, e.g. from SQL
    ``SELECT floor(x/size), floor(y/size), count(*) ... GROUP BY 1, 2``.

    Gives exactly the same result as :func:`gi_star_from_points` on the points
    behind the counts. Repeated ``(ix, iy)`` pairs are summed. Cells not listed are
    empty.

    ``n_incidents`` defaults to the sum of ``counts`` (rounded); pass the number of
    incidents explicitly when ``counts`` are weighted sums. ``extent_cells`` =
    ``(ix_min, iy_min, ix_max, iy_max)``, inclusive integer cell indices, fixes the
    study area; listed cells outside it are dropped (and, when ``n_incidents`` is
    not given, not counted).
    """
    size = _check_cell_size(cell_size)
    ixa = np.asarray(ix).ravel()
    iya = np.asarray(iy).ravel()
    ca = np.asarray(counts).ravel()
    if not (ixa.size == iya.size == ca.size):
        raise ValueError("ix, iy and counts must have the same length")
    for name, arr in (("ix", ixa), ("iy", iya)):
        if (
            arr.size
            and not np.issubdtype(arr.dtype, np.integer)
            and (not np.all(np.isfinite(arr)) or np.any(arr != np.floor(arr)))
        ):
            raise ValueError(f"{name} must be integer cell indices")
    ixa = ixa.astype(np.int64)
    iya = iya.astype(np.int64)
    if np.issubdtype(ca.dtype, np.integer):
        if np.any(ca < 0):
            raise ValueError("counts must be non-negative")
        values: NDArray[Any] = ca.astype(np.int64)
    else:
        values = _check_weights(ca, ca.size)
    ext: tuple[int, int, int, int] | None = None
    if extent_cells is not None:
        e = tuple(int(v) for v in extent_cells)
        if len(e) != 4:
            raise ValueError("extent_cells must be (ix_min, iy_min, ix_max, iy_max)")
        ext = (e[0], e[1], e[2], e[3])
    if n_incidents is None:
        if ext is not None:
            inside = (ixa >= ext[0]) & (ixa <= ext[2]) & (iya >= ext[1]) & (iya <= ext[3])
            total = values[inside].sum()
        else:
            total = values.sum()
        n_incidents = int(round(float(total)))
    return _from_cells(ixa, iya, values, size, int(n_incidents), ext, min_incidents, fdr)
