"""Emerging hot spots against an independent computation: Gi* per period through the hot
spot module's public function, the trend through a literal Mann-Kendall, and the categories
written out cell by cell from their definitions (docs/situation-picture.md)."""
from __future__ import annotations

import numpy as np
import pytest

from samverkan.analysis.emerging import CATEGORIES, emerging_hotspots
from samverkan.analysis.hotspots import gi_star_from_cell_counts

from .test_mannkendall import literal

SIZE = 200


def reference_categories(cube: np.ndarray, origin=(0, 0)) -> dict[tuple[int, int], str]:
    """Per period: gi_star_from_cell_counts on the whole study area; then each cell's
    category from the rules, in plain Python."""
    n, ny, nx = cube.shape
    jj, ii = np.mgrid[0:ny, 0:nx]
    extent = (origin[0], origin[1], origin[0] + nx - 1, origin[1] + ny - 1)
    bins = np.zeros(cube.shape, dtype=int)
    zs = np.zeros(cube.shape)
    for t in range(n):
        res = gi_star_from_cell_counts(ii.ravel() + origin[0], jj.ravel() + origin[1],
                                       cube[t].ravel(), SIZE, extent_cells=extent)
        if res.meaningful:
            bins[t] = res.bins
            zs[t] = res.z
    out = {}
    for j in range(ny):
        for i in range(nx):
            hot = [b >= 2 for b in bins[:, j, i]]
            cold = [b <= -2 for b in bins[:, j, i]]
            if not any(hot) and not any(cold):
                continue
            _s, _v, trend_z, trend_p = literal(zs[:, j, i])
            if hot[-1]:
                category = rules(hot, cold, trend_z, trend_p, "hot")
            elif cold[-1]:
                category = rules(cold, hot, -trend_z, trend_p, "cold")
            else:
                category = (rules(hot, cold, trend_z, trend_p, "hot")
                            or rules(cold, hot, -trend_z, trend_p, "cold"))
            if category:
                out[(i + origin[0], j + origin[1])] = category
    return out


def rules(sig, other, trend_z, trend_p, kind):
    n = len(sig)
    share = sum(sig) / n
    run = 0
    for flag in reversed(sig):
        if not flag:
            break
        run += 1
    trend = trend_p < 0.05
    if share >= 0.9 and sig[-1]:
        if trend and trend_z > 0:
            return f"intensifying_{kind}"
        if trend and trend_z < 0:
            return f"diminishing_{kind}"
        return f"persistent_{kind}"
    if share >= 0.9:
        return f"historical_{kind}"
    if not sig[-1]:
        return None
    if any(other):
        return f"oscillating_{kind}"
    if sum(sig) == 1:
        return f"new_{kind}"
    if run >= 2 and sum(sig) == run:
        return f"consecutive_{kind}"
    return f"sporadic_{kind}"


def sparse(cube: np.ndarray, origin=(0, 0)):
    t, j, i = np.nonzero(cube)
    return t, i + origin[0], j + origin[1], cube[t, j, i]


def planted_cube(seed: int, n: int = 24) -> np.ndarray:
    """A 30 x 30 grid with a Poisson background and planted 3 x 3 clusters: growing, steady,
    new, consecutive, on-and-off and stopped, a calm block that stays calm (cold) and one that
    turns hot in the last period (oscillating)."""
    rng = np.random.default_rng(seed)
    cube = rng.poisson(2.0, size=(n, 30, 30))

    def bump(j, i, add, when=slice(None)):
        cube[when, j - 1:j + 2, i - 1:i + 2] += np.asarray(add).reshape(-1, 1, 1)

    bump(4, 4, np.linspace(4, 12, n).astype(int))           # intensifying
    bump(4, 14, np.full(n, 5))                               # persistent
    bump(4, 24, [8], slice(-1, None))                        # new
    bump(14, 4, np.full(4, 6), slice(-4, None))              # consecutive
    bump(14, 14, np.full(len(range(0, n, 3)), 6), slice(None, None, 3))  # sporadic ...
    bump(14, 14, [6], slice(-1, None))                       # ... and in the last period
    bump(14, 24, np.full(n - 1, 5), slice(None, -1))         # historical
    cube[:, 22:27, 2:7] = 0                                  # always calm
    cube[:, 22:27, 12:17] = 0                                # calm, then ...
    bump(24, 14, [8], slice(-1, None))                       # ... hot in the last period
    return cube


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_categories_match_independent_computation(seed):
    cube = planted_cube(seed)
    result = emerging_hotspots(*sparse(cube, (100, 200)), cube.shape[0], SIZE)
    assert result.meaningful
    assert result.origin == (100, 200) and result.shape == cube.shape[1:]
    ours = {(int(c.x // SIZE), int(c.y // SIZE)): c.category for c in result.cells}
    assert ours == reference_categories(cube, (100, 200))
    assert len(ours) >= 4


def test_planted_patterns_are_found():
    cube = planted_cube(5)
    result = emerging_hotspots(*sparse(cube), cube.shape[0], SIZE)
    at = {(int(c.x // SIZE), int(c.y // SIZE)): c for c in result.cells}
    assert at[(4, 4)].category == "intensifying_hot"
    assert at[(4, 4)].trend_z > 2 and at[(4, 4)].trend_p < 0.05
    assert at[(4, 4)].count_trend_z > 2  # more incidents, too
    # Steady counts, but the growing cluster raises every period's variance, so this
    # cluster's z-scores may fall: z is relative to the rest of the area in that period.
    assert at[(14, 4)].category in ("persistent_hot", "diminishing_hot")
    assert at[(14, 4)].count_trend_p > 0.05  # its counts have no trend
    assert at[(24, 4)].category == "new_hot"
    assert at[(24, 4)].since == cube.shape[0] - 1
    assert at[(4, 14)].category == "consecutive_hot"
    assert at[(4, 14)].since == cube.shape[0] - 4
    assert at[(24, 14)].category == "historical_hot"
    assert at[(14, 14)].category == "sporadic_hot"
    assert at[(14, 24)].category == "oscillating_hot"
    assert at[(4, 24)].category in ("persistent_cold", "diminishing_cold")  # as above
    assert set(result.summary()) <= set(CATEGORIES)


def test_cell_geometry_and_dict():
    cube = planted_cube(6)
    result = emerging_hotspots(*sparse(cube, (3000, 33000)), cube.shape[0], 250)
    assert all(c.x % 250 == 0 and c.y % 250 == 0 for c in result.cells)
    data = result.to_dict()
    assert data["periods"] == cube.shape[0]
    assert set(data["cells"][0]) == {"x", "y", "category", "trend_z", "trend_p"}


def test_too_few_periods_or_incidents():
    cube = planted_cube(1, n=8)
    short = emerging_hotspots(*sparse(cube), 8, SIZE)
    assert not short.meaningful and short.cells == [] and "10" in short.message
    rng = np.random.default_rng(1)
    thin = rng.poisson(0.05, size=(20, 14, 14))  # about 10 incidents a period
    thin[:, 3, 3] += 2
    result = emerging_hotspots(*sparse(thin), 20, SIZE)
    assert not result.meaningful and result.meaningful_periods == 0
    # Some thin periods among busy ones: they show nothing, the rest is analysed.
    cube = planted_cube(2, n=24)
    cube[:3] = 0
    cube[:3, 0, 0] = 1
    part = emerging_hotspots(*sparse(cube), 24, SIZE)
    assert part.meaningful and part.meaningful_periods == 21 and "3 of 24" in part.message


def test_empty_and_single_cell():
    empty = emerging_hotspots([], [], [], [], 12, SIZE)
    assert not empty.meaningful and empty.cells == []
    one = emerging_hotspots(np.arange(12), np.zeros(12), np.zeros(12), np.full(12, 40), 12,
                            SIZE)
    assert not one.meaningful


def test_counts_outside_the_periods_and_extent_are_dropped():
    cube = planted_cube(3)
    t, ix, iy, c = sparse(cube)
    t2 = np.r_[t, 99, -1]
    result = emerging_hotspots(t2, np.r_[ix, 0, 0], np.r_[iy, 0, 0], np.r_[c, 500, 500],
                               cube.shape[0], SIZE)
    assert result.n_incidents == int(cube.sum())
    with pytest.raises(ValueError):
        emerging_hotspots(t, ix, iy, c, cube.shape[0], SIZE, extent_cells=(5, 5, 4, 4))
