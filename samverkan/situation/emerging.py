"""Emerging hot spots and the accuracy of a hot-spot map, from the database.

The space-time cube is one ``GROUP BY period, floor(x/size), floor(y/size)`` over the hot-spot
incidents of a queryset the caller got from ``Incident.objects.visible_to(user)`` (so only the
incidents the user may see are counted); the analysis is :mod:`samverkan.analysis.emerging`.

The period of an incident is found in SQL: on PostgreSQL with ``width_bucket(occurred_at,
ARRAY[boundaries])``, a binary search over the periods' UTC boundaries (no time-zone
conversion per row); elsewhere (SQLite, the demo) with a ``CASE`` over the boundaries. Weeks
are ISO weeks and months calendar months, both in local time (Europe/Stockholm).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
from django.db import connections
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Func,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast

from samverkan.analysis import (
    CATEGORIES,
    EmergingResult,
    MapAccuracy,
    emerging_hotspots,
    gi_star_from_cell_counts,
    map_accuracy,
    sweref99tm_to_wgs84,
)

from . import picture
from .picture import LOCAL_TZ, Week

PERIOD_KINDS = ("week", "month")
#: Colours of the categories on the map (hot: reds, cold: blues; stronger = darker).
CATEGORY_COLOURS = {
    "intensifying_hot": "#67000d", "persistent_hot": "#a50f15", "diminishing_hot": "#ef3b2c",
    "historical_hot": "#fc9272", "oscillating_hot": "#cb181d", "new_hot": "#fb6a4a",
    "consecutive_hot": "#d7301f", "sporadic_hot": "#fcbba1",
    "intensifying_cold": "#08306b", "persistent_cold": "#08519c",
    "diminishing_cold": "#4292c6", "historical_cold": "#9ecae1",
    "oscillating_cold": "#2171b5", "new_cold": "#6baed6", "consecutive_cold": "#3182bd",
    "sporadic_cold": "#c6dbef",
}


@dataclass(frozen=True)
class Period:
    start: datetime.datetime
    end: datetime.datetime
    label: str


def periods(kind: str, first: datetime.date, last: datetime.date) -> list[Period]:
    """The weeks (ISO, Monday first) or calendar months that contain ``first`` .. ``last``
    (inclusive), in local time."""
    if kind not in PERIOD_KINDS:
        raise ValueError("the period is week or month")
    if last < first:
        raise ValueError("the end is before the start")
    out = []
    if kind == "week":
        week = Week.of(first)
        while week.monday <= last:
            out.append(Period(week.start, week.end, week.param))
            week = week.shift(1)
        return out
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        nxt = (year + 1, 1) if month == 12 else (year, month + 1)
        out.append(Period(datetime.datetime(year, month, 1, tzinfo=LOCAL_TZ),
                          datetime.datetime(*nxt, 1, tzinfo=LOCAL_TZ), f"{year}-{month:02d}"))
        year, month = nxt
    return out


class WidthBucket(Func):
    """PostgreSQL's ``width_bucket(value, thresholds[])``: 0 below the first threshold, i for
    ``thresholds[i-1] <= value < thresholds[i]``, a binary search per row."""

    function = "width_bucket"
    output_field = IntegerField()


def period_expression(qs: QuerySet, bounds: list[datetime.datetime]):
    """0-based period index of ``occurred_at`` for ``bounds`` (n + 1 ascending boundaries);
    -1 outside."""
    if connections[qs.db].vendor == "postgresql":
        return WidthBucket(F("occurred_at"), Value(bounds)) - Value(1)
    whens = [When(occurred_at__lt=b, then=Value(i - 1)) for i, b in enumerate(bounds)]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def _cube_key(qs: QuerySet, bounds: list[datetime.datetime], size: float):
    """The period and the packed cell (``picture.packed_cell``) in one bigint: the period
    above bit 42."""
    period = Cast(period_expression(qs, bounds), BigIntegerField())
    return period * Value(1 << (2 * picture.CELL_SHIFT)) + picture.packed_cell(size)


def cube_counts(qs: QuerySet, spans: list[Period], cell_size: float
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(period, ix, iy, count)`` of the non-empty cells of each period: one ``GROUP BY``
    over the hot-spot incidents of ``qs`` (counted, with a real point) in the periods, on one
    packed integer key (cheaper to hash and to send than three columns), read into numpy by
    ``picture.read_key_counts``."""
    if not spans:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    bounds = [p.start for p in spans] + [spans[-1].end]
    rows = (qs.for_hotspots().filter(occurred_at__gte=bounds[0], occurred_at__lt=bounds[-1])
            .annotate(key=_cube_key(qs, bounds, float(cell_size)))
            .values_list("key").annotate(n=Count("id")).order_by())
    sql, params = rows.query.sql_with_params()
    arr = picture.read_key_counts(qs, sql, params)
    key = arr[:, 0]
    period = key >> (2 * picture.CELL_SHIFT)
    ix, iy = picture.unpack_cell(key & ((1 << (2 * picture.CELL_SHIFT)) - 1))
    return period, ix, iy, arr[:, 1]


@dataclass
class Emerging:
    """An emerging hot spot analysis with its periods (for labels)."""

    kind: str
    periods: list[Period]
    cell_size: int
    result: EmergingResult

    def since_label(self, index: int) -> str:
        return self.periods[index].label if 0 <= index < len(self.periods) else ""

    @property
    def first_label(self) -> str:
        return self.periods[0].label if self.periods else ""

    @property
    def last_label(self) -> str:
        return self.periods[-1].label if self.periods else ""


def emerging(qs: QuerySet, kind: str, first: datetime.date, last: datetime.date,
             cell_size: int = picture.DEFAULT_CELL_SIZE) -> Emerging:
    """Emerging hot spots of the incidents of ``qs`` over the weeks or months that contain
    ``first`` .. ``last``."""
    spans = periods(kind, first, last)
    t, ix, iy, n = cube_counts(qs, spans, cell_size)
    result = emerging_hotspots(t, ix, iy, n, len(spans), cell_size)
    return Emerging(kind=kind, periods=spans, cell_size=int(cell_size), result=result)


def cells_with_position(em: Emerging, categories: list[str] | None = None) -> list[dict]:
    """The categorised cells (optionally only some categories) with the centre's lat/lon."""
    cells = [c for c in em.result.cells if not categories or c.category in categories]
    if not cells:
        return []
    half = em.cell_size / 2
    lat, lon = sweref99tm_to_wgs84(np.array([c.x for c in cells]) + half,
                                   np.array([c.y for c in cells]) + half)
    return [{"cell": c, "lat": float(la), "lon": float(lo)}
            for c, la, lo in zip(cells, lat.tolist(), lon.tolist(), strict=True)]


def emerging_geojson(em: Emerging, labels: dict[str, str]) -> dict:
    """The categorised cells as WGS 84 squares for Leaflet, with the category, its colour and
    label, the trend and since when."""
    cells = em.result.cells
    if not cells:
        return {"type": "FeatureCollection", "features": []}
    size = em.cell_size
    x0 = np.array([c.x for c in cells])
    y0 = np.array([c.y for c in cells])
    k = len(cells)
    lat, lon = sweref99tm_to_wgs84(np.concatenate([x0, x0 + size, x0 + size, x0]),
                                   np.concatenate([y0, y0, y0 + size, y0 + size]))
    lat, lon = lat.reshape(4, k), lon.reshape(4, k)
    features = []
    for m, c in enumerate(cells):
        ring = [[round(float(lon[q, m]), 6), round(float(lat[q, m]), 6)] for q in (0, 1, 2, 3, 0)]
        features.append({"type": "Feature", "geometry": {"type": "Polygon",
                                                         "coordinates": [ring]},
                         "properties": {"category": c.category,
                                        "label": labels.get(c.category, c.category),
                                        "colour": CATEGORY_COLOURS[c.category],
                                        "trend_z": round(c.trend_z, 2),
                                        "since": em.since_label(c.since), "count": c.count}})
    return {"type": "FeatureCollection", "features": features}


def category_rows(em: Emerging, labels: dict[str, str]) -> list[dict]:
    """Per category that occurs: its label, colour and number of cells, in the method's
    order."""
    summary = em.result.summary()
    return [{"category": c, "label": labels.get(c, c), "colour": CATEGORY_COLOURS[c],
             "cells": summary[c]} for c in CATEGORIES if c in summary]


# -- how good is the map -----------------------------------------------------------------------


@dataclass
class Accuracy:
    """A hot-spot map of one window held against the incidents of the next."""

    map_first: str
    map_last: str
    next_label: str
    accuracy: MapAccuracy
    cell_size: int


def accuracy(qs: QuerySet, map_start: datetime.datetime, map_end: datetime.datetime,
             next_end: datetime.datetime, cell_size: int, *, map_first: str, map_last: str,
             next_label: str) -> Accuracy:
    """PAI and recapture rate of the Gi* map of ``[map_start, map_end)`` against the
    incidents of ``[map_end, next_end)`` (two cell-count queries)."""
    ix, iy, n = picture.cell_counts(picture.in_period(qs, map_start, map_end), cell_size)
    hot_map = gi_star_from_cell_counts(ix, iy, n, cell_size)
    nx_, ny_, nn = picture.cell_counts(picture.in_period(qs, map_end, next_end), cell_size)
    return Accuracy(map_first=map_first, map_last=map_last, next_label=next_label,
                    accuracy=map_accuracy(hot_map, nx_, ny_, nn), cell_size=int(cell_size))
