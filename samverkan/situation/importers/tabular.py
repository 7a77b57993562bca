"""Incidents from tables (CSV or XLSX rows) and from GeoJSON point properties.

Headers are Swedish or English, case-insensitive: kategori/category, tid/time (or datum +
klockslag), slut/end, lat, lon, adress/address, plats/place, beskrivning/description,
organisation/organization, precision, id. Times are ISO 8601 or "YYYY-MM-DD HH:MM" in
Swedish local time (Europe/Stockholm) unless they carry an offset; they are stored in UTC.
Rows without an id get a source id that is the hash of their normalised values, so a file
imported twice creates nothing the second time.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from samverkan.organizations.models import Organization

from ..choices import IncidentSource, Precision
from ..models import Category, Incident, in_sweden
from .base import Candidate, RowError, row_hash, validate

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# canonical name -> accepted headers (compared casefolded, whitespace collapsed)
HEADERS: dict[str, tuple[str, ...]] = {
    "category": ("kategori", "category", "typ", "type"),
    "time": ("tid", "time", "tidpunkt", "start", "occurred_at", "datum och tid"),
    "date": ("datum", "date"),
    "clock": ("klockslag", "kl", "kl.", "clock"),
    "end": ("slut", "sluttid", "end", "ended_at"),
    "lat": ("lat", "latitud", "latitude"),
    "lon": ("lon", "lng", "long", "longitud", "longitude"),
    "address": ("adress", "address", "gatuadress"),
    "place": ("plats", "place", "platsnamn", "place name"),
    "description": ("beskrivning", "description", "text", "händelse"),
    "organization": ("organisation", "organization", "rapportör", "rapporterande organisation"),
    "precision": ("precision", "noggrannhet"),
    "id": ("id", "källid", "source_id", "source id"),
}
_HEADER_LOOKUP = {alias: key for key, aliases in HEADERS.items() for alias in aliases}

PRECISIONS = {
    "exact": Precision.EXACT, "exakt": Precision.EXACT,
    "address": Precision.ADDRESS, "adress": Precision.ADDRESS,
    "area_centre": Precision.AREA_CENTRE, "område": Precision.AREA_CENTRE,
    "områdets mitt": Precision.AREA_CENTRE, "area centre": Precision.AREA_CENTRE,
}

_DATE_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2})[:.](\d{2})(?::(\d{2}))?$")
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")


def normalise_header(value) -> str:
    return " ".join(str(value or "").split()).casefold()


def map_headers(headers: Iterable) -> tuple[dict[str, str], list[RowError]]:
    """file header -> canonical key; errors for duplicates and missing required columns."""
    mapping: dict[str, str] = {}
    seen: dict[str, str] = {}
    errors: list[RowError] = []
    for header in headers:
        key = _HEADER_LOOKUP.get(normalise_header(header))
        if key is None:
            continue
        if key in seen:
            errors.append(RowError(1, str(header), _(
                "The column repeats “%(other)s”.") % {"other": seen[key]}))
            continue
        seen[key] = str(header)
        mapping[str(header)] = key
    if "category" not in seen:
        errors.append(RowError(1, "kategori", _("The column is missing.")))
    if "time" not in seen and "date" not in seen:
        errors.append(RowError(1, "tid", _("The column is missing (or datum and klockslag).")))
    if ("lat" in seen) != ("lon" in seen):
        missing = "lon" if "lat" in seen else "lat"
        errors.append(RowError(1, missing, _("The column is missing.")))
    if "lat" not in seen and "address" not in seen and "place" not in seen:
        errors.append(RowError(1, "lat", _(
            "Give the place: columns lat and lon, or adress or plats.")))
    return mapping, errors


def parse_time(value) -> datetime.datetime:
    """A cell value -> aware datetime. Raises ValueError with a Swedish-translated message."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=STOCKHOLM)
    text = str(value or "").strip()
    if not text:
        raise ValueError(_("The time is missing."))
    if m := _DATE_TIME.match(text):
        year, month, day, hour, minute, second = (int(g or 0) for g in m.groups())
        try:
            return datetime.datetime(year, month, day, hour, minute, second, tzinfo=STOCKHOLM)
        except ValueError:
            raise ValueError(_("“%(value)s” is not a valid time.") % {"value": text}) from None
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(_("“%(value)s” is not a time: write e.g. 2024-05-03 22:15.")
                         % {"value": text}) from None
    if len(text) <= 10:
        raise ValueError(_("“%(value)s” has no time of day: write e.g. 2024-05-03 22:15.")
                         % {"value": text})
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=STOCKHOLM)


def parse_date_and_clock(date_value, clock_value) -> datetime.datetime:
    if isinstance(date_value, datetime.datetime):
        date_value = date_value.date()
    if isinstance(clock_value, datetime.time):
        clock_value = clock_value.strftime("%H:%M:%S")
    date_text = date_value.isoformat() if isinstance(date_value, datetime.date) \
        else str(date_value or "").strip()
    clock_text = str(clock_value or "").strip()
    if not _CLOCK.match(clock_text):
        raise ValueError(_("“%(value)s” is not a time of day: write e.g. 22:15.")
                         % {"value": clock_text})
    return parse_time(f"{date_text} {clock_text}")


def parse_coordinate(value) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class RowBuilder:
    """Turns a mapped row (canonical key -> cell value) into a Candidate or RowErrors."""

    def __init__(self, municipality, *, source: str = IncidentSource.IMPORT):
        self.municipality = municipality
        self.source = source
        self.categories: dict[str, Category] = {}
        for category in Category.objects.filter(municipality=municipality):
            self.categories[category.slug.casefold()] = category
            self.categories[" ".join(category.name.split()).casefold()] = category
        self.allowed = ", ".join(c.name for c in Category.objects.filter(
            municipality=municipality, active=True))
        self.organizations: dict[str, Organization] = {}
        for org in Organization.objects.filter(municipality=municipality):
            for name in (org.name, org.abbreviation, *org.alias_list):
                if name:
                    self.organizations.setdefault(name.casefold(), org)

    def build(self, rownum: int, row: dict, columns: dict[str, str],
              errors: list[RowError], *, lat=None, lon=None) -> Candidate | None:
        """`columns`: canonical key -> the file's header (for error messages)."""
        before = len(errors)

        def error(key: str, message: str) -> None:
            errors.append(RowError(rownum, columns.get(key, key), message))

        category = None
        raw_category = text(row.get("category"))
        if not raw_category:
            error("category", _("The category is missing. Allowed: %(allowed)s.")
                  % {"allowed": self.allowed})
        else:
            category = self.categories.get(" ".join(raw_category.split()).casefold())
            if category is None:
                error("category", _("Unknown category “%(value)s”. Allowed: %(allowed)s.")
                      % {"value": raw_category, "allowed": self.allowed})
        occurred_at = ended_at = None
        try:
            if "time" in columns:
                occurred_at = parse_time(row.get("time"))
            else:
                occurred_at = parse_date_and_clock(row.get("date"), row.get("clock"))
        except ValueError as exc:
            error("time" if "time" in columns else "date", str(exc))
        if text(row.get("end")):
            try:
                ended_at = parse_time(row.get("end"))
            except ValueError as exc:
                error("end", str(exc))
        if lat is None and lon is None:
            try:
                lat = parse_coordinate(row.get("lat"))
            except ValueError as exc:
                error("lat", str(exc))
            try:
                lon = parse_coordinate(row.get("lon"))
            except ValueError as exc:
                error("lon", str(exc))
        if lat is not None and lon is not None and not in_sweden(lat, lon):
            error("lat", _("The place (%(lat)s, %(lon)s) is outside Sweden: latitude and "
                           "longitude in WGS 84 decimal degrees?") % {"lat": lat, "lon": lon})
        organization = None
        if raw_org := text(row.get("organization")):
            organization = self.organizations.get(raw_org.casefold())
            if organization is None:
                error("organization", _("Unknown organisation “%(value)s”.") % {
                    "value": raw_org})
        precision = Precision.EXACT if lat is not None else Precision.ADDRESS
        if raw_precision := text(row.get("precision")):
            precision = PRECISIONS.get(raw_precision.casefold())
            if precision is None:
                error("precision", _("Unknown precision “%(value)s”: exakt, adress or "
                                     "områdets mitt.") % {"value": raw_precision})
        if len(errors) > before:
            return None
        address, place, description = (text(row.get(k)) for k in
                                       ("address", "place", "description"))
        source_id = text(row.get("id")) or row_hash(
            category.slug, occurred_at.astimezone(datetime.UTC).isoformat(),
            None if lat is None else round(lat, 6), None if lon is None else round(lon, 6),
            address, place, description)
        incident = Incident(
            municipality=self.municipality, category=category, occurred_at=occurred_at,
            ended_at=ended_at, lat=lat, lon=lon, precision=precision, address=address[:300],
            place_name=place[:200], description=description, organization=organization,
            source=self.source, source_id=source_id[:100])
        candidate = Candidate(rownum, incident)
        field_to_column = {"category": columns.get("category", "kategori"),
                           "occurred_at": columns.get("time", columns.get("date", "tid")),
                           "ended_at": columns.get("end", "slut"),
                           "lat": columns.get("lat", "lat"), "lon": columns.get("lon", "lon"),
                           "address": columns.get("address", "adress"),
                           "description": columns.get("description", "beskrivning"),
                           "source_id": columns.get("id", "id")}
        return candidate if validate(candidate, errors, field_to_column) else None


def build_from_rows(municipality, headers: list, rows: Iterable[tuple[int, list]],
                    errors: list[RowError]) -> tuple[list[Candidate], int]:
    """Header list + (row number, cell values) -> candidates; returns (candidates, rows)."""
    headers = [text(h) for h in headers]
    mapping, header_errors = map_headers(headers)
    errors.extend(header_errors)
    if header_errors:
        return [], sum(1 for _row in rows)
    columns = {key: header for header, key in mapping.items()}
    index = {key: headers.index(header) for header, key in mapping.items()}
    builder = RowBuilder(municipality)
    candidates: list[Candidate] = []
    count = 0
    for rownum, cells in rows:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        count += 1
        row = {key: (cells[i] if i < len(cells) else None) for key, i in index.items()}
        candidate = builder.build(rownum, row, columns, errors)
        if candidate is not None:
            candidates.append(candidate)
    return candidates, count
