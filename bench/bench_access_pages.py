#!/usr/bin/env python
"""The cost of the access rule on two pages of the demo: the plan list (`/plans/?agreement=N`)
and the weekly page (`/situation/weekly/`, figures cache off), as the coordinator: median time
of `--requests` requests after one warm-up, and the number of queries per page.

Runs in a subprocess against a throw-away SQLite database with the demo loaded, from the source
tree given with ``--source`` (default: this one), so the same script measures another commit
(``git archive <commit> | tar -x -C /tmp/other``, then ``--source /tmp/other``).

Usage: ``python bench/bench_access_pages.py [--source DIR] [--requests 10]``
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import io, json, os, statistics, sys, time, logging
import django
django.setup()
logging.disable(logging.CRITICAL)
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from samverkan.agreements.models import Agreement
call_command("migrate", verbosity=0)
call_command("load_demo", stdout=io.StringIO())
settings.CACHES["default"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
client = Client(HTTP_HOST="127.0.0.1")
client.login(username="samordnare", password="samverkan-demo")
agreement = Agreement.objects.filter(municipality_id="0484").order_by("-start_date").first()
out = {}
for name, url in (("plan list", f"/plans/?agreement={agreement.pk}"),
                  ("weekly page", "/situation/weekly/")):
    assert client.get(url).status_code == 200
    times = []
    for _ in range(int(sys.argv[1])):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times.append(time.perf_counter() - start)
    out[name] = {"median_ms": round(statistics.median(times) * 1000, 1),
                 "queries": len(queries)}
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
           "DJANGO_SETTINGS_MODULE": "samverkan.settings", "DEBUG": "false",
           "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1,testserver",
           "PYTHONPATH": args.source, "PICTURE_CACHE": "off"}
    result = subprocess.run([sys.executable, "-c", CHILD, str(args.requests)], env=env,
                            cwd=args.source, capture_output=True, text=True, check=False)
    if result.returncode:
        print(result.stderr[-3000:])
        return 1
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    load = os.getloadavg()[0]
    for name, row in figures.items():
        print(f"{name:12} median {row['median_ms']:8.1f} ms  {row['queries']:3d} queries  "
              f"(load {load:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
