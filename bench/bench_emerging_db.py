#!/usr/bin/env python
"""Emerging hot spots from the database, measured as a user runs them: the command
``samverkan emerging_hotspots --municipality 0484 --period week --from 2021-01-04 --to
2025-12-28 --json`` as a subprocess (Django start, the SQL ``GROUP BY period, cell``, the
space-time cube, Gi* for each of the 260 weeks, Mann-Kendall, the JSON), median of ``--runs``.

The city data set (``bench/synthetic.py``: Eskilstuna, five years, clusters and a uniform
background) is loaded in steps (``--sizes``, default 250,000, 500,000 and 1,000,000
incidents) so that the cost can be seen to grow with the incidents; at the largest size the
command is also timed for several cell sizes (``--cells``), so that the growth with the cells
shows. The split between SQL and analysis is timed in-process as well.

Usage: ``python bench/bench_emerging_db.py [--fresh] [--sizes ...] [--cells ...] [--runs 3]``
(``--fresh`` recreates the benchmark database; without it the incidents table is emptied and
refilled).
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

COMMAND = ["emerging_hotspots", "--municipality", "0484", "--period", "week", "--from",
           "2021-01-04", "--to", "2025-12-28", "--json"]


def run_command(cell_size: int, runs: int) -> tuple[float, dict]:
    """Median wall time, and (in the data) the command process's own median CPU time (user +
    system; the database's work is not in it), to tell the code from a busy machine."""
    env = {**os.environ, "DATABASE_URL": _setup.DATABASE_URL}
    times, data, cpu = [], {}, []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(_setup.ROOT / "manage.py"), *COMMAND,
                               "--cell-size", str(cell_size)], capture_output=True, text=True,
                              env=env, timeout=600, check=True)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        data = json.loads(proc.stdout)
    data["cpu_s"] = statistics.median(cpu)
    return statistics.median(times), data


def split(cell_size: int) -> dict:
    """In-process: the SQL cube and the analysis, separately."""
    import datetime

    from samverkan.analysis import emerging_hotspots
    from samverkan.situation import emerging
    from samverkan.situation.models import Incident

    qs = Incident.objects.filter(municipality_id="0484").counted()
    spans = emerging.periods("week", datetime.date(2021, 1, 4), datetime.date(2025, 12, 28))
    t0 = time.perf_counter()
    t, ix, iy, n = emerging.cube_counts(qs, spans, cell_size)
    t1 = time.perf_counter()
    result = emerging_hotspots(t, ix, iy, n, len(spans), cell_size)
    t2 = time.perf_counter()
    return {"sql_s": round(t1 - t0, 3), "analysis_s": round(t2 - t1, 3),
            "cube_rows": int(t.size), "cells": result.shape[0] * result.shape[1],
            "categorised": len(result.cells), "summary": result.summary()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--sizes", default="250000,500000,1000000")
    parser.add_argument("--cells", default="500,250,200,100")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if args.fresh:
        _setup.recreate_database()
    _setup.django_setup()
    if args.fresh:
        _setup.migrate()
    import synthetic

    from samverkan.situation.bulk import load_incidents

    categories = _setup.ensure_categories()
    eskilstuna = {s: categories[("0484", s)] for s in synthetic.CATEGORY_SLUGS}
    _setup.truncate_incidents()
    results, loaded = [], 0
    sizes = [int(v) for v in args.sizes.split(",")]
    for step, size in enumerate(sizes):
        for columns in synthetic.city_chunks(size - loaded, eskilstuna, seed=10 + step,
                                             start=loaded):
            load_incidents(None, columns, jobs=2, label="bench_emerging_db.py")
        loaded = size
        seconds, data = run_command(200, args.runs)
        row = {"incidents": size, "cell_size": 200, "command_s": round(seconds, 2),
               "command_cpu_s": round(data["cpu_s"], 2),
               "periods": data["periods"], "cells_out": len(data["cells"]),
               "load_average": [round(v, 2) for v in os.getloadavg()], **split(200)}
        results.append(row)
        print(f"{size:>10,} incidents, 200 m: command {seconds:.2f} s "
              f"CPU {row['command_cpu_s']} s (SQL {row['sql_s']} s, analysis "
              f"{row['analysis_s']} s, {row['cells']:,} cells, "
              f"{row['cube_rows']:,} cube rows), load {row['load_average']}", flush=True)
    for cell in [int(v) for v in args.cells.split(",")]:
        seconds, data = run_command(cell, args.runs)
        row = {"incidents": loaded, "cell_size": cell, "command_s": round(seconds, 2),
               "command_cpu_s": round(data["cpu_s"], 2),
               "periods": data["periods"], "cells_out": len(data["cells"]),
               "load_average": [round(v, 2) for v in os.getloadavg()], **split(cell)}
        results.append(row)
        print(f"{loaded:>10,} incidents, {cell} m: command {seconds:.2f} s "
              f"CPU {row['command_cpu_s']} s (SQL {row['sql_s']} s, analysis "
              f"{row['analysis_s']} s, {row['cells']:,} cells, "
              f"{row['cube_rows']:,} cube rows), load {row['load_average']}", flush=True)
    print(json.dumps({"emerging_db": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
