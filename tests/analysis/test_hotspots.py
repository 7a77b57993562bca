"""Gi* hot spots: esda agreement, hand-checked grids, alignment, FDR, contract."""

from __future__ import annotations

import json
import math
import time
import warnings

import numpy as np
import pytest

from samverkan.analysis.hotspots import (
    HotspotResult,
    confidence_bins,
    gi_star_from_cell_counts,
    gi_star_from_points,
    gi_star_z,
)


def esda_zs(grid: np.ndarray) -> np.ndarray:
    esda_getisord = pytest.importorskip("esda.getisord")
    lat2w = pytest.importorskip("libpysal.weights").lat2W
    ny, nx = grid.shape
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lg = esda_getisord.G_Local(
            grid.ravel().astype(float),
            lat2w(ny, nx, rook=False),
            star=True,
            transform="B",
            permutations=0,
        )
    return np.asarray(lg.Zs).reshape(ny, nx)


def points_from_grid(grid: np.ndarray, size: float, origin=(0, 0), seed=0):
    """Random points inside each cell, count[j, i] of them in cell (i, j)."""
    rng = np.random.default_rng(seed)
    jj, ii = np.nonzero(grid)
    reps = grid[jj, ii].astype(int)
    ix = np.repeat(ii + origin[0], reps)
    iy = np.repeat(jj + origin[1], reps)
    x = (ix + rng.uniform(0.0, 0.999, ix.size)) * size
    y = (iy + rng.uniform(0.0, 0.999, iy.size)) * size
    return x, y


# ------------------------------------------------------------------ esda agreement


@pytest.mark.parametrize(
    ("shape", "lam", "seed"),
    [((7, 9), 3.0, 1), ((20, 30), 2.0, 2), ((9, 7), 0.7, 3), ((1, 12), 4.0, 4), ((4, 5), 8, 5)],
)
def test_z_matches_esda_on_random_grids(shape, lam, seed):
    rng = np.random.default_rng(seed)
    grid = rng.poisson(lam, shape)
    grid[shape[0] // 2, shape[1] // 2] += 15  # a bump, and guarantees variance
    np.testing.assert_allclose(gi_star_z(grid), esda_zs(grid), rtol=0, atol=1e-9)


@pytest.mark.parametrize(("shape", "seed"), [((7, 9), 11), ((20, 30), 12)])
def test_both_entry_points_match_esda(shape, seed):
    rng = np.random.default_rng(seed)
    grid = rng.poisson(2.5, shape)
    # Make sure the bounding box of occupied cells is the whole grid.
    grid[0, 0] = grid[-1, -1] = grid[0, -1] = grid[-1, 0] = 1
    expected = esda_zs(grid)
    size = 250
    origin = (2300, 26320)  # around Eskilstuna in SWEREF 99 TM at 250 m
    x, y = points_from_grid(grid, size, origin, seed)
    from_points = gi_star_from_points(x, y, size)
    jj, ii = np.nonzero(np.ones_like(grid))
    from_counts = gi_star_from_cell_counts(ii + origin[0], jj + origin[1], grid[jj, ii], size)
    for res in (from_points, from_counts):
        assert res.meaningful
        assert res.origin == origin
        assert res.shape == shape
        np.testing.assert_array_equal(res.counts, grid)
        np.testing.assert_allclose(res.z, expected, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(from_points.z, from_counts.z)
    np.testing.assert_array_equal(from_points.bins, from_counts.bins)


def test_weighted_points_equal_weighted_cell_counts():
    rng = np.random.default_rng(7)
    x = rng.uniform(-1000, 1500, 400)
    y = rng.uniform(6_580_000, 6_582_000, 400)
    w = rng.uniform(0.5, 3.0, 400)
    res = gi_star_from_points(x, y, 200, weights=w)
    ix = np.floor(x / 200).astype(int)
    iy = np.floor(y / 200).astype(int)
    res2 = gi_star_from_cell_counts(ix, iy, w, 200, n_incidents=400)  # duplicates summed
    assert res.n_incidents == res2.n_incidents == 400
    np.testing.assert_allclose(res.counts, res2.counts, atol=1e-12)
    np.testing.assert_allclose(res.z, res2.z, atol=1e-12)
    np.testing.assert_allclose(res.z, esda_zs(res.counts), atol=1e-9)
    assert res.counts.sum() == pytest.approx(w.sum())


# ------------------------------------------------------------------ hand-checked


def test_3x3_hot_centre_by_hand():
    # y = 9 in the centre, 0 elsewhere: n = 9, T = 9, ybar = 1,
    # s^2 = 81/9 - 1 = 8, s = 2*sqrt(2). Every cell neighbours the centre, so
    # sum_j w_ij y_j = 9 for all cells.
    # corner (W=4): z = (9 - 4) / (2 sqrt2 * sqrt((9*4 - 16)/8)) = 5 / (2 sqrt5) = sqrt5/2
    # edge   (W=6): z = (9 - 6) / (2 sqrt2 * sqrt((9*6 - 36)/8)) = 3 / (3 sqrt2) = 1/sqrt2
    # centre (W=9=n): V = 0 -> reported as 0 (esda: NaN)
    grid = np.zeros((3, 3), dtype=int)
    grid[1, 1] = 9
    z = gi_star_z(grid)
    corner, edge = math.sqrt(5) / 2, 1 / math.sqrt(2)
    expected = np.array([[corner, edge, corner], [edge, 0.0, edge], [corner, edge, corner]])
    np.testing.assert_allclose(z, expected, atol=1e-12)
    ez = esda_zs(grid)
    assert np.isnan(ez[1, 1])
    np.testing.assert_allclose(np.delete(z.ravel(), 4), np.delete(ez.ravel(), 4), atol=1e-9)


def test_5x5_hot_centre_by_hand():
    # centre 25, rest 0: n = 25, T = 25, ybar = 1, s^2 = 625/25 - 1 = 24.
    # Interior cells (W=9) all contain the centre: z = (25 - 9) / (sqrt24 *
    # sqrt((25*9 - 81)/24)) = 16 / 12 = 4/3.
    # Corner (W=4), not touching the centre: z = (0 - 4) / sqrt(24 * (100-16)/24) = -4/sqrt84.
    # Edge cell (0, 2) (W=6), not touching the centre: z = -6 / sqrt(150 - 36) = -6/sqrt114.
    grid = np.zeros((5, 5))
    grid[2, 2] = 25
    z = gi_star_z(grid)
    assert z[2, 2] == pytest.approx(4 / 3, abs=1e-12)
    assert z[1, 1] == pytest.approx(4 / 3, abs=1e-12)
    assert z[3, 2] == pytest.approx(4 / 3, abs=1e-12)
    assert z[0, 0] == pytest.approx(-4 / math.sqrt(84), abs=1e-12)
    assert z[4, 4] == pytest.approx(-4 / math.sqrt(84), abs=1e-12)
    assert z[0, 2] == pytest.approx(-6 / math.sqrt(114), abs=1e-12)
    np.testing.assert_allclose(z, esda_zs(grid), atol=1e-9)


def test_written_formula_loop_on_small_grid():
    # Independent plain-Python implementation of the documented formula.
    rng = np.random.default_rng(5)
    grid = rng.poisson(3, (4, 6)).astype(float)
    ny, nx = grid.shape
    vals = grid.ravel().tolist()
    n = len(vals)
    ybar = sum(vals) / n
    s = math.sqrt(sum(v * v for v in vals) / n - ybar**2)
    for j in range(ny):
        for i in range(nx):
            nb = [
                grid[jj, ii]
                for jj in range(j - 1, j + 2)
                for ii in range(i - 1, i + 2)
                if 0 <= jj < ny and 0 <= ii < nx
            ]
            wsum = len(nb)
            want = (sum(nb) - ybar * wsum) / (s * math.sqrt((n * wsum - wsum**2) / (n - 1)))
            assert gi_star_z(grid)[j, i] == pytest.approx(want, abs=1e-12)


# ------------------------------------------------------------------ alignment, study area


def test_cell_alignment_negative_positive_and_boundaries():
    size = 100
    x = np.array([-0.5, 0.0, 99.999, 100.0, -100.0, -100.01])
    y = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    res = gi_star_from_points(x, y, size, min_incidents=0)
    # -0.5 -> -1, 0 -> 0, 99.999 -> 0, 100 -> 1, -100 -> -1, -100.01 -> -2
    assert res.origin == (-2, 0)
    assert res.shape == (1, 4)
    np.testing.assert_array_equal(res.counts, [[1, 2, 2, 1]])
    assert [c.x for c in res.cells()] == [-200, -100, 0, 100]
    assert all(c.y == 0 for c in res.cells())


def test_study_area_includes_empty_cells_and_sw_corners():
    size = 500
    x = np.array([587_100.0, 588_400.0, 588_499.0])
    y = np.array([6_581_020.0, 6_582_100.0, 6_582_400.0])
    res = gi_star_from_points(x, y, size, min_incidents=0)
    # x cells 1174..1176, y cells 13162..13164
    assert res.origin == (1174, 13162)
    assert res.shape == (3, 3)
    cells = res.cells()
    assert len(cells) == 9
    assert sum(c.count for c in cells) == 3
    assert sum(1 for c in cells if c.count == 0) == 7
    # South row first, west to east; SW corners are index * size.
    assert (cells[0].x, cells[0].y) == (587_000, 6_581_000)
    assert (cells[1].x, cells[1].y) == (587_500, 6_581_000)
    assert (cells[3].x, cells[3].y) == (587_000, 6_581_500)
    occupied = {(c.x, c.y): c.count for c in cells if c.count}
    assert occupied == {(587_000, 6_581_000): 1, (588_000, 6_582_000): 2}


def test_extent_fixes_study_area_and_drops_outside_points():
    x = np.array([50.0, 150.0, 950.0, 1000.0, -1.0])
    y = np.array([50.0, 50.0, 50.0, 50.0, 50.0])
    res = gi_star_from_points(x, y, 100, extent=(0, 0, 1000, 300), min_incidents=0)
    assert res.origin == (0, 0)
    assert res.shape == (3, 10)  # cells 0..9 (x 1000 is the next cell's edge) x 0..2
    assert res.n_incidents == 3  # 1000.0 and -1.0 are outside
    assert res.counts.sum() == 3
    res2 = gi_star_from_cell_counts([0, 1, 9], [0, 0, 0], [1, 1, 1], 100, extent_cells=(0, 0, 9, 2))
    np.testing.assert_array_equal(res.counts, res2.counts)


def test_to_dict_contract_and_json():
    rng = np.random.default_rng(3)
    x = rng.normal(587_000, 400, 200)
    y = rng.normal(6_581_000, 400, 200)
    res = gi_star_from_points(x, y, 250)
    d = res.to_dict()
    assert list(d) == ["cell_size", "crs", "n_incidents", "cells"]
    assert d["cell_size"] == 250
    assert d["crs"] == "EPSG:3006"
    assert d["n_incidents"] == 200
    assert len(d["cells"]) == res.shape[0] * res.shape[1]
    for cell in d["cells"]:
        assert list(cell) == ["x", "y", "count", "z", "p", "bin"]
        assert type(cell["x"]) is int and type(cell["y"]) is int
        assert type(cell["count"]) is int
        assert type(cell["z"]) is float and type(cell["p"]) is float
        assert type(cell["bin"]) is int and -3 <= cell["bin"] <= 3
        assert cell["x"] % 250 == 0 and cell["y"] % 250 == 0
    assert sum(c["count"] for c in d["cells"]) == 200
    text = json.dumps(d, allow_nan=False)
    assert json.loads(text) == d
    assert any(c["bin"] == 3 for c in d["cells"])  # the centre of a normal blob is hot


def test_result_is_frozen_and_readonly():
    res = gi_star_from_cell_counts([0, 1], [0, 0], [20, 20], 100)
    assert isinstance(res, HotspotResult)
    with pytest.raises(AttributeError):
        res.cell_size = 5  # type: ignore[misc]
    with pytest.raises(ValueError):
        res.counts[0, 0] = 3


# ------------------------------------------------------------------ p, bins, FDR


def test_p_is_two_sided_normal():
    rng = np.random.default_rng(9)
    grid = rng.poisson(2, (10, 10))
    res = gi_star_from_cell_counts(*np.nonzero(grid.T), grid.T[np.nonzero(grid.T)], 100)
    from scipy.stats import norm

    np.testing.assert_allclose(res.p, 2 * norm.sf(np.abs(res.z)), rtol=1e-12)


def test_confidence_bins_without_fdr_are_arcgis_cutoffs():
    z = np.array([3.0, 2.0, 1.7, 1.0, -1.7, -2.0, -3.0])
    p = np.array([0.005, 0.03, 0.08, 0.3, 0.08, 0.03, 0.005])
    np.testing.assert_array_equal(confidence_bins(z, p, fdr=False), [3, 2, 1, 0, -1, -2, -3])


def test_fdr_demotes_unadjusted_95_cell():
    # m = 10 cells. Unadjusted, p = 0.04 is a 95 % hot spot. BH at alpha=0.05:
    # ranks 1..10, thresholds 0.005, 0.01, ...; sorted p = 0.001, 0.04, 0.5...
    # p_(1) = 0.001 <= 0.005 passes, p_(2) = 0.04 > 0.01 fails -> critical 0.001.
    # At alpha = 0.10: p_(2) = 0.04 > 0.02 fails too -> the 0.04 cell gets bin 0.
    # At alpha = 0.01: p_(1) = 0.001 <= 0.001 passes -> bin 3 for that cell.
    p = np.array([0.04, 0.001] + [0.5] * 8)
    z = np.array([2.05, 3.3] + [0.67] * 8)
    assert confidence_bins(z, p, fdr=False).tolist()[:2] == [2, 3]
    assert confidence_bins(z, p, fdr=True).tolist() == [0, 3] + [0] * 8


def test_fdr_keeps_cells_that_pass_bh_and_uses_highest_level():
    # m = 4: alpha 0.01 thresholds .0025 .005 .0075 .01; alpha .05: .0125 .025 .0375 .05
    p = np.array([0.002, 0.004, 0.03, 0.9])
    z = np.array([-3.1, 2.9, 2.2, 0.1])
    # 0.01: largest k with p_(k) <= k*0.01/4 is k=2 (0.004 <= 0.005) -> cells 0, 1 -> 3
    # 0.05: k=3 (0.03 <= 0.0375) -> cell 2 -> 2
    assert confidence_bins(z, p, fdr=True).tolist() == [-3, 3, 2, 0]


def test_fdr_on_a_grid_demotes_chance_hot_spots():
    rng = np.random.default_rng(2024)
    grid = rng.poisson(5, (30, 30))
    jj, ii = np.nonzero(np.ones_like(grid))
    args = (ii, jj, grid[jj, ii], 100)
    plain = gi_star_from_cell_counts(*args, fdr=False)
    fdr = gi_star_from_cell_counts(*args)
    demoted = (np.abs(plain.bins) == 2) & (fdr.bins == 0)
    assert demoted.any()
    assert np.all(np.abs(fdr.bins) <= np.abs(plain.bins))


# ------------------------------------------------------------------ small / degenerate


def test_fewer_than_30_incidents_is_not_meaningful():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1000, 29)
    y = rng.uniform(0, 1000, 29)
    res = gi_star_from_points(x, y, 100)
    assert res.meaningful is False
    assert res.message and "not meaningful" in res.message
    assert np.isnan(res.z).all() and np.isnan(res.p).all()
    assert not res.bins.any()
    assert res.counts.sum() == 29
    d = res.to_dict()
    assert all(c["z"] is None and c["p"] is None and c["bin"] == 0 for c in d["cells"])
    json.dumps(d, allow_nan=False)
    x30 = np.append(x, 500.0)
    y30 = np.append(y, 500.0)
    assert gi_star_from_points(x30, y30, 100).meaningful is True
    assert gi_star_from_points(x, y, 100, min_incidents=10).meaningful is True


def test_no_incidents():
    res = gi_star_from_points([], [], 100)
    assert res.meaningful is False and res.n_incidents == 0
    assert res.shape == (0, 0) and res.cells() == []
    assert res.to_dict()["cells"] == []
    res = gi_star_from_points([], [], 100, extent=(0, 0, 300, 200))
    assert res.shape == (2, 3) and res.counts.sum() == 0 and not res.meaningful
    res = gi_star_from_cell_counts([], [], [], 100, min_incidents=0)
    assert res.shape == (0, 0) and not res.meaningful


def test_single_cell_and_all_equal_give_zero_z():
    res = gi_star_from_points(np.full(40, 10.0), np.full(40, 10.0), 100)
    assert res.shape == (1, 1) and res.meaningful
    assert res.z.tolist() == [[0.0]] and res.p.tolist() == [[1.0]] and res.bins.tolist() == [[0]]
    assert res.message
    ii, jj = np.meshgrid(np.arange(5), np.arange(4))
    res = gi_star_from_cell_counts(ii.ravel(), jj.ravel(), np.full(20, 7), 100)
    assert res.meaningful and np.all(res.z == 0) and np.all(res.p == 1) and not res.bins.any()


def test_bad_inputs():
    with pytest.raises(ValueError):
        gi_star_from_points([0, 1], [0], 100)
    with pytest.raises(ValueError):
        gi_star_from_points([0], [0], 0)
    with pytest.raises(ValueError):
        gi_star_from_points([np.nan], [0], 100)
    with pytest.raises(ValueError):
        gi_star_from_points([0], [0], 100, weights=[-1])
    with pytest.raises(ValueError):
        gi_star_from_cell_counts([0.5], [0], [1], 100)
    with pytest.raises(ValueError, match="too large"):
        gi_star_from_points([0, 1e9], [0, 1e9], 1)


# ------------------------------------------------------------------ speed


def test_one_million_points_well_under_a_second():
    rng = np.random.default_rng(0)
    n = 1_000_000
    x = rng.uniform(570_000, 570_000 + 31_600, n)
    y = rng.uniform(6_570_000, 6_570_000 + 31_600, n)
    gi_star_from_points(x[:1000], y[:1000], 100)  # warm-up
    best = math.inf
    for _ in range(3):
        t0 = time.perf_counter()
        res = gi_star_from_points(x, y, 100)
        best = min(best, time.perf_counter() - t0)
    assert 95_000 <= res.counts.size <= 105_000
    assert best < 1.0
