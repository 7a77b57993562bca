#!/usr/bin/env python
"""Import speed into PostgreSQL with COPY (``samverkan.situation.bulk.load_incidents``).

Loads synthetic incidents (``bench/synthetic.py``) into the benchmark database: a city with
100,000 incidents, the country with 1 million, the country with 10 million (``--with-10m``),
and last a city with 1 million, which is left in place for ``bench_hotspots_db.py`` and
``bench_weekly_page.py``. Each data set is loaded into an empty table once per ``--jobs`` value:
``jobs=1`` is one transaction per call of ``load_incidents`` (all-or-nothing), ``jobs=2``
loads two halves over two connections at once (see ``bulk.load_incidents``). The synthetic
generator hands over one million rows per call.

The time measured is the product's bulk load as a caller sees it: projection of lat/lon to
SWEREF 99 TM, binary ``COPY`` into the staging table, the idempotent ``INSERT ... ON CONFLICT
DO NOTHING`` into the incident table with its indexes, the foreign-key checks, the audit
entries, the commit and the ``VACUUM (ANALYZE)`` after each call. Generating the data is not
timed.

Usage: ``python bench/bench_import.py [--with-10m] [--fresh] [--jobs 1,2]`` (``--fresh``
recreates and migrates the database first; ``bench/run.py`` does that).
"""
from __future__ import annotations

import argparse
import json
import time

import _setup


def load(gen, jobs: int) -> tuple[int, float]:
    from samverkan.situation.bulk import load_incidents

    total, seconds = 0, 0.0
    for columns in gen:
        t0 = time.perf_counter()
        total += load_incidents(None, columns, jobs=jobs, label="bench_import.py")
        seconds += time.perf_counter() - t0
    return total, seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-10m", action="store_true", help="also load 10 million")
    parser.add_argument("--fresh", action="store_true", help="recreate the database first")
    parser.add_argument("--city-final", type=int, default=1_000_000,
                        help="incidents of the city data set left in the database")
    parser.add_argument("--jobs", default="1,2", help="comma-separated jobs values to time")
    args = parser.parse_args(argv)
    if args.fresh:
        _setup.recreate_database()
    _setup.django_setup()
    if args.fresh:
        _setup.migrate()
    import synthetic

    from samverkan.organizations.models import Municipality

    categories = _setup.ensure_categories()
    eskilstuna = {s: categories[("0484", s)] for s in synthetic.CATEGORY_SLUGS}
    municipalities = list(Municipality.objects.order_by("code").values_list("code",
                                                                             "population"))
    jobs_values = [int(j) for j in args.jobs.split(",")]
    cases = [("city", 100_000, j) for j in jobs_values]
    cases += [("country", 1_000_000, j) for j in jobs_values]
    if args.with_10m:
        cases += [("country", 10_000_000, j) for j in jobs_values]
    cases.append(("city", args.city_final, 1))
    results = []
    for kind, n, jobs in cases:
        _setup.truncate_incidents()
        if kind == "city":
            gen = synthetic.city_chunks(n, eskilstuna)
        else:
            gen = synthetic.country_chunks(n, municipalities, categories)
        count, seconds = load(gen, jobs)
        results.append({"data": kind, "incidents": count, "jobs": jobs,
                        "seconds": round(seconds, 2), "per_second": int(count / seconds)})
        print(f"{kind:8} {count:>11,} incidents, jobs={jobs}: {seconds:7.1f} s = "
              f"{count / seconds:>9,.0f} per second", flush=True)
    print(json.dumps({"import": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
