#!/usr/bin/env python
"""The weekly page under load: 10 concurrent users against a production server on loopback.

Needs the city data set left by ``bench_import.py`` (1 million incidents in Eskilstuna, five
years). Starts gunicorn (``samverkan.wsgi``, ``--workers 3 --threads 1`` by default: the page
is CPU-bound Python, so one process per core, plus one that keeps a core busy while another
waits for the database; threads in one process share its interpreter lock and take turns,
which measured a wider tail: p95 418 ms with 3 x 2 threads against 272 ms with 3 x 1)
on 127.0.0.1 with ``DEBUG`` off, persistent database connections
(``conn_max_age=60``) and a file cache shared by the worker processes (``CACHE_URL``, so the
weekly picture's cache and its invalidation work across processes). A coordinator is logged
in with a database session. Only 127.0.0.1 is contacted; the load is bounded.

Before measuring, every worker serves the page once (a burst of concurrent requests for a week
that is not measured): "cold" means nothing in the cache, not a process that has not yet
imported its modules.

Three measurements, all of the weekly page with the default options (12-week hot spot window,
200 m cells) for weeks of 2025:

* **cold, one user**: the first request of ``--cold`` weeks, one after another (nothing
  cached: the figures are computed from the database);
* **cold, 10 users**: ``--users`` concurrent users each requesting weeks not yet requested
  (with 250 m cells, so nothing is cached) -- the worst case, everybody missing the cache at
  once;
* **warm, 10 users**: after every week of 2025 has been requested once, ``--users`` users
  each requesting ``--requests`` random weeks, back to back without pause (closed loop): p50,
  p95, max and throughput.

With ``--map`` every request is the page followed by its map's own request
(``situation:weekly_map``: the week's points and layers, which the page no longer renders
inline), timed together.

Usage: ``python bench/bench_weekly_page.py [--users 10] [--requests 20] [--workers 3]
[--threads 2] [--port 8765] [--year 2025] [--map]``
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import _setup


def login_cookie() -> str:
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from samverkan.core.choices import Role
    from samverkan.organizations.choices import OrganizationKind
    from samverkan.organizations.models import Membership, Municipality, Organization
    from samverkan.organizations.services import add_membership, create_organization

    eskilstuna = Municipality.objects.get(code="0484")
    org = Organization.objects.filter(municipality=eskilstuna).first() or create_organization(
        actor=None, municipality=eskilstuna, name="Eskilstuna kommun",
        kind=OrganizationKind.MUNICIPALITY)
    user, _created = get_user_model().objects.get_or_create(username="bench-coordinator")
    if not Membership.objects.filter(user=user, organization=org).exists():
        add_membership(actor=None, user=user, organization=org, role=Role.COORDINATOR)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(round(q * (len(ordered) - 1)))]


def summary(latencies: list[float], wall: float | None = None) -> dict:
    out = {"requests": len(latencies),
           "p50_ms": round(statistics.median(latencies) * 1000),
           "p95_ms": round(percentile(latencies, 0.95) * 1000),
           "max_ms": round(max(latencies) * 1000)}
    if wall:
        out["requests_per_s"] = round(len(latencies) / wall, 1)
    return out


@contextmanager
def production_server(workers: int, threads: int, port: int):
    """gunicorn (`_setup.gunicorn`) with a file cache shared by the workers; yields its
    description once it answers."""
    cache_dir = tempfile.mkdtemp(prefix="samverkan-bench-cache-")
    try:
        with _setup.gunicorn(_setup.DATABASE_URL, port, workers, threads,
                             env={"CACHE_URL": f"filecache://{cache_dir}"},
                             args=("--timeout", "120")):
            yield (f"gunicorn --workers {workers} --threads {threads} "
                   f"(file cache, conn_max_age=60, DEBUG off)")
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--requests", type=int, default=20, help="per user, warm")
    parser.add_argument("--cold", type=int, default=10, help="weeks, cold one user")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--year", type=int, default=2025,
                        help="the weeks' ISO year (the demo: the current year)")
    parser.add_argument("--map", action="store_true",
                        help="each request is the page and then its map's own request "
                             "(situation:weekly_map), timed together, as a browser loads them")
    args = parser.parse_args(argv)
    _setup.django_setup()
    import requests

    from samverkan.situation.models import Incident

    n_incidents = Incident.objects.count()
    cookie = login_cookie()
    with production_server(args.workers, args.threads, args.port) as server_line:
        base = f"http://127.0.0.1:{args.port}/situation/weekly/"
        map_url = base + "map/"
        rng = random.Random(1)

        def fetch(params: dict) -> float:
            with requests.Session() as s:
                s.cookies.set("sessionid", cookie)
                t0 = time.perf_counter()
                r = s.get(base, params=params, timeout=120)
                if r.status_code != 200 or b"weekly-map-data" not in r.content:
                    raise RuntimeError(f"unexpected response {r.status_code}")
                if args.map:
                    m = s.get(map_url, params={"week": params["week"]}, timeout=120)
                    if m.status_code != 200 or b'"points"' not in m.content:
                        raise RuntimeError(f"unexpected map response {m.status_code}")
                return time.perf_counter() - t0

        def week(w: int, **extra) -> dict:
            return {"week": f"{args.year}-W{w:02d}", **extra}

        # Start-up, not measured: every worker process serves the page once (its imports,
        # templates and database connection), as in a server that has been running. A burst
        # of concurrent requests reaches every worker; a single request warmed one of them,
        # and the others' first pages (up to 1 s each) fell into the measured requests.
        fetch(week(1, cell=100))
        with ThreadPoolExecutor(max_workers=args.workers * 3) as pool:
            list(pool.map(fetch, [week(1, cell=100)] * (args.workers * 6)))
        weeks = list(range(1, 53))
        rng.shuffle(weeks)
        cold_one = [fetch(week(w)) for w in weeks[:args.cold]]
        # Cold, 10 users at once: weeks with 250 m cells, never requested before.
        cold_weeks = [week(w, cell=250) for w in weeks[:args.users * 2]]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.users) as pool:
            cold_many = list(pool.map(fetch, cold_weeks))
        cold_wall = time.perf_counter() - t0
        for w in weeks[args.cold:]:  # every other week of 2025 once: now all are cached
            fetch(week(w))
        load = [week(rng.randint(1, 52)) for _ in range(args.users * args.requests)]
        t0, cpu0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        with ThreadPoolExecutor(max_workers=args.users) as pool:
            warm = list(pool.map(fetch, load))
        warm_wall = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        loadgen_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        warm_one = [fetch(week(w)) for w in weeks[:10]]
    out = {"incidents_in_db": n_incidents, "users": args.users, "server": server_line,
           "year": args.year, "with_map_request": args.map,
           "load_average": [round(v, 2) for v in os.getloadavg()],
           "cold_one_user": summary(cold_one),
           "cold_concurrent": summary(cold_many, cold_wall),
           "warm_one_user": summary(warm_one),
           "warm_concurrent": {**summary(warm, warm_wall),
                               "load_generator_cpu_ms_per_request": round(
                                   1000 * loadgen_cpu / len(warm), 1)}}
    print(f"{n_incidents:,} incidents in the database; {server_line}")
    for name in ("cold_one_user", "cold_concurrent", "warm_one_user", "warm_concurrent"):
        s = out[name]
        print(f"  {name:16} {s['requests']:4} requests: p50 {s['p50_ms']} ms, "
              f"p95 {s['p95_ms']} ms, max {s['max_ms']} ms"
              + (f", {s['requests_per_s']} requests/s" if "requests_per_s" in s else ""))
    print(json.dumps({"weekly_page": out}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
