#!/usr/bin/env python
"""What 10 users at once cost on this machine for pages that compute nothing: the floor under
the weekly page's targets (issue 10).

The same production server as ``bench_weekly_page.py`` (gunicorn, 3 workers, ``DEBUG`` off, a
file cache), the same logged-in coordinator, on the benchmark database as it is (the demo after
``manage.py load_demo``, or the 1,000,000-incident city). Each page is first requested by a
burst of concurrent requests (every worker serves it once, and the weekly page's figures are
then in the cache), then ``--users`` users request it ``--requests`` times each, back to back:

* ``/health/``: no session, no template (the server, the middleware, one database ping);
* ``/``: the home page, logged in (session, user, memberships, the access rule, a template);
* ``/situation/weekly/?week=…``: the weekly page with its figures already cached (everything
  a cold page does except computing the figures).

Usage: ``python bench/bench_page_floor.py [--users 10] [--requests 20] [--week 2026-W05]``
(the database is ``BENCH_DB``).
"""
from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor

import _setup
from bench_weekly_page import login_cookie, production_server, summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--requests", type=int, default=20, help="per user")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--week", default="2026-W05", help="the weekly page's week")
    args = parser.parse_args(argv)
    _setup.django_setup()
    import requests

    cookie = login_cookie()
    pages = ["/health/", "/", f"/situation/weekly/?week={args.week}"]
    out: dict = {"users": args.users, "load_average_before": [
        round(v, 2) for v in os.getloadavg()]}
    with production_server(args.workers, 1, args.port) as server_line:
        out["server"] = server_line

        def fetch(url: str) -> float:
            with requests.Session() as s:
                s.cookies.set("sessionid", cookie)
                t0 = time.perf_counter()
                r = s.get(url, timeout=60)
                if r.status_code != 200:
                    raise RuntimeError(f"{url}: {r.status_code}")
                return time.perf_counter() - t0

        for page in pages:
            url = f"http://127.0.0.1:{args.port}{page}"
            with ThreadPoolExecutor(max_workers=args.workers * 3) as pool:
                list(pool.map(fetch, [url] * (args.workers * 6)))
            t0 = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.users) as pool:
                latencies = list(pool.map(fetch, [url] * (args.users * args.requests)))
            out[page] = summary(latencies, time.perf_counter() - t0)
            s = out[page]
            print(f"  {page:36} {args.users} users: p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, "
                  f"{s['requests_per_s']} requests/s", flush=True)
    out["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    print(json.dumps({"page_floor": out}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
