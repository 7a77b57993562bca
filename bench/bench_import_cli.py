#!/usr/bin/env python
"""The incident import as a coordinator runs it: ``samverkan import_incidents FILE
--municipality 0484 --format csv --json`` as a subprocess (process start to exit) on a freshly
migrated PostgreSQL database, against a raw ``psql \\copy`` of the same file into a bare table
with a primary key and two indexes, measured in the same run.

Cases (issue 10):

1. 200,000 rows: the import's rows per second against ``\\copy``'s (target: at least half);
2. the same file again: creates nothing, in less than half the first import's time;
3. a 200,000-row file with errors in several columns: every bad row reported, nothing written;
4. 1,000,000 rows in one transaction: peak memory (the process's maximum resident set, from
   ``wait4``) under 400 MB.

Files are made by ``samverkan.situation.sample_files`` (id, kategori, tid, lat, lon, adress,
beskrivning; ``;``-separated, UTF-8). The bare table has the file's columns plus ``id bigserial
PRIMARY KEY``, a unique index on the source id and an index on the time, like the incident
table's idempotency key and time index.

Usage: ``python bench/bench_import_cli.py [--rows 200000] [--big 1000000] [--keep]``
(the database is ``BENCH_DB``, default ``samverkan_bench_import``, on ``BENCH_POSTGRES``).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _setup

DB = os.environ.get("BENCH_DB", "samverkan_bench_import")
URL = f"{_setup.SERVER_URL}/{DB}"


# Started through this small launcher, the command's peak memory is its own: a child forked
# straight from this process would count this process's pages (the generated files) as its
# own until it execs.
LAUNCHER = ("import os, resource, subprocess, sys\n"
            "code = subprocess.call(sys.argv[1:])\n"
            "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "with open(os.environ['BENCH_PEAK_FILE'], 'w') as out:\n"
            "    out.write(str(peak))\n"
            "sys.exit(code)\n")


def run(args: list[str], *, env: dict | None = None) -> dict:
    """Run a command; its wall time, exit status, peak memory (MB) and standard output."""
    with tempfile.NamedTemporaryFile(prefix="samverkan-peak-", delete=False) as handle:
        peak_file = handle.name
    env = {**(env or os.environ), "BENCH_PEAK_FILE": peak_file}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=str(_setup.ROOT))
    # Read the pipes while waiting (a large --json output would fill them).
    import threading

    out: list[bytes] = []
    err: list[bytes] = []
    readers = [threading.Thread(target=lambda: out.append(proc.stdout.read())),
               threading.Thread(target=lambda: err.append(proc.stderr.read()))]
    for r in readers:
        r.start()
    proc.wait()
    seconds = time.perf_counter() - t0
    for r in readers:
        r.join()
    peak_kb = int(Path(peak_file).read_text() or 0)
    Path(peak_file).unlink()
    return {"seconds": round(seconds, 2), "returncode": proc.returncode,
            "peak_mb": round(peak_kb / 1024), "stdout": out[0].decode(),
            "stderr": err[0].decode()}


def psql(sql: str) -> str:
    return subprocess.run(["psql", URL, "-XAtq", "-c", sql], check=True, capture_output=True,
                          text=True).stdout.strip()


def raw_copy(path: Path) -> dict:
    psql("DROP TABLE IF EXISTS bare_incident")
    psql("CREATE TABLE bare_incident (id bigserial PRIMARY KEY, source_id text NOT NULL, "
         "kategori text, tid timestamptz, lat double precision, lon double precision, "
         "adress text, beskrivning text)")
    psql("CREATE UNIQUE INDEX bare_incident_source ON bare_incident (source_id)")
    psql("CREATE INDEX bare_incident_time ON bare_incident (tid)")
    result = run(["psql", URL, "-Xq", "-c",
                  f"\\copy bare_incident (source_id, kategori, tid, lat, lon, adress, "
                  f"beskrivning) FROM '{path}' WITH (FORMAT csv, HEADER true, DELIMITER ';')"],
                 env={**os.environ, "PGTZ": "Europe/Stockholm"})
    assert result["returncode"] == 0, result["stderr"]
    assert int(psql("SELECT count(*) FROM bare_incident")) > 0
    psql("DROP TABLE bare_incident")
    return result


def import_cli(path: Path, *extra: str) -> dict:
    result = run([sys.executable, "manage.py", "import_incidents", str(path),
                  "--municipality", "0484", "--format", "csv", "--json", *extra],
                 env={**os.environ, "DATABASE_URL": URL})
    result["json"] = json.loads(result.pop("stdout") or "{}")
    result.pop("stderr")
    return result


def bad_file(path: Path, rows: int) -> tuple[Path, int]:
    """A copy of the first ``rows`` rows with errors in several columns: an unknown category
    every 50th row, a time that is not a time every 97th, a point in Paris every 199th."""
    bad = 0
    with open(path, encoding="utf-8") as src, open(path.with_suffix(".bad.csv"), "w",
                                                   encoding="utf-8") as out:
        out.write(next(src))
        for i, line in enumerate(src):
            if i >= rows:
                break
            cells = line.rstrip("\n").split(";")
            if i % 50 == 0:
                cells[1], bad = "Inbrott i bil", bad + 1
            if i % 97 == 0:
                cells[2], bad = "igår kväll", bad + 1
            if i % 199 == 0:
                cells[3], cells[4], bad = "48.8566", "2.3522", bad + 1
            out.write(";".join(cells) + "\n")
    return path.with_suffix(".bad.csv"), bad


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--big", type=int, default=1_000_000, help="0: skip")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(_setup.ROOT))
    os.environ["BENCH_DB"] = DB
    import psycopg

    with psycopg.connect(f"{_setup.SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    migrate = run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
                  env={**os.environ, "DATABASE_URL": URL})
    assert migrate["returncode"] == 0, migrate["stderr"]
    os.environ["DJANGO_SETTINGS_MODULE"] = "samverkan.settings"
    os.environ["DATABASE_URL"] = URL
    import django

    django.setup()
    from samverkan.situation.sample_files import write_incident_csv

    out: dict = {"load_average": [round(v, 2) for v in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-import-") as tmp:
        path = write_incident_csv(Path(tmp) / "incidents.csv", args.rows)
        copy = raw_copy(path)
        first = import_cli(path)
        assert first["returncode"] == 0 and first["json"]["created"] == args.rows, first
        again = import_cli(path)
        assert again["json"]["created"] == 0 and again["json"]["duplicates"] == args.rows
        n = args.rows
        out["rows"] = n
        out["raw_copy"] = {"seconds": copy["seconds"], "per_second": int(n / copy["seconds"])}
        out["import"] = {"seconds": first["seconds"], "per_second": int(n / first["seconds"]),
                         "peak_mb": first["peak_mb"]}
        out["speed_vs_copy"] = round(copy["seconds"] / first["seconds"], 2)
        out["reimport"] = {"seconds": again["seconds"], "created": 0,
                           "ratio_to_first": round(again["seconds"] / first["seconds"], 2)}
        bad_path, expected = bad_file(path, n)
        before = int(psql("SELECT count(*) FROM situation_incident"))
        bad = import_cli(bad_path)
        after = int(psql("SELECT count(*) FROM situation_incident"))
        out["errors"] = {"seconds": bad["seconds"], "returncode": bad["returncode"],
                         "errors_reported": len(bad["json"]["errors"]),
                         "errors_in_file": expected, "written": after - before,
                         "summary_lines": len(bad["json"]["error_summary"])}
        print(f"{n:,} rows: \\copy {copy['seconds']} s, import {first['seconds']} s "
              f"({out['speed_vs_copy']} of \\copy's speed, peak {first['peak_mb']} MB); "
              f"again {again['seconds']} s ({out['reimport']['ratio_to_first']} of the first); "
              f"errors: {out['errors']}", flush=True)
        if args.big:
            path.unlink()
            big_path = write_incident_csv(Path(tmp) / "big.csv", args.big, prefix="big-")
            big = import_cli(big_path)
            assert big["returncode"] == 0 and big["json"]["created"] == args.big, big
            out["big"] = {"rows": args.big, "seconds": big["seconds"],
                          "per_second": int(args.big / big["seconds"]),
                          "peak_mb": big["peak_mb"]}
            print(f"{args.big:,} rows: {big['seconds']} s, peak {big['peak_mb']} MB",
                  flush=True)
    if not args.keep:
        with psycopg.connect(f"{_setup.SERVER_URL}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    print(json.dumps({"import_cli": out}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
