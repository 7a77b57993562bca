"""Parser for Police events in the ``polisen.se/api/events`` JSON format.

Rules (see ``samverkan/situation/data/SOURCES.md`` and the data README):

* ``datetime`` is the *publication* time with a UTC offset and an hour that is not
  zero-padded (``2025-06-07 7:32:06 +02:00``): parsed with
  ``strptime("%Y-%m-%d %H:%M:%S %z")`` (``fromisoformat`` rejects it).
* The *event* time is only in ``name``: ``<day> <Swedish month> <HH:MM or HH.MM>, <type>,
  <place>``; the day may be padded (``09 april``) or not (``9 augusti``). ``name`` has no
  year: it is taken from the publication, stepping back one year when the name date would
  fall more than :data:`MAX_EVENT_AFTER_PUBLICATION` after publication (event on 31 December
  published on 1 January). We do **not** require the event to precede publication: nightly
  summaries carry a nominal time published minutes before it, and some names carry typos.
* ``type`` may contain ``", "``: ``name`` is never split on commas. Instead we check that
  ``name == f"{day} {month} {time}, {type}, {place}"`` and take ``place`` from the end.
* ``location.name`` is a municipality or a county (``... län``). From 2026-01-20 the
  Södermanland events are all located at the county and the municipality is only ``place``.
  ``municipality_code`` comes from ``location.name`` when it is a municipality (case-
  insensitive: ``Upplands väsby``), else from ``place`` when that is a municipality.
* ``location.gps`` (``"lat,lon"``) is the fixed centre of the municipality/county in
  ``location.name``, **not** the incident place: never plot it as one.
* ``id`` is the key (``name`` is not unique: ids 612833/612834 are one incident published
  twice, and nightly summaries repeat across years). Records are deduplicated on ``id``.

A malformed record never raises: it is reported in :attr:`ParseResult.errors` with its index,
id (if readable) and field, and the other records are still parsed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .municipality_names import code_for

STOCKHOLM = ZoneInfo("Europe/Stockholm")
POLISEN_BASE_URL = "https://polisen.se"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S %z"
#: An event time (from ``name``) later than publication + this is taken to be from the
#: previous year. Summaries are named with a nominal time shortly after publication, and a
#: few names carry times hours after publication (typos), so allow a day.
MAX_EVENT_AFTER_PUBLICATION = timedelta(days=1)
#: Symmetric guard: an event time this long *before* publication belongs to the next year
#: (a 1 January event published late on 31 December). Publication normally follows the
#: event by minutes to hours (largest seen: about 14 hours).
MAX_EVENT_BEFORE_PUBLICATION = timedelta(days=300)

SWEDISH_MONTHS: dict[str, int] = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}

#: Summary types are recognised by this prefix (``Sammanfattning natt``,
#: ``Sammanfattning kväll och natt``, and any future ``Sammanfattning ...``).
SUMMARY_PREFIX = "Sammanfattning"

#: Types that are not incidents: updates, planned controls, operations and general notices.
#: (``Övrigt`` is used for notices and odds and ends; it may occasionally describe an
#: incident, but it cannot be counted as one without reading the text.)
NOTICE_TYPES: frozenset[str] = frozenset({
    "Uppdatering",
    "Trafikkontroll",
    "Kontroll",
    "Kontroll person/fordon",
    "Polisinsats/kommendering",
    "Övrigt",
    "Information",
    "Pressmeddelande",
})

_NAME_HEAD = re.compile(
    r"^(?P<day>\d{1,2}) (?P<month>[a-zåäö]+) (?P<hour>\d{1,2})(?P<sep>[:.])(?P<minute>\d{2}), "
)


def is_summary_type(event_type: str) -> bool:
    return event_type.startswith(SUMMARY_PREFIX)


def is_incident_type(event_type: str) -> bool:
    """False for summaries and for the notice types in :data:`NOTICE_TYPES`."""
    return not is_summary_type(event_type) and event_type not in NOTICE_TYPES


@dataclass(frozen=True)
class PoliceEvent:
    id: int
    published_at: datetime  # aware, the offset given in the source
    event_time: datetime | None  # aware, Europe/Stockholm; None if name has no valid date
    type: str
    place: str  # municipality or county name from the end of ``name``
    location_name: str
    location_is_county: bool
    municipality_code: str | None
    is_summary: bool
    is_incident: bool
    summary: str
    url: str  # absolute
    lat: float  # centre of location_name, NOT the incident place
    lon: float


@dataclass(frozen=True)
class ParseIssue:
    index: int  # position in the input list
    id: int | None
    field: str
    message: str

    def __str__(self) -> str:
        return f"record {self.index} (id {self.id}): {self.field}: {self.message}"


@dataclass
class ParseResult:
    events: list[PoliceEvent] = field(default_factory=list)
    errors: list[ParseIssue] = field(default_factory=list)  # records skipped
    warnings: list[ParseIssue] = field(default_factory=list)  # kept, but with a caveat


class _FieldError(ValueError):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


def _str(record: dict, key: str, *, allow_empty: bool = False) -> str:
    value = record.get(key)
    if not isinstance(value, str):
        raise _FieldError(key, f"expected a string, got {type(value).__name__}")
    if not allow_empty and not value.strip():
        raise _FieldError(key, "empty")
    return value


def parse_published(value: str) -> datetime:
    """``2025-06-07 7:32:06 +02:00`` -> aware datetime (offset as given)."""
    return datetime.strptime(value, DATETIME_FORMAT)


def split_name(name: str, event_type: str) -> tuple[int, str, int, int, str]:
    """Split ``name`` into (day, month name, hour, minute, place) using the ``type`` field.

    Raises ValueError if ``name`` is not ``f"{day} {month} {time}, {type}, {place}"``.
    """
    m = _NAME_HEAD.match(name)
    if not m:
        raise ValueError(f"name does not start with '<day> <month> <HH:MM|HH.MM>, ': {name!r}")
    rest = name[m.end():]
    prefix = f"{event_type}, "
    if not rest.startswith(prefix) or not rest[len(prefix):].strip():
        raise ValueError(f"name does not continue with the type {event_type!r}: {name!r}")
    place = rest[len(prefix):]
    return int(m["day"]), m["month"], int(m["hour"]), int(m["minute"]), place


def event_time_from_name(
    day: int, month_name: str, hour: int, minute: int, published_at: datetime
) -> datetime:
    """Event time in Europe/Stockholm; the year is inferred from the publication time."""
    month = SWEDISH_MONTHS.get(month_name)
    if month is None:
        raise ValueError(f"unknown Swedish month {month_name!r}")
    pub_local = published_at.astimezone(STOCKHOLM)
    year = pub_local.year
    candidate = _local(year, month, day, hour, minute)
    if candidate - published_at > MAX_EVENT_AFTER_PUBLICATION:
        candidate = _local(year - 1, month, day, hour, minute)
    elif published_at - candidate > MAX_EVENT_BEFORE_PUBLICATION:
        candidate = _local(year + 1, month, day, hour, minute)
    return candidate


def _local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def _absolute_url(url: str) -> str:
    if url.startswith(("https://", "http://")):
        return url
    if not url.startswith("/"):
        url = "/" + url
    return POLISEN_BASE_URL + url


def _gps(value: Any) -> tuple[float, float]:
    if not isinstance(value, str):
        raise _FieldError("location.gps", f"expected 'lat,lon' string, got {value!r}")
    parts = value.split(",")
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        raise _FieldError("location.gps", f"expected 'lat,lon', got {value!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _FieldError("location.gps", f"out of range: {value!r}")
    return lat, lon


def is_county_name(name: str) -> bool:
    return name.strip().casefold().endswith(" län")


def parse_event(record: Any, warnings: list[str] | None = None) -> PoliceEvent:
    """Parse one API record. Raises :class:`ValueError` (with ``.field``) if malformed.

    Problems that do not prevent use of the record (an invalid date in ``name``) are
    appended to ``warnings`` as strings ``"field: message"``.
    """
    if not isinstance(record, dict):
        raise _FieldError("record", f"expected an object, got {type(record).__name__}")
    event_id = record.get("id")
    if not isinstance(event_id, int) or isinstance(event_id, bool):
        raise _FieldError("id", f"expected an integer, got {event_id!r}")
    raw_dt = _str(record, "datetime")
    try:
        published_at = parse_published(raw_dt)
    except ValueError:
        raise _FieldError("datetime", f"not '{DATETIME_FORMAT}': {raw_dt!r}") from None
    name = _str(record, "name")
    event_type = _str(record, "type")
    summary = _str(record, "summary", allow_empty=True)
    url = _str(record, "url")
    location = record.get("location")
    if not isinstance(location, dict):
        raise _FieldError("location", f"expected an object, got {location!r}")
    location_name = location.get("name")
    if not isinstance(location_name, str) or not location_name.strip():
        raise _FieldError("location.name", f"expected a non-empty string, got {location_name!r}")
    lat, lon = _gps(location.get("gps"))

    try:
        day, month_name, hour, minute, place = split_name(name, event_type)
    except ValueError as exc:
        raise _FieldError("name", str(exc)) from None
    try:
        event_time: datetime | None = event_time_from_name(
            day, month_name, hour, minute, published_at
        )
    except ValueError as exc:  # e.g. "30 februari", "25 mars 24.10"
        event_time = None
        if warnings is not None:
            warnings.append(f"name: no valid event time ({exc})")

    location_is_county = is_county_name(location_name)
    municipality_code = None if location_is_county else code_for(location_name)
    if municipality_code is None and not is_county_name(place):
        municipality_code = code_for(place)

    return PoliceEvent(
        id=event_id,
        published_at=published_at,
        event_time=event_time,
        type=event_type,
        place=place,
        location_name=location_name,
        location_is_county=location_is_county,
        municipality_code=municipality_code,
        is_summary=is_summary_type(event_type),
        is_incident=is_incident_type(event_type),
        summary=summary,
        url=_absolute_url(url),
        lat=lat,
        lon=lon,
    )


def parse_events(data: Iterable[Any]) -> ParseResult:
    """Parse a list of API records; deduplicate on ``id`` (the first occurrence wins)."""
    result = ParseResult()
    seen: dict[int, int] = {}
    if not isinstance(data, list | tuple):
        result.errors.append(ParseIssue(-1, None, "root", "expected a JSON array of events"))
        return result
    for index, record in enumerate(data):
        raw_id = record.get("id") if isinstance(record, dict) else None
        raw_id = raw_id if isinstance(raw_id, int) and not isinstance(raw_id, bool) else None
        notes: list[str] = []
        try:
            event = parse_event(record, notes)
        except _FieldError as exc:
            result.errors.append(ParseIssue(index, raw_id, exc.field, str(exc)))
            continue
        for note in notes:
            fld, _, msg = note.partition(": ")
            result.warnings.append(ParseIssue(index, event.id, fld, msg))
        if event.id in seen:
            result.warnings.append(ParseIssue(
                index, event.id, "id", f"duplicate of record {seen[event.id]}, skipped"))
            continue
        seen[event.id] = index
        result.events.append(event)
    return result


def load_events(path: str | Path) -> ParseResult:
    """Read a JSON file in the API format and parse it."""
    with Path(path).open(encoding="utf-8") as fh:
        return parse_events(json.load(fh))
