#!/usr/bin/env python
"""Benchmark samverkan.analysis.hotspots against PySAL esda (no Django).

Synthetic incidents for a city: clustered points around a few centres in
Eskilstuna (SWEREF 99 TM, EPSG:3006) plus a uniform background, in a fixed
32 x 32 km study area. At 100 m cells that is a 320 x 320 = 102,400-cell grid.

Timed (median of several runs, ``time.perf_counter``):

* ``gi_star_from_points`` on 100k and 1M points (binning + Gi* + FDR bins);
* ``gi_star_from_cell_counts`` on the same data pre-aggregated per cell, as a
  database ``GROUP BY floor(x/size), floor(y/size)`` would return it;
* esda ``G_Local(y, lat2W(ny, nx, rook=False), star=True, transform="B")`` with its
  default 999 permutations, once, on the 100k-point data gridded at
  ``--esda-cell-size`` (default 100 m = the full 102,400-cell grid, about half a
  minute; 500 m = 65 x 65 = 4,225 cells with ``--quick``, as the extent is
  not aligned to 500 m). The analytic z-scores
  (``Zs``) are compared with ours (max abs difference).

Prints a Markdown table and one JSON line. Usage::

    .venv/bin/python bench/bench_hotspots.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

try:
    from samverkan.analysis.hotspots import gi_star_from_cell_counts, gi_star_from_points
except ImportError:  # running from a checkout without installing the package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from samverkan.analysis.hotspots import gi_star_from_cell_counts, gi_star_from_points

# 32 x 32 km around central Eskilstuna (Järntorget is about E 585 700, N 6 582 300).
EXTENT = (569_700.0, 6_566_300.0, 601_700.0, 6_598_300.0)
CELL_SIZE = 100
# (E, N, sigma m, share of clustered points): centre, a few suburbs, Torshälla.
CENTRES = (
    (585_700.0, 6_582_300.0, 400.0, 0.35),
    (583_900.0, 6_580_600.0, 300.0, 0.15),
    (588_600.0, 6_584_200.0, 350.0, 0.15),
    (587_300.0, 6_579_200.0, 500.0, 0.15),
    (584_300.0, 6_589_800.0, 450.0, 0.20),
)
CLUSTERED_SHARE = 0.6


def synthetic_incidents(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n_clustered = int(n * CLUSTERED_SHARE)
    shares = np.array([c[3] for c in CENTRES])
    per_centre = rng.multinomial(n_clustered, shares / shares.sum())
    xs, ys = [], []
    for (cx, cy, sigma, _), k in zip(CENTRES, per_centre, strict=True):
        xs.append(rng.normal(cx, sigma, k))
        ys.append(rng.normal(cy, sigma, k))
    n_bg = n - n_clustered
    xs.append(rng.uniform(EXTENT[0], EXTENT[2], n_bg))
    ys.append(rng.uniform(EXTENT[1], EXTENT[3], n_bg))
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    inside = (x >= EXTENT[0]) & (x < EXTENT[2]) & (y >= EXTENT[1]) & (y < EXTENT[3])
    return x[inside], y[inside]


def group_by_cell(
    x: np.ndarray, y: np.ndarray, size: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What SQL ``GROUP BY floor(x/size), floor(y/size)`` returns: occupied cells only."""
    ix = np.floor(x / size).astype(np.int64)
    iy = np.floor(y / size).astype(np.int64)
    keys, counts = np.unique(np.stack([ix, iy], axis=1), axis=0, return_counts=True)
    return keys[:, 0], keys[:, 1], counts


def extent_cells(size: float) -> tuple[int, int, int, int]:
    return (
        int(np.floor(EXTENT[0] / size)),
        int(np.floor(EXTENT[1] / size)),
        int(np.ceil(EXTENT[2] / size)) - 1,
        int(np.ceil(EXTENT[3] / size)) - 1,
    )


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    fn()  # warm-up
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def run_esda(x: np.ndarray, y: np.ndarray, size: float, seed: int) -> dict[str, Any]:
    from esda.getisord import G_Local
    from libpysal.weights import lat2W

    ours = gi_star_from_points(x, y, size, extent=EXTENT)
    ny, nx = ours.shape
    t0 = time.perf_counter()
    w = lat2W(ny, nx, rook=False)
    t_w = time.perf_counter() - t0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        lg = G_Local(ours.counts.ravel().astype(np.float64), w, star=True, transform="B", seed=seed)
        t_esda = time.perf_counter() - t0
    esda_z = np.asarray(lg.Zs).reshape(ny, nx)
    both = ~np.isnan(esda_z)
    t_ours, _ = median_time(lambda: gi_star_from_points(x, y, size, extent=EXTENT), 5)
    return {
        "cell_size": size,
        "grid": f"{nx}x{ny}",
        "cells": nx * ny,
        "points": int(x.size),
        "permutations": lg.permutations,
        "esda_lat2W_s": t_w,
        "esda_G_Local_s": t_esda,
        "ours_s": t_ours,
        "max_abs_z_diff": float(np.max(np.abs(esda_z[both] - ours.z[both]))),
        "esda_nan_cells": int((~both).sum()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, coarse esda grid")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per case")
    parser.add_argument("--esda-cell-size", type=float, default=None)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 7)
    esda_size = args.esda_cell_size or (500.0 if args.quick else float(CELL_SIZE))
    rng = np.random.default_rng(args.seed)

    rows: list[dict[str, Any]] = []
    data: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for n in (100_000, 1_000_000):
        x, y = synthetic_incidents(n, rng)
        data[n] = (x, y)
        t_pts, res_pts = median_time(
            lambda x=x, y=y: gi_star_from_points(x, y, CELL_SIZE, extent=EXTENT), runs
        )
        ix, iy, counts = group_by_cell(x, y, CELL_SIZE)
        ext = extent_cells(CELL_SIZE)
        t_cc, res_cc = median_time(
            lambda ix=ix, iy=iy, counts=counts, n=x.size, ext=ext: gi_star_from_cell_counts(
                ix, iy, counts, CELL_SIZE, n_incidents=n, extent_cells=ext
            ),
            runs,
        )
        assert np.array_equal(res_pts.z, res_cc.z), "entry points disagree"
        ny, nx = res_pts.shape
        rows.append(
            {
                "points": int(x.size),
                "cell_size": CELL_SIZE,
                "grid": f"{nx}x{ny}",
                "cells": nx * ny,
                "occupied_cells": int(ix.size),
                "from_points_s": t_pts,
                "from_cell_counts_s": t_cc,
                "hot_99": int((res_pts.bins == 3).sum()),
                "cold_99": int((res_pts.bins == -3).sum()),
            }
        )

    x, y = data[100_000]
    esda = run_esda(x, y, esda_size, args.seed)

    print(f"## Gi* hot spots (median of {runs} runs)\n")
    print(
        "| points | cell | grid | cells | occupied | from_points | from_cell_counts "
        "| hot 99% | cold 99% |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['points']:,} | {r['cell_size']} m | {r['grid']} | {r['cells']:,} "
            f"| {r['occupied_cells']:,} | {r['from_points_s'] * 1000:.1f} ms "
            f"| {r['from_cell_counts_s'] * 1000:.1f} ms | {r['hot_99']} | {r['cold_99']} |"
        )
    print(f"\n## esda G_Local(star=True, transform='B', permutations={esda['permutations']})\n")
    print("| points | cell | grid | cells | lat2W | esda G_Local | ours | max abs z diff |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    print(
        f"| {esda['points']:,} | {esda['cell_size']:g} m | {esda['grid']} | {esda['cells']:,} "
        f"| {esda['esda_lat2W_s']:.2f} s | {esda['esda_G_Local_s']:.2f} s "
        f"| {esda['ours_s'] * 1000:.1f} ms | {esda['max_abs_z_diff']:.2e} |"
    )
    if esda["esda_nan_cells"]:
        print(
            f"\n({esda['esda_nan_cells']} cells where esda's z is NaN were left out "
            "of the comparison.)"
        )
    print()
    print(json.dumps({"quick": args.quick, "runs": runs, "gi_star": rows, "esda": esda}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
