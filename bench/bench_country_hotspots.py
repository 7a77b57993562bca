#!/usr/bin/env python
"""Hot spots for the whole country from the database, measured as a user runs them: the
command ``samverkan hotspots --country --cell-size M`` as a subprocess (Django start, one SQL
``GROUP BY`` cell over every municipality's incidents, Gi* over Sweden's grid, the table of
significant cells), median of ``--runs``.

The country data set (``bench/synthetic.py``: every municipality by population, seven years
2019-2025) is loaded in steps (``--sizes``, default 1, 3 and 10 million incidents, two
connections) so that the cost can be seen to grow with the incidents; at the largest size the
command is timed for several cell sizes (``--cells``). The split between SQL and Gi* is timed
in-process as well.

Usage: ``python bench/bench_country_hotspots.py [--fresh] [--sizes ...] [--cells ...]``
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import _setup
import numpy as np


def run_command(cell_size: int, runs: int) -> tuple[float, float]:
    """Median wall time and the command process's own CPU time (user + system; the
    database's work is not in it), to tell the code from a busy machine."""
    env = {**os.environ, "DATABASE_URL": _setup.DATABASE_URL}
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(_setup.ROOT / "manage.py"), "hotspots", "--country",
                        "--cell-size", str(cell_size)], capture_output=True, text=True, env=env,
                       timeout=900, check=True)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), statistics.median(cpu)


def split(cell_size: int) -> dict:
    from samverkan.analysis import gi_star_from_cell_counts
    from samverkan.situation import picture
    from samverkan.situation.models import Incident

    t0 = time.perf_counter()
    ix, iy, n = picture.cell_counts(Incident.objects.counted(), cell_size)
    t1 = time.perf_counter()
    result = gi_star_from_cell_counts(ix, iy, n, cell_size)
    t2 = time.perf_counter()
    return {"sql_s": round(t1 - t0, 3), "gi_star_s": round(t2 - t1, 3),
            "cells": result.n_cells, "occupied_cells": int(ix.size),
            "hot_99": int((result.bins == 3).sum())}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--sizes", default="1000000,3000000,10000000")
    parser.add_argument("--cells", default="2000,1000,500,250")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if args.fresh:
        _setup.recreate_database()
    _setup.django_setup()
    if args.fresh:
        _setup.migrate()
    import synthetic

    from samverkan.organizations.models import Municipality
    from samverkan.situation.bulk import load_incidents

    categories = _setup.ensure_categories()
    municipalities = list(Municipality.objects.order_by("code").values_list("code",
                                                                             "population"))
    _setup.truncate_incidents()
    results, loaded = [], 0
    seven_years = {"first_monday": np.datetime64("2019-01-07"), "weeks": 364}
    for step, size in enumerate(int(v) for v in args.sizes.split(",")):
        t0 = time.perf_counter()
        for columns in synthetic.country_chunks(size - loaded, municipalities, categories,
                                                seed=20 + step, start=loaded, **seven_years):
            load_incidents(None, columns, jobs=2, label="bench_country_hotspots.py")
        print(f"loaded {size - loaded:,} in {time.perf_counter() - t0:.0f} s", flush=True)
        loaded = size
        seconds, cpu = run_command(1000, args.runs)
        row = {"incidents": size, "cell_size": 1000, "command_s": round(seconds, 2),
               "command_cpu_s": round(cpu, 2),
               "load_average": [round(v, 2) for v in os.getloadavg()], **split(1000)}
        results.append(row)
        print(f"{size:>11,} incidents, 1000 m: command {seconds:.2f} s, CPU {cpu:.2f} s "
              f"(SQL {row['sql_s']} s, Gi* {row['gi_star_s']} s, {row['cells']:,} cells), "
              f"load {row['load_average']}", flush=True)
    for cell in [int(v) for v in args.cells.split(",")]:
        seconds, cpu = run_command(cell, args.runs)
        row = {"incidents": loaded, "cell_size": cell, "command_s": round(seconds, 2),
               "command_cpu_s": round(cpu, 2),
               "load_average": [round(v, 2) for v in os.getloadavg()], **split(cell)}
        results.append(row)
        print(f"{loaded:>11,} incidents, {cell} m: command {seconds:.2f} s, CPU {cpu:.2f} s "
              f"(SQL {row['sql_s']} s, Gi* {row['gi_star_s']} s, {row['cells']:,} cells), load "
              f"{row['load_average']}", flush=True)
    print(json.dumps({"country_hotspots": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
