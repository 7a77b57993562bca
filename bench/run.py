#!/usr/bin/env python
"""``./dev bench``: every benchmark, in order, against a throw-away PostgreSQL database.

1. ``bench_hotspots.py`` -- the analysis package alone against esda (no database);
2. ``bench_import.py`` -- COPY import: city 100k, country 1M (10M with ``--with-10m``), city 1M;
3. ``bench_hotspots_db.py`` -- hot spots for the 1M city incidents from the database, vs esda;
4. ``bench_weekly_page.py`` -- the weekly page, 10 concurrent users, p95; then
   ``bench_page_floor.py`` -- the same 10 users on pages that compute nothing (the health
   check, the home page, the weekly page with its figures cached): the machine's floor;
5. ``bench_emerging_db.py`` -- emerging hot spots, five years of weeks, 250k/500k/1M city
   incidents and four cell sizes, as the command (a subprocess);
6. ``bench_country_hotspots.py`` (with ``--with-country``) -- hot spots for the country from the
   database, 1/3/10 million incidents over seven years and four cell sizes, as the command;
7. ``bench_est_load.py`` -- 100 EST reporters posting for 60 s through gunicorn: every
   accepted report stored exactly once, p50/p95 latency (its own database
   ``samverkan_bench_est`` unless ``BENCH_DB`` is set);
8. ``bench_import_cli.py`` -- ``samverkan import_incidents`` as a coordinator runs it (a
   subprocess on its own freshly migrated database) against ``psql \\copy`` of the same file,
   the same file again, a file with errors, and 1,000,000 rows' peak memory (issue 10).

The database ``samverkan_bench`` on postgres://postgres@127.0.0.1:5432 (``BENCH_POSTGRES`` to
change the server) is created first and dropped at the end (``--keep`` keeps it). Results go
to the terminal and, as JSON lines, to ``bench/results.jsonl``; copy them into
``docs/performance.md`` with the machine line printed first.

Usage: ``python bench/run.py [--quick] [--with-10m] [--with-country] [--keep] [--only NAME ...]``
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _setup  # noqa: E402


def run(script: str, *args: str) -> list[dict]:
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"\n### {script} {' '.join(args)} (load average {load})", flush=True)
    proc = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True,
                          text=True, timeout=3 * 3600)
    sys.stdout.write(proc.stdout)
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{script} failed ({proc.returncode})")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="coarse esda grid, fewer runs")
    parser.add_argument("--with-10m", action="store_true", help="also import 10 million")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--with-country", action="store_true",
                        help="also the country's hot spots (loads 10 million incidents)")
    parser.add_argument("--only", nargs="*", choices=["hotspots", "import", "hotspots_db",
                                                      "weekly_page", "emerging_db",
                                                      "country_hotspots", "est_load",
                                                      "import_cli"])
    args = parser.parse_args(argv)
    only = set(args.only or ["hotspots", "import", "hotspots_db", "weekly_page",
                             "emerging_db", "est_load", "import_cli"]
               + (["country_hotspots"] if args.with_country else []))
    machine = _setup.machine()
    print("Machine: " + json.dumps(machine))
    results = [{"machine": machine}]
    try:
        if "hotspots" in only:
            results += run("bench_hotspots.py", *(["--quick"] if args.quick else []))
        if "import" in only:
            results += run("bench_import.py", "--fresh",
                           *(["--with-10m"] if args.with_10m else []))
        if "hotspots_db" in only:
            results += run("bench_hotspots_db.py", *(["--runs", "3"] if args.quick else []))
        if "weekly_page" in only:
            results += run("bench_weekly_page.py")
            results += run("bench_page_floor.py", "--week", "2025-W20")
        if "emerging_db" in only:
            results += run("bench_emerging_db.py", *([] if "import" in only else ["--fresh"]))
        if "country_hotspots" in only:
            results += run("bench_country_hotspots.py")
        if "est_load" in only:
            results += run("bench_est_load.py")
        if "import_cli" in only:  # last: it drops and creates its own database
            results += run("bench_import_cli.py")
    finally:
        if not args.keep and only & {"import", "emerging_db", "country_hotspots"}:
            _setup.drop_database()
    with open(HERE / "results.jsonl", "a", encoding="utf-8") as out:
        for r in results:
            out.write(json.dumps(r) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
