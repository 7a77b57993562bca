#!/usr/bin/env python
"""The weekly page under load: 10 concurrent users against a real server on loopback.

Needs the city data set left by ``bench_import.py`` (1 million incidents in Eskilstuna, five
years). Starts ``manage.py runserver --noreload`` (threaded; gunicorn is not a dependency) on
127.0.0.1 against the benchmark database, logs a coordinator in (a database session), and
runs a bounded load: ``--users`` threads (default 10), each requesting the weekly page
``--requests`` times (default 20) for a random week of 2025 with the default hot spot window
(12 weeks), after a warm-up. Reports p50/p95/max latency and throughput. Only 127.0.0.1 is
contacted.

Usage: ``python bench/bench_weekly_page.py [--users 10] [--requests 20] [--port 8765]``
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--requests", type=int, default=20, help="per user")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    _setup.django_setup()
    import requests

    from samverkan.situation.models import Incident

    n_incidents = Incident.objects.count()
    cookie = login_cookie()
    env = {**os.environ, "DATABASE_URL": _setup.DATABASE_URL, "DEBUG": "0"}
    server = subprocess.Popen(
        [sys.executable, str(_setup.ROOT / "manage.py"), "runserver", "--noreload",
         f"127.0.0.1:{args.port}"], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{args.port}/situation/weekly/"
    try:
        for _ in range(120):
            try:
                requests.get(base, timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        rng = random.Random(1)

        def fetch(week: int) -> float:
            with requests.Session() as s:
                s.cookies.set("sessionid", cookie)
                t0 = time.perf_counter()
                r = s.get(base, params={"week": f"2025-W{week:02d}"}, timeout=60)
                elapsed = time.perf_counter() - t0
                if r.status_code != 200 or b"weekly-map-data" not in r.content:
                    raise RuntimeError(f"unexpected response {r.status_code}")
                return elapsed

        warm = [fetch(w) for w in (10, 20, 30)]
        single = statistics.median([fetch(rng.randint(1, 52)) for _ in range(5)])
        weeks = [rng.randint(1, 52) for _ in range(args.users * args.requests)]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.users) as pool:
            latencies = sorted(pool.map(fetch, weeks))
        wall = time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(timeout=30)
    p95 = latencies[int(round(0.95 * (len(latencies) - 1)))]
    out = {"incidents_in_db": n_incidents, "users": args.users, "requests": len(latencies),
           "single_user_median_ms": round(single * 1000), "p50_ms": round(
               statistics.median(latencies) * 1000), "p95_ms": round(p95 * 1000),
           "max_ms": round(latencies[-1] * 1000), "requests_per_s": round(len(latencies) / wall,
                                                                          1),
           "warmup_ms": [round(w * 1000) for w in warm], "server": "runserver (threaded)"}
    print(f"{n_incidents:,} incidents in the database; {args.users} concurrent users, "
          f"{len(latencies)} requests: p50 {out['p50_ms']} ms, p95 {out['p95_ms']} ms, "
          f"max {out['max_ms']} ms, {out['requests_per_s']} requests/s "
          f"(one user alone: {out['single_user_median_ms']} ms)")
    print(json.dumps({"weekly_page": out}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
