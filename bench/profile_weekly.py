#!/usr/bin/env python
"""Where the weekly page's cold time goes: each query of ``weekly._figures`` timed on its own
(nothing cached), for several weeks, with 1,000,000 city incidents in PostgreSQL.

Loads the city data set of ``bench_import.py`` (``synthetic.city_chunks``) into the
benchmark database when it has fewer incidents than ``--incidents`` (``--fresh`` recreates
the database first). Prints the median time of each step and of the whole build.

The page's figures (`weekly._figures`, in one transaction with `picture.aggregation_settings`:
no JIT, 64 MB work_mem) are timed as one build; the map's points, which are
the map's own request since the page renders without them, are timed on their own.

Usage: ``python bench/profile_weekly.py [--fresh] [--incidents 1000000] [--weeks 8]
[--year 2025] [--first-week 10] [--step 4]`` (``--incidents 0``: profile the database as it
is, e.g. the demo loaded with ``manage.py load_demo``)
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import time

import _setup


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--year", type=int, default=2025,
                        help="the weeks' ISO year (the demo: the current year)")
    parser.add_argument("--first-week", type=int, default=10)
    parser.add_argument("--step", type=int, default=4, help="weeks between the weeks profiled")
    args = parser.parse_args(argv)
    if args.fresh:
        _setup.recreate_database()
    _setup.django_setup()
    if args.fresh:
        _setup.migrate()
    import synthetic

    from samverkan.situation.bulk import load_incidents
    from samverkan.situation.models import Incident

    if args.incidents and (Incident.objects.filter(municipality_id="0484").count()
                           < args.incidents):
        _setup.truncate_incidents()
        categories = _setup.ensure_categories()
        eskilstuna = {s: categories[("0484", s)] for s in synthetic.CATEGORY_SLUGS}
        for columns in synthetic.city_chunks(args.incidents, eskilstuna):
            load_incidents(None, columns, label="profile_weekly.py")
    from bench_weekly_page import login_cookie
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samverkan.organizations.models import Municipality
    from samverkan.situation import picture, weekly
    from samverkan.situation.picture import Week

    login_cookie()  # the coordinator
    user = get_user_model().objects.get(username="bench-coordinator")
    municipality = Municipality.objects.get(code="0484")
    steps: dict[str, list[float]] = {}
    queries: list[int] = []

    def step(name, func, *args):
        t0 = time.perf_counter()
        value = func(*args)
        steps.setdefault(name, []).append(time.perf_counter() - t0)
        return value

    for k in range(args.weeks):
        week = Week(args.year, args.first_week + args.step * k)
        first = week.shift(-11)
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as captured, picture.aggregation_settings():
            base = picture.incidents_for(user, municipality)
            step("counts (week, 4 before, last year)", functools.partial(
                picture.weekly_counts, base, municipality, week, reader=user,
                total_label="Alla kategorier"))
            window = picture.in_period(base, first.start, week.end)
            hot = step("hot spots (12 weeks, 200 m)", picture.hotspots, window, 200)
            step("hot spot cells as GeoJSON", picture.hotspot_cells_geojson, hot)
            step("time of week (12 weeks)", picture.time_of_week_picture, window,
                 weekly.weekday_names())
            step("places that recur (12 weeks)", picture.recurring_places, window,
                 [first.shift(i) for i in range(12)])
            step("map point counts (the week)", picture.map_point_counts,
                 picture.in_period(base, week.start, week.end))
            step("example incidents", picture.has_example_incidents, user, municipality)
        steps.setdefault("whole build (the page's figures)", []).append(
            time.perf_counter() - t0)
        queries.append(len(captured.captured_queries))
        # The map's own request (situation:weekly_map): the week's points.
        with picture.aggregation_settings():
            step("map request: points (the week)", picture.map_points,
                 picture.in_period(base, week.start, week.end))
    out = {"incidents": Incident.objects.count(), "weeks": args.weeks,
           "load_average": [round(v, 2) for v in os.getloadavg()],
           "median_ms": {name: round(1000 * statistics.median(v), 1)
                         for name, v in steps.items()},
           "queries_per_build": statistics.median(queries)}
    for name, ms in out["median_ms"].items():
        print(f"  {name:38} {ms:8.1f} ms")
    print(json.dumps({"profile_weekly": out}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
