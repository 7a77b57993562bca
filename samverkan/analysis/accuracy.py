"""How good is a hot-spot map? The predictive accuracy index (PAI) and the recapture rate.

A hot-spot map built on one period (its significant hot cells, confidence bin >= ``min_bin``)
is held against the incidents of the next period in the same study area:

* ``area_share``  = a / A: the hot cells' share of the study area's cells;
* ``hit_rate``    = n / N: the share of the next period's incidents (inside the study area)
  that fell in the hot cells;
* ``pai``         = hit_rate / area_share (Chainey, Tompson & Uhlig 2008): how many times more
  incidents per square kilometre the hot spots held than the area as a whole. 1 is no better
  than chance; crime maps used in practice reach about 2 to 20.
* ``recapture_rate`` = (n / n0) / (N / N0), Levine's recapture rate index (2008): the hot
  cells' share of the next period's incidents against their share of the map period's
  (``n0`` of ``N0``). About 1 means the hot spots kept their share; below 1 they lost it.

Uncertainty: ``hit_low``/``hit_high`` is the exact (Clopper-Pearson) interval of the hit rate;
``pai_low``/``pai_high`` the same divided by the area share. ``p`` is the one-sided exact
binomial test of "the hot spots held no more than their share of the area"
(``P(X >= n)`` for ``X ~ Bin(N, a/A)``); ``better_than_chance`` when ``p < 0.05``.
With no hot cells, or no incidents in the next period, nothing can be said (``pai = None``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .hotspots import HotspotResult

__all__ = ["MapAccuracy", "map_accuracy"]


@dataclass(frozen=True)
class MapAccuracy:
    hot_cells: int
    cells: int
    area_share: float
    map_incidents: int
    map_incidents_in_hot: int
    next_incidents: int
    next_incidents_in_hot: int
    hit_rate: float | None
    hit_low: float | None
    hit_high: float | None
    pai: float | None
    pai_low: float | None
    pai_high: float | None
    recapture_rate: float | None
    p: float | None
    better_than_chance: bool


def map_accuracy(hot_map: HotspotResult, ix: ArrayLike, iy: ArrayLike, counts: ArrayLike, *,
                 min_bin: int = 1, confidence: float = 0.95) -> MapAccuracy:
    """PAI and recapture rate of ``hot_map`` against the next period's cell counts
    ``(ix, iy, counts)`` (the same cell size; cells outside the map's study area are left
    out)."""
    from scipy import stats  # here: slow to import (a second of start-up)

    cx = np.asarray(ix, dtype=np.int64).ravel()
    cy = np.asarray(iy, dtype=np.int64).ravel()
    c = np.asarray(counts, dtype=np.int64).ravel()
    if not (cx.size == cy.size == c.size):
        raise ValueError("ix, iy and counts must have the same length")
    ny, nx = hot_map.shape
    hot = (hot_map.bins >= min_bin) if hot_map.meaningful else np.zeros((ny, nx), dtype=bool)
    i = cx - hot_map.origin[0]
    j = cy - hot_map.origin[1]
    inside = (i >= 0) & (i < nx) & (j >= 0) & (j < ny)
    i, j, c = i[inside], j[inside], c[inside]
    n_next = int(c.sum())
    n_hit = int(c[hot[j, i]].sum()) if c.size else 0
    a = int(hot.sum())
    cells = nx * ny
    share = a / cells if cells else 0.0
    map_total = int(np.asarray(hot_map.counts).sum())
    map_hit = int(np.asarray(hot_map.counts)[hot].sum())
    if a == 0 or n_next == 0 or cells == 0:
        return MapAccuracy(a, cells, share, map_total, map_hit, n_next, n_hit,
                           None if n_next == 0 else n_hit / n_next, None, None, None, None,
                           None, None, None, False)
    hit = n_hit / n_next
    ci = stats.binomtest(n_hit, n_next).proportion_ci(confidence_level=confidence,
                                                       method="exact")
    p = float(stats.binom.sf(n_hit - 1, n_next, share))
    recapture = None
    if map_hit > 0 and map_total > 0:
        recapture = (n_hit / map_hit) / (n_next / map_total)
    return MapAccuracy(
        hot_cells=a, cells=cells, area_share=share, map_incidents=map_total,
        map_incidents_in_hot=map_hit, next_incidents=n_next, next_incidents_in_hot=n_hit,
        hit_rate=hit, hit_low=float(ci.low), hit_high=float(ci.high), pai=hit / share,
        pai_low=float(ci.low) / share, pai_high=float(ci.high) / share,
        recapture_rate=recapture, p=p, better_than_chance=p < 1.0 - confidence)
