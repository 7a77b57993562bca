"""``samverkan emerging_hotspots --municipality CODE --period week|month --from DATE --to DATE
[--category CATEGORY ...] [--cell-size M] [--json] [--user NAME]``

Emerging hot spots (ArcGIS's method: Gi* per period and the Mann-Kendall trend, see
``samverkan/analysis/emerging.py`` and docs/situation-picture.md) of a municipality's
incidents from the database, over the ISO weeks or calendar months that contain the two dates.

``--json`` prints one object::

    {"cells": [{"x": 586400, "y": 6581200, "lat": 59.37, "lon": 16.51,
                "category": "intensifying_hot", "trend_z": 3.1, "trend_p": 0.002}, ...],
     "periods": 260}

``x``, ``y``: the cell's south-west corner in SWEREF 99 TM (EPSG:3006) metres; ``lat``,
``lon``: its centre in WGS 84; ``trend_z``, ``trend_p``: the Mann-Kendall trend of the cell's
Gi* z-scores. Only categorised cells are listed (``--category`` keeps only those categories).
Without ``--user`` the command sees every incident of the municipality (the server operator);
with it, only what that user may see.
"""
from __future__ import annotations

import datetime
import json
import math

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from samverkan.analysis import CATEGORIES
from samverkan.organizations.models import Municipality
from samverkan.situation import emerging, picture


class _Operator:
    """The server operator running a command: sees every record, like a superuser."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = None


def _date(value: str) -> datetime.date:
    import argparse

    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _cell_size(value: str) -> int:
    import argparse

    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not math.isfinite(number) or number < 10 or number != int(number):
        raise argparse.ArgumentTypeError(f"must be whole metres, at least 10: {value!r}")
    return int(number)


class Command(BaseCommand):
    help = ("Emerging hot spots (new, consecutive, intensifying, persistent, diminishing, "
            "sporadic, oscillating, historical; hot and cold) of a municipality's incidents.")
    # An analysis that only reads: no system checks (they import every page and API module,
    # a second of start-up) and no migration check.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, metavar="CODE",
                            help="municipality code, e.g. 0484")
        parser.add_argument("--period", choices=emerging.PERIOD_KINDS, required=True)
        parser.add_argument("--from", dest="date_from", type=_date, required=True,
                            metavar="DATE")
        parser.add_argument("--to", dest="date_to", type=_date, required=True, metavar="DATE")
        parser.add_argument("--category", action="extend", nargs="+", choices=CATEGORIES,
                            metavar="CATEGORY",
                            help="only these categories: " + ", ".join(CATEGORIES))
        parser.add_argument("--cell-size", dest="cell_size", type=_cell_size,
                            default=picture.DEFAULT_CELL_SIZE, metavar="M",
                            help=f"cell size in metres (default {picture.DEFAULT_CELL_SIZE})")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--user", help="analyse only what this user may see")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(code=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with code {options['municipality']!r}.")
        first, last = options["date_from"], options["date_to"]
        if isinstance(first, str):  # call_command may bypass the type converters
            first, last = _date(first), _date(last)
        if last < first:
            raise CommandError("--to is before --from.")
        cell_size = options["cell_size"]
        if isinstance(cell_size, str):
            cell_size = _cell_size(cell_size)
        user = _Operator()
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        qs = picture.incidents_for(user, municipality)
        try:
            em = emerging.emerging(qs, options["period"], first, last, cell_size)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        rows = emerging.cells_with_position(em, options["category"])
        if options["json"]:
            self.stdout.write(json.dumps({
                "cells": [{"x": r["cell"].x, "y": r["cell"].y, "lat": round(r["lat"], 6),
                           "lon": round(r["lon"], 6), "category": r["cell"].category,
                           "trend_z": round(r["cell"].trend_z, 4),
                           "trend_p": round(r["cell"].trend_p, 6)} for r in rows],
                "periods": em.result.n_periods}, ensure_ascii=False, allow_nan=False))
            return
        res = em.result
        self.stdout.write(
            f"{municipality.name}: {res.n_incidents} incidents with a known place, "
            f"{res.n_periods} {options['period']}s ({em.first_label} .. {em.last_label}), "
            f"cells of {cell_size} m, study area {res.shape[1]} x {res.shape[0]}")
        if res.message:
            self.stdout.write(res.message)
        if not res.meaningful:
            return
        if not rows:
            self.stdout.write("No emerging hot or cold spots.")
            return
        self.stdout.write(f"{'category':<19} {'x (SW)':>9} {'y (SW)':>9} {'trend z':>8} "
                          f"{'p':>8} {'since':>9}  centre lat, lon")
        for r in rows:
            c = r["cell"]
            self.stdout.write(f"{c.category:<19} {c.x:>9.0f} {c.y:>9.0f} {c.trend_z:>8.2f} "
                              f"{c.trend_p:>8.2g} {em.since_label(c.since):>9}  "
                              f"{r['lat']:.5f}, {r['lon']:.5f}")
