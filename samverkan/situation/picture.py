"""The situation picture's queries: aggregation in the database, then the analysis package.

Every function takes a queryset that the caller got from ``Incident.objects.visible_to(user)``
(see :func:`incidents_for`), so the access rules hold; the functions only narrow and aggregate.
Nothing here loops over incidents in Python: counts come from ``GROUP BY`` (by category and
week, by hot spot cell, by weekday and hour, by place), and the analysis functions take the
aggregated arrays.

Which incidents count:

* statistics (counts, change, time of week, places): ``Incident.objects.counted()`` -- no
  summaries (the Police's night summaries), no merged duplicates, no rejected reports;
  area-centre points *are* counted (they happened in the municipality);
* hot spots: ``for_hotspots()`` -- as above, minus area-centre points (a municipality's centre
  point says nothing about where in it something happened).

Weeks are ISO weeks in local time (Europe/Stockholm): a week runs from Monday 00:00 to the
next Monday 00:00 local time.
"""
from __future__ import annotations

import datetime
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db import connections, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    Floor,
    Lower,
    NullIf,
    Trim,
    TruncHour,
)

from samverkan.analysis import (
    compare_counts,
    standout_hours,
    sweref99tm_to_wgs84,
    time_of_week_matrix,
)
from samverkan.analysis.change import SIGNIFICANCE_Z, Change

if TYPE_CHECKING:
    # The hot spots import scipy (a quarter of a second): only when a picture is drawn, not
    # in every process that imports this module (e.g. a file import).
    from samverkan.analysis import HotspotResult

from .choices import Precision
from .models import Area, Category, Incident, IncidentArea

LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)
#: Default hot spot cell size (metres) and window (weeks) of the weekly page.
DEFAULT_CELL_SIZE = 200
CELL_SIZES = (100, 200, 250, 500, 1000)
DEFAULT_HOTSPOT_WEEKS = 12
#: Cell size of "the same place" for recurring places.
PLACE_CELL_SIZE = 100
#: At most this many incident points are sent to the weekly map.
MAX_MAP_POINTS = 3000


# -- weeks -----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week (year, week)."""

    year: int
    week: int

    _RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Ww]?\s*(\d{1,2})\s*$")

    @classmethod
    def parse(cls, text: str | None) -> Week | None:
        """'2025-W07', '2025-07', '2025W7'; None when the text is not a week."""
        match = cls._RE.match(text or "")
        if not match:
            return None
        try:
            return cls.of(datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1))
        except ValueError:
            return None

    @classmethod
    def of(cls, day: datetime.date) -> Week:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def current(cls) -> Week:
        return cls.of(datetime.datetime.now(LOCAL_TZ).date())

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def start(self) -> datetime.datetime:
        """Monday 00:00 local time (aware)."""
        return datetime.datetime.combine(self.monday, datetime.time(), tzinfo=LOCAL_TZ)

    @property
    def end(self) -> datetime.datetime:
        """The next Monday 00:00 local time (aware, exclusive)."""
        nxt = self.monday + datetime.timedelta(days=7)
        return datetime.datetime.combine(nxt, datetime.time(), tzinfo=LOCAL_TZ)

    def shift(self, weeks: int) -> Week:
        return Week.of(self.monday + datetime.timedelta(weeks=weeks))

    def same_week_last_year(self) -> Week:
        """The same ISO week number a year earlier (week 53 -> week 52 when that year has
        none)."""
        try:
            return Week.of(datetime.date.fromisocalendar(self.year - 1, self.week, 1))
        except ValueError:
            return Week.of(datetime.date.fromisocalendar(self.year - 1, 52, 1))

    @property
    def param(self) -> str:
        """The URL form, '2025-W07'."""
        return f"{self.year}-W{self.week:02d}"

    def __str__(self) -> str:
        return f"{self.year} v. {self.week}"


# -- base querysets --------------------------------------------------------------------------


def incidents_for(user, municipality, area: Area | None = None) -> QuerySet:
    """The user's visible incidents of the municipality (and area) that count in statistics."""
    qs = Incident.objects.visible_to(user).filter(municipality=municipality).counted()
    if area is not None:
        qs = qs.filter(pk__in=IncidentArea.objects.filter(area=area).values("incident_id"))
    return qs


def has_example_incidents(user, municipality) -> bool:
    """Whether the pictures of the municipality count incidents the demo made up (one query
    on a small partial index: real installations have none)."""
    from samverkan.core import examples

    return examples.any_example(Incident.objects.visible_to(user).filter(
        municipality=municipality))


def in_period(qs: QuerySet, start: datetime.datetime, end: datetime.datetime) -> QuerySet:
    return qs.filter(occurred_at__gte=start, occurred_at__lt=end)


# -- counts by category and week -------------------------------------------------------------


def counts_by_category_and_period(
    qs: QuerySet, periods: list[tuple[datetime.datetime, datetime.datetime]]
) -> tuple[np.ndarray, np.ndarray]:
    """Incidents per period and category: returns ``(category_ids, counts)`` with
    ``counts[p, c]`` the count of period ``p`` and category ``category_ids[c]``. Periods (start
    inclusive, end exclusive) must not overlap.

    One ``GROUP BY`` query per run of adjacent periods (the weekly page: the week and the four
    before it, then the same week last year), each a single time range with the period as a
    ``CASE`` -- so that on PostgreSQL each is one index-only range scan of the covering time
    index (a query with OR-ed ranges becomes a bitmap scan of the table instead)."""
    rows = []
    for run in _adjacent_runs(periods):
        whens = [When(occurred_at__lt=periods[i][1], then=Value(i)) for i in run]
        rows += [(r["period"], r["category_id"], r["n"]) for r in (
            qs.filter(occurred_at__gte=periods[run[0]][0], occurred_at__lt=periods[run[-1]][1])
            .annotate(period=Case(*whens, default=Value(-1), output_field=IntegerField()))
            .values("period", "category_id").annotate(n=Count("id")).order_by())]
    ids = sorted({c for _p, c, _n in rows})
    index = {c: i for i, c in enumerate(ids)}
    counts = np.zeros((len(periods), len(ids)), dtype=np.int64)
    for p, c, n in rows:
        if p >= 0:
            counts[p, index[c]] += n
    return np.asarray(ids, dtype=np.int64), counts


def _adjacent_runs(periods: list[tuple[datetime.datetime, datetime.datetime]]
                   ) -> list[list[int]]:
    """Indexes of ``periods`` grouped into runs of adjacent periods, in time order."""
    runs: list[list[int]] = []
    for i in sorted(range(len(periods)), key=lambda k: periods[k][0]):
        if runs and periods[runs[-1][-1]][1] == periods[i][0]:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


@dataclass
class CategoryRow:
    """One line of the weekly table: this week against the last four weeks and last year."""

    category_id: int | None
    name: str
    colour: str
    current: int
    previous: list[int]
    mean_previous: float
    last_year: int
    vs_mean: Change
    vs_last_year: Change

    @property
    def flagged(self) -> bool:
        return self.vs_mean.significant or self.vs_last_year.significant


@dataclass
class WeeklyCounts:
    week: Week
    previous_weeks: list[Week]
    last_year_week: Week
    rows: list[CategoryRow]
    total: CategoryRow
    significance_z: float = SIGNIFICANCE_Z


def _row(category_id, name, colour, current, previous, last_year) -> CategoryRow:
    previous = [int(v) for v in previous]
    return CategoryRow(
        category_id=category_id, name=name, colour=colour, current=int(current),
        previous=previous, mean_previous=float(np.mean(previous)), last_year=int(last_year),
        vs_mean=compare_counts(current, previous), vs_last_year=compare_counts(current,
                                                                              [last_year]))


def weekly_counts(qs: QuerySet, municipality, week: Week, *, reader, total_label: str = "Total"
                  ) -> WeeklyCounts:
    """The week's incidents by category against the mean of the four weeks before and the same
    ISO week last year, each with the Poisson z (see :mod:`samverkan.analysis.change`)."""
    previous = [week.shift(-k) for k in range(4, 0, -1)]  # oldest first
    last_year = week.same_week_last_year()
    weeks = [week, *previous, last_year]
    ids, counts = counts_by_category_and_period(qs, [(w.start, w.end) for w in weeks])
    by_id = {int(c): i for i, c in enumerate(ids)}
    # The categories `reader` may read (None: the system, e.g. tests of the figures).
    shown = Category.objects.all() if reader is None else Category.objects.visible_to(reader)
    categories = list(shown.filter(municipality=municipality)
                      .order_by("order", "name").values_list("pk", "name", "colour", "active"))
    rows = []
    for pk, name, colour, active in categories:
        col = counts[:, by_id[pk]] if pk in by_id else np.zeros(len(weeks), dtype=np.int64)
        if not active and not col.any():
            continue
        rows.append(_row(pk, name, colour, col[0], col[1:5], col[5]))
    totals = counts.sum(axis=1) if counts.size else np.zeros(len(weeks), dtype=np.int64)
    total = _row(None, total_label, "", totals[0], totals[1:5], totals[5])
    return WeeklyCounts(week=week, previous_weeks=previous, last_year_week=last_year,
                        rows=rows, total=total)


def weekly_series(qs: QuerySet, weeks: list[Week]) -> list[int]:
    """Total counted incidents per week (one query)."""
    ids, counts = counts_by_category_and_period(qs, [(w.start, w.end) for w in weeks])
    return [int(v) for v in counts.sum(axis=1)] if counts.size else [0] * len(weeks)


# -- hot spots -------------------------------------------------------------------------------


@contextmanager
def aggregation_settings(using: str = "default"):
    """On PostgreSQL: enough ``work_mem`` for the hash aggregate of a large grid to stay in
    memory (the default 4 MB spills 100,000 cells to disk) and no JIT (its compile time costs
    more than it saves on these short queries). Only for this transaction (SET LOCAL)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
        yield


#: Cell indexes travel packed into one bigint (an offset of 2**20 keeps negative indexes
#: positive; |cell index| < 2**20 holds for cells of 10 m or more in SWEREF 99 TM).
CELL_SHIFT = 21
CELL_OFFSET = 1 << 20


def packed_cell(size: float):
    """``(floor(x/size) + 2**20) * 2**21 + floor(y/size) + 2**20`` as a SQL expression."""
    ix = Cast(Floor(F("x") / Value(size)), BigIntegerField()) + Value(CELL_OFFSET)
    iy = Cast(Floor(F("y") / Value(size)), BigIntegerField()) + Value(CELL_OFFSET)
    return ix * Value(1 << CELL_SHIFT) + iy


def unpack_cell(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mask = (1 << CELL_SHIFT) - 1
    return ((key >> CELL_SHIFT) & mask) - CELL_OFFSET, (key & mask) - CELL_OFFSET


def read_key_counts(qs: QuerySet, sql: str, params) -> np.ndarray:
    """``(key, count)`` rows of a ``GROUP BY`` of one bigint key, as an (n, 2) int64 array:
    on PostgreSQL through the binary ``COPY`` parsed by numpy (no Python object per row: a
    large grid has a million occupied cells), elsewhere through the cursor."""
    connection = connections[qs.db]
    with aggregation_settings(qs.db), connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)", params) as copy:
            data = b"".join(bytes(block) for block in copy)
    # A 19-byte header; per row an int16 field count and (int32 length, int64 value) twice;
    # a 2-byte trailer.
    row = np.dtype([("fields", ">i2"), ("l1", ">i4"), ("key", ">i8"), ("l2", ">i4"),
                    ("n", ">i8")])
    body = np.frombuffer(data, dtype=row, offset=19, count=(len(data) - 21) // row.itemsize)
    return np.stack([body["key"].astype(np.int64), body["n"].astype(np.int64)], axis=1)


def cell_counts(qs: QuerySet, cell_size: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ix, iy, count)`` of the occupied cells: ``GROUP BY floor(x/size), floor(y/size)`` over
    the hot-spot incidents of ``qs`` (area centres and points without coordinates left out).

    The two cell indexes are packed into one bigint in SQL (one key is cheaper to hash and to
    send than two, and integers than doubles) and the rows are read straight into numpy,
    without a Python object per row."""
    size = float(cell_size)
    rows = (qs.for_hotspots().annotate(key=packed_cell(size))
            .values_list("key").annotate(n=Count("id")).order_by())
    sql, params = rows.query.sql_with_params()
    arr = read_key_counts(qs, sql, params)
    ix, iy = unpack_cell(arr[:, 0])
    return ix, iy, arr[:, 1]


def hotspots(qs: QuerySet, cell_size: float = DEFAULT_CELL_SIZE) -> HotspotResult:
    """Getis-Ord Gi* hot spots of the incidents of ``qs`` from the database: the same analysis
    (:func:`samverkan.analysis.gi_star_from_cell_counts`) as ``samverkan hotspots``."""
    ix, iy, n = cell_counts(qs, cell_size)
    from samverkan.analysis import gi_star_from_cell_counts

    return gi_star_from_cell_counts(ix, iy, n, cell_size)


def hotspot_cells_geojson(result: HotspotResult, *, significant_only: bool = True) -> dict:
    """The cells as a GeoJSON FeatureCollection of WGS 84 squares (for Leaflet), with
    ``count``, ``z``, ``p`` and ``bin`` properties. Only significant cells by default."""
    size = result.cell_size
    if not result.meaningful:
        return {"type": "FeatureCollection", "features": []}
    bins = result.bins
    mask = bins != 0 if significant_only else np.ones(bins.shape, dtype=bool)
    jj, ii = np.nonzero(mask)
    if not jj.size:
        return {"type": "FeatureCollection", "features": []}
    x0 = (ii + result.origin[0]) * size
    y0 = (jj + result.origin[1]) * size
    xs = np.concatenate([x0, x0 + size, x0 + size, x0])
    ys = np.concatenate([y0, y0, y0 + size, y0 + size])
    lat, lon = sweref99tm_to_wgs84(xs, ys)
    k = jj.size
    lat = lat.reshape(4, k)
    lon = lon.reshape(4, k)
    features = []
    for m in range(k):
        j, i = int(jj[m]), int(ii[m])
        ring = [[round(float(lon[c, m]), 6), round(float(lat[c, m]), 6)] for c in (0, 1, 2, 3, 0)]
        features.append({
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"count": int(result.counts[j, i]),
                           "z": round(float(result.z[j, i]), 2),
                           "p": float(result.p[j, i]), "bin": int(bins[j, i])}})
    return {"type": "FeatureCollection", "features": features}


def hotspot_summary(result: HotspotResult) -> dict[str, int]:
    """Number of cells per confidence bin, e.g. {'hot99': 3, 'hot95': 1, ...}."""
    b = result.bins
    return {"hot99": int((b == 3).sum()), "hot95": int((b == 2).sum()),
            "hot90": int((b == 1).sum()), "cold99": int((b == -3).sum()),
            "cold95": int((b == -2).sum()), "cold90": int((b == -1).sum())}


# -- time of week ----------------------------------------------------------------------------


def time_of_week(qs: QuerySet) -> np.ndarray:
    """7 x 24 counts, Monday first, local time. The database counts per hour (``GROUP BY``
    the hour in UTC: no time-zone conversion per row, at most 24 rows a day); each hour is
    then placed at its local weekday and hour (Swedish offsets are whole hours, so an hour
    in UTC is one local hour, summer time included)."""
    rows = list(qs.annotate(h=TruncHour("occurred_at", tzinfo=datetime.UTC))
                .values_list("h").annotate(n=Count("id")).order_by())
    if not rows:
        return time_of_week_matrix(np.zeros(0, np.int64), np.zeros(0, np.int64))
    local = [h.astimezone(LOCAL_TZ) for h, _n in rows]
    return time_of_week_matrix(np.array([t.weekday() for t in local], dtype=np.int64),
                               np.array([t.hour for t in local], dtype=np.int64),
                               weights=np.array([n for _h, n in rows], dtype=np.int64))


@dataclass
class TimeOfWeek:
    matrix: np.ndarray
    standout: list
    total: int
    rows: list[dict] = field(default_factory=list)


def time_of_week_picture(qs: QuerySet, weekday_names: list[str]) -> TimeOfWeek:
    matrix = time_of_week(qs)
    top = float(matrix.max()) if matrix.size else 0.0
    standout = standout_hours(matrix)
    marked = {(s.weekday, s.hour) for s in standout}
    rows = []
    for d in range(7):
        rows.append({"name": weekday_names[d], "cells": [
            {"hour": h, "count": int(matrix[d, h]),
             "v": round(float(matrix[d, h]) / top, 3) if top else 0.0,
             "standout": (d, h) in marked} for h in range(24)]})
    return TimeOfWeek(matrix=matrix, standout=standout, total=int(matrix.sum()), rows=rows)


# -- places that recur -----------------------------------------------------------------------


def _week_key(weeks: list[Week]):
    """An expression numbering the ISO week (local time) of ``occurred_at`` among ``weeks``
    (consecutive, oldest first): a ``CASE`` over the weeks' UTC boundaries, cheaper than a
    time-zone conversion per row."""
    whens = [When(occurred_at__lt=w.end, then=Value(i)) for i, w in enumerate(weeks)]
    return Case(*whens, default=Value(len(weeks)), output_field=IntegerField())


def recurring_places(qs: QuerySet, weeks: list[Week], *, min_weeks: int = 2,
                     limit: int = 10) -> list[dict]:
    """Places (same address or place name, case-insensitive) and 100 m cells with incidents in
    at least ``min_weeks`` different ISO weeks of ``weeks`` (consecutive, oldest first; ``qs``
    covers them), most weeks first. Places: one ``GROUP BY`` with ``COUNT(DISTINCT week)``.
    Cells: the same over the covering index (index-only), then the names of the places in
    the cells found, for the few incidents in them."""
    week_key = _week_key(weeks)
    place = Lower(Trim(Coalesce(NullIf("address", Value("")), NullIf("place_name", Value("")))))
    by_place = (qs.annotate(place=place).exclude(place__isnull=True).exclude(place="")
                .values("place")
                .annotate(n=Count("id"), weeks=Count(week_key, distinct=True),
                          name=Max("address"), name2=Max("place_name"),
                          lat=Max("lat"), lon=Max("lon"))
                .filter(weeks__gte=min_weeks).order_by("-weeks", "-n", "place")[:limit])
    out = [{"kind": "place", "label": row["name"] or row["name2"] or row["place"],
            "incidents": row["n"], "weeks": row["weeks"], "lat": row["lat"], "lon": row["lon"]}
           for row in by_place]

    size = float(PLACE_CELL_SIZE)
    in_cells = qs.for_hotspots().annotate(ix=Floor(F("x") / Value(size)),
                                          iy=Floor(F("y") / Value(size)))
    cells = list(in_cells.values("ix", "iy")
                 .annotate(n=Count("id"), weeks=Count(week_key, distinct=True))
                 .filter(weeks__gte=min_weeks).order_by("-weeks", "-n", "ix", "iy")[:limit])
    if cells:
        # Names of the places in these cells: the ids from the index (of the visible
        # incidents of ``qs``), then those rows only.
        wanted = Q()
        for c in cells:
            wanted |= Q(ix=c["ix"], iy=c["iy"])
        # The cells' bounding box (a metre wider, against rounding in the division) first:
        # plain comparisons that leave the cell test above for the few rows inside it.
        wanted &= Q(x__gte=min(c["ix"] for c in cells) * size - 1,
                    x__lt=(max(c["ix"] for c in cells) + 1) * size + 1,
                    y__gte=min(c["iy"] for c in cells) * size - 1,
                    y__lt=(max(c["iy"] for c in cells) + 1) * size + 1)
        names: dict[tuple, list[str]] = {}
        for row in (Incident.objects.filter(pk__in=in_cells.filter(wanted).values("pk"))
                    .annotate(ix=Floor(F("x") / Value(size)), iy=Floor(F("y") / Value(size)))
                    .values("ix", "iy").annotate(name=Max("address"), name2=Max("place_name"))
                    .order_by()):
            names[(row["ix"], row["iy"])] = [row["name"], row["name2"]]
        for c in cells:
            c["name"], c["name2"] = names.get((c["ix"], c["iy"]), ["", ""])
        ix = np.array([c["ix"] for c in cells], dtype=np.float64)
        iy = np.array([c["iy"] for c in cells], dtype=np.float64)
        lat, lon = sweref99tm_to_wgs84((ix + 0.5) * size, (iy + 0.5) * size)
        for c, la, lo in zip(cells, lat.tolist(), lon.tolist(), strict=True):
            out.append({"kind": "cell", "label": c["name"] or c["name2"] or "",
                        "incidents": c["n"], "weeks": c["weeks"], "lat": la, "lon": lo,
                        "x": int(c["ix"]) * PLACE_CELL_SIZE,
                        "y": int(c["iy"]) * PLACE_CELL_SIZE})
    out.sort(key=lambda r: (-r["weeks"], -r["incidents"], r["kind"]))
    return out[:limit]


# -- map points ------------------------------------------------------------------------------


def map_point_counts(qs: QuerySet, *, limit: int = MAX_MAP_POINTS) -> tuple[int, int, int]:
    """What the page says about the map without drawing it (the points themselves are the map's
    own request, `map_points`): the number of points drawn, the number left out because the
    point is only an area's centre, and the number left out because of ``limit`` -- one
    aggregate query."""
    centre = Q(precision=Precision.AREA_CENTRE) | Q(lat__isnull=True)
    counts = qs.aggregate(with_point=Count("pk", filter=~centre),
                          centre=Count("pk", filter=centre))
    with_point = counts["with_point"] or 0
    return min(with_point, limit), counts["centre"] or 0, max(0, with_point - limit)


def map_points(qs: QuerySet, *, limit: int = MAX_MAP_POINTS) -> tuple[list[dict], int, int]:
    """The week's incidents with a real point (for the map), the number left out because the
    point is only an area's centre, and the number left out because of ``limit``."""
    with_point = qs.filter(lat__isnull=False).exclude(precision=Precision.AREA_CENTRE)
    n_centre = qs.filter(Q(precision=Precision.AREA_CENTRE) | Q(lat__isnull=True)).count()
    rows = list(with_point.order_by("-occurred_at").values(
        "pk", "lat", "lon", "precision", "occurred_at", "address", "place_name",
        "category__name", "category__colour")[: limit + 1])
    cut = max(0, len(rows) - limit)
    points = [{
        "id": r["pk"], "lat": round(r["lat"], 6), "lon": round(r["lon"], 6),
        "precision": r["precision"], "category": r["category__name"],
        "colour": r["category__colour"],
        "when": r["occurred_at"].astimezone(LOCAL_TZ).strftime("%a %H:%M"),
        "place": r["address"] or r["place_name"]} for r in rows[:limit]]
    if cut:
        cut = with_point.count() - limit
    return points, n_centre, cut
