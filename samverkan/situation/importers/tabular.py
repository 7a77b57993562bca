"""The columns of incident files (CSV, XLSX, GeoJSON point properties) and the row-by-row time
parser (odd time forms; the whole-column checks are in `columns`).

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

from ..choices import Precision
from .base import RowError

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
