#!/usr/bin/env python
"""The compliance page (*Gör vi det som lagen och Brå kräver?*), its API and its Word export
for the demo agreement, on a throw-away PostgreSQL database.

The demo is loaded into ``samverkan_bench_compliance`` (``BENCH_DB`` to change), the
coordinator is logged in with Django's test client (in this process, no HTTP server) and each
URL is requested ``--requests`` times after one warm-up request: median, p95, max and the
number of database queries of one request. The page judges every checkpoint twice (once for
the reader, once on what everyone may read, for the history), so it is the heaviest of the
three. The database is dropped at the end (``--keep`` keeps it).

Usage: ``python bench/bench_compliance_page.py [--requests 30] [--keep]``
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("BENCH_DB", "samverkan_bench_compliance")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import _setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    _setup.recreate_database()
    _setup.django_setup()
    try:
        _setup.migrate()
        import io

        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from samverkan.agreements.models import Agreement

        call_command("load_demo", stdout=io.StringIO())
        agreement = Agreement.objects.filter(municipality_id="0484").order_by("pk").first()
        client = Client(HTTP_ACCEPT_LANGUAGE="sv")
        client.force_login(get_user_model().objects.get(username="samordnare"))
        urls = {
            "page": reverse("meetings:compliance", args=[agreement.pk]),
            "api": f"/api/v1/compliance/{agreement.pk}/",
            "export_docx": reverse("meetings:compliance_export", args=[agreement.pk])
            + "?format=docx",
        }
        results = []
        for name, url in urls.items():
            assert client.get(url).status_code == 200, url
            queries = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url)
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            times.sort()
            row = {"bench": "compliance_page", "url": name, "requests": args.requests,
                   "p50_ms": round(statistics.median(times), 1),
                   "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                   "max_ms": round(times[-1], 1), "queries": len(queries),
                   "load": [round(v, 2) for v in os.getloadavg()]}
            results.append(row)
            print(json.dumps(row), flush=True)
        print(json.dumps({"machine": _setup.machine()}), flush=True)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _setup.drop_database()


if __name__ == "__main__":
    main()
