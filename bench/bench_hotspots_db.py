#!/usr/bin/env python
"""Hot spots from the database: 1 million incidents to the Gi* result, against esda.

Needs the city data set left by ``bench_import.py`` (1 million incidents in Eskilstuna). Times
(median of ``--runs``) what the weekly page does: the SQL ``GROUP BY floor(x/100),
floor(y/100)`` over the hot-spot incidents (``picture.cell_counts``: counted, not area centres)
and ``analysis.gi_star_from_cell_counts`` on the occupied cells, at 100 m cells. Then runs
esda's ``G_Local(star=True, transform="B")`` with its default 999 permutations once on the same
grid (the same counts, the same study area) and compares the z-scores.

Usage: ``python bench/bench_hotspots_db.py [--runs 5] [--no-esda]``
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings

import _setup
import numpy as np


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cell-size", type=int, default=100)
    parser.add_argument("--no-esda", action="store_true")
    args = parser.parse_args(argv)
    _setup.django_setup()
    from samverkan.analysis import gi_star_from_cell_counts
    from samverkan.situation import picture
    from samverkan.situation.models import Incident

    qs = Incident.objects.filter(municipality_id="0484").counted()
    n_total = qs.count()
    size = args.cell_size
    times_sql, times_gi = [], []
    result = None
    for _ in range(args.runs + 1):  # first run warms the cache
        t0 = time.perf_counter()
        ix, iy, n = picture.cell_counts(qs, size)
        t1 = time.perf_counter()
        result = gi_star_from_cell_counts(ix, iy, n, size)
        t2 = time.perf_counter()
        times_sql.append(t1 - t0)
        times_gi.append(t2 - t1)
    sql_s = statistics.median(times_sql[1:])
    gi_s = statistics.median(times_gi[1:])
    ny, nx = result.shape
    out = {"incidents_in_db": n_total, "hotspot_incidents": result.n_incidents,
           "cell_size": size, "grid": f"{nx}x{ny}", "cells": nx * ny,
           "occupied_cells": int(ix.size), "sql_group_by_s": round(sql_s, 3),
           "gi_star_s": round(gi_s, 4), "total_s": round(sql_s + gi_s, 3),
           "hot_99": int((result.bins == 3).sum())}
    print(f"{n_total:,} incidents in the database, {result.n_incidents:,} with a real point; "
          f"{nx} x {ny} = {nx * ny:,} cells of {size} m ({ix.size:,} occupied)")
    print(f"SQL GROUP BY: {sql_s * 1000:.0f} ms, Gi*: {gi_s * 1000:.0f} ms, "
          f"total {1000 * (sql_s + gi_s):.0f} ms (median of {args.runs})")

    if not args.no_esda:
        from esda.getisord import G_Local
        from libpysal.weights import lat2W

        t0 = time.perf_counter()
        w = lat2W(ny, nx, rook=False)
        t_w = time.perf_counter() - t0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            lg = G_Local(result.counts.ravel().astype(np.float64), w, star=True,
                         transform="B", seed=1)
            t_esda = time.perf_counter() - t0
        z = np.asarray(lg.Zs).reshape(ny, nx)
        ok = ~np.isnan(z)
        diff = float(np.max(np.abs(z[ok] - result.z[ok])))
        out.update({"esda_permutations": lg.permutations, "esda_lat2W_s": round(t_w, 2),
                    "esda_G_Local_s": round(t_esda, 2),
                    "speedup_vs_esda": round(t_esda / (sql_s + gi_s), 1),
                    "max_abs_z_diff": diff})
        print(f"esda G_Local (999 permutations) on the same grid: {t_esda:.1f} s "
              f"(+ lat2W {t_w:.1f} s); ours from the database is "
              f"{t_esda / (sql_s + gi_s):.0f}x faster; max |z difference| = {diff:.1e}")
    print(json.dumps({"hotspots_db": out}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
