"""The Mann-Kendall trend test, for many series at once.

For a series ``x_1 .. x_n`` (in time order)::

    S      = sum_{i<j} sign(x_j - x_i)
    Var(S) = [n (n-1) (2n+5) - sum_g t_g (t_g-1) (2 t_g+5)] / 18

where ``t_g`` are the sizes of the groups of tied values (the tie correction of Kendall
1975). The normal score uses the continuity correction::

    Z = (S - 1) / sqrt(Var S)   if S > 0
    Z = 0                       if S = 0
    Z = (S + 1) / sqrt(Var S)   if S < 0

and ``p = 2 (1 - Phi(|Z|))`` (two-sided). A series whose values are all equal has
``Var(S) = 0``: ``Z = 0``, ``p = 1``. ``tau`` is Kendall's tau-a, ``S / (n (n-1) / 2)``.

``S`` is computed exactly without the O(n^2) pairs: the values of each series are replaced by
their dense ranks and ``S = sum_j (#{i<j: r_i < r_j} - #{i<j: r_i > r_j})`` is counted with a
Fenwick (binary indexed) tree, vectorised over the series: O(m n log n) for ``m`` series of
length ``n``. This is what ArcGIS's Emerging Hot Spot Analysis and Create Space Time Cube
use for the trend of each location (Mann 1945; Kendall 1975).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr

__all__ = ["MannKendall", "mann_kendall", "mann_kendall_s"]

#: Series processed together: keeps the Fenwick trees of one batch in the processor's cache.
_BATCH = 2048


@dataclass(frozen=True, eq=False)
class MannKendall:
    """Results for ``m`` series (arrays of shape ``(m,)``)."""

    n: int
    s: NDArray[np.int64]
    var_s: NDArray[np.float64]
    z: NDArray[np.float64]
    p: NDArray[np.float64]
    tau: NDArray[np.float64]


def _dense_ranks(x: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """1-based dense ranks of each row, and each row's tie term sum t (t-1) (2t+5)."""
    m, n = x.shape
    order = np.argsort(x, axis=1, kind="stable")
    s = np.take_along_axis(x, order, axis=1)
    new = np.ones((m, n), dtype=bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    dense = np.cumsum(new, axis=1, dtype=np.int64)
    ranks = np.empty((m, n), dtype=np.int64)
    np.put_along_axis(ranks, order, dense, axis=1)
    # Tie groups: runs of equal values in the sorted rows.
    run_id = np.cumsum(new.ravel()) - 1
    lengths = np.bincount(run_id).astype(np.float64)
    run_row = np.flatnonzero(new.ravel()) // n
    term = lengths * (lengths - 1.0) * (2.0 * lengths + 5.0)
    ties = np.bincount(run_row, weights=term, minlength=m)
    return ranks, ties


def _s_batch(ranks: NDArray[np.int64]) -> NDArray[np.int64]:
    m, n = ranks.shape
    top = int(ranks.max()) if ranks.size else 1
    levels = top.bit_length()
    # Index 0 is never written (always 0), so prefix sums need no masks; updates that pass
    # the largest rank are sent to one sink slot that is never read.
    sink = 1 << (levels + 1)
    width = sink + 1
    tree = np.zeros(m * width, dtype=np.int32)
    base = np.arange(m, dtype=np.int64) * width
    s = np.zeros(m, dtype=np.int64)
    for j in range(n):
        r = ranks[:, j]
        less = np.zeros(m, dtype=np.int64)
        i = r - 1
        for _ in range(levels):
            less += tree[base + i]
            i = i - (i & -i)
        leq = np.zeros(m, dtype=np.int64)
        i = r.copy()
        for _ in range(levels):
            leq += tree[base + i]
            i = i - (i & -i)
        s += less - (j - leq)
        i = r.copy()
        for _ in range(levels + 1):
            tree[base + i] += 1
            i = np.minimum(i + (i & -i), sink)
    return s


def mann_kendall_s(series: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """``(S, tie term)`` of each row of a 2-D array (rows are series in time order)."""
    x = np.asarray(series, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("series must be a 2-D array: one row per series")
    if not np.all(np.isfinite(x)):
        raise ValueError("series must be finite")
    m, n = x.shape
    s = np.zeros(m, dtype=np.int64)
    ties = np.zeros(m, dtype=np.float64)
    if n < 2 or m == 0:
        return s, ties
    for start in range(0, m, _BATCH):
        ranks, tie = _dense_ranks(x[start:start + _BATCH])
        s[start:start + _BATCH] = _s_batch(ranks)
        ties[start:start + _BATCH] = tie
    return s, ties


def mann_kendall(series: ArrayLike) -> MannKendall:
    """The Mann-Kendall test of each row of ``series`` (shape ``(m, n)``, or one series of
    shape ``(n,)``, returned as ``m = 1``); see the module docstring."""
    x = np.asarray(series, dtype=np.float64)
    if x.ndim == 1:
        x = x[np.newaxis, :]
    s, ties = mann_kendall_s(x)
    n = x.shape[1]
    var = (n * (n - 1.0) * (2.0 * n + 5.0) - ties) / 18.0
    var = np.maximum(var, 0.0)
    z = np.zeros(s.shape, dtype=np.float64)
    sd = np.sqrt(var)
    ok = sd > 0
    z[ok & (s > 0)] = (s[ok & (s > 0)] - 1.0) / sd[ok & (s > 0)]
    z[ok & (s < 0)] = (s[ok & (s < 0)] + 1.0) / sd[ok & (s < 0)]
    p = 2.0 * ndtr(-np.abs(z))
    pairs = n * (n - 1) / 2.0
    tau = s / pairs if pairs > 0 else np.zeros(s.shape)
    return MannKendall(n=n, s=s, var_s=var, z=z, p=p, tau=np.asarray(tau, dtype=np.float64))
