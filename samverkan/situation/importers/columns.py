"""Whole-column validation of incident files: every column of a batch of rows is checked at
once with pyarrow and numpy (categories, times, coordinates inside the municipality,
organisations, precision, lengths), and every bad row is reported as (row, column, reason).

``Validator.validate(batch)`` takes the file's values as text (``Batch``) and returns the
columns of the good rows for :class:`samverkan.situation.bulk.IncidentWriter`. Odd time
formats (an offset with fractions of seconds, ``Z``) fall back to the row-by-row parser of
:mod:`.tabular`, so every form accepted before is accepted now, with the same messages.

A row without an ``id`` gets the source id ``row_hash(...)`` of its normalised values, exactly
as before (``.tabular.RowBuilder``), so a file imported by an earlier version is recognised.
"""
from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext as _

from samverkan.core.importing import RowError
from samverkan.organizations.models import Organization

from ..choices import IncidentSource, Precision
from ..models import SWEDEN_LAT, SWEDEN_LON, Category
from .tabular import PRECISIONS, STOCKHOLM, parse_time

LENGTHS = {"address": 300, "place": 200, "id": 100}

# Python's str.split() whitespace and the characters whose casefold() differs from lower(),
# as code point ranges (from Python 3.11's Unicode tables; RE2's \s is ASCII only).
_SPACE_RANGES = ((0x9, 0xD), (0x1C, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680),
                 (0x2000, 0x200A), (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F),
                 (0x3000, 0x3000))
_CASEFOLD_RANGES = (
    (0xB5, 0xB5), (0xDF, 0xDF), (0x149, 0x149), (0x17F, 0x17F), (0x1F0, 0x1F0), (0x345, 0x345),
    (0x390, 0x390), (0x3B0, 0x3B0), (0x3C2, 0x3C2), (0x3D0, 0x3D1), (0x3D5, 0x3D6), (0x3F0,
    0x3F1), (0x3F5, 0x3F5), (0x587, 0x587), (0x13A0, 0x13F5), (0x13F8, 0x13FD), (0x1C80,
    0x1C88), (0x1E96, 0x1E9B), (0x1E9E, 0x1E9E), (0x1F50, 0x1F50), (0x1F52, 0x1F52), (0x1F54,
    0x1F54), (0x1F56, 0x1F56), (0x1F80, 0x1FAF), (0x1FB2, 0x1FB4), (0x1FB6, 0x1FB7), (0x1FBC,
    0x1FBC), (0x1FBE, 0x1FBE), (0x1FC2, 0x1FC4), (0x1FC6, 0x1FC7), (0x1FCC, 0x1FCC), (0x1FD2,
    0x1FD3), (0x1FD6, 0x1FD7), (0x1FE2, 0x1FE4), (0x1FE6, 0x1FE7), (0x1FF2, 0x1FF4), (0x1FF6,
    0x1FF7), (0x1FFC, 0x1FFC), (0xAB70, 0xABBF), (0xFB00, 0xFB06), (0xFB13, 0xFB17),
)


def _char_class(ranges) -> str:
    return "[" + "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}"
                         for a, b in ranges) + "]"


_SPACE_CLASS = _char_class(_SPACE_RANGES) + "+"
_CASEFOLD_SPECIAL = _char_class(_CASEFOLD_RANGES)

_LOCAL = (r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[ T](?P<H>\d{1,2})[:.](?P<M>\d{2})"
          r"(?::(?P<S>\d{2}))?$")
_CLOCK = r"^\d{1,2}[:.]\d{2}(?::\d{2})?$"
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"


@dataclass
class Batch:
    """Rows of a file: their row numbers and, per canonical column key, the values as text
    (``None`` or "" for an empty cell). ``header`` maps a key to the file's column name."""

    rows: np.ndarray
    values: dict[str, pa.Array]
    header: dict[str, str]

    def __len__(self) -> int:
        return int(self.rows.size)


def _text(array: pa.Array) -> pa.Array:
    """Trimmed text; empty cells as ""."""
    array = pc.fill_null(array.cast(pa.string()), "")
    return pc.utf8_trim_whitespace(array)


def normalise(array: pa.Array) -> pa.Array:
    """As ``" ".join(str(v).split()).casefold()`` (the normalisation of ``row_hash`` and of the
    category lookup), vectorised: lower case and single spaces; rows with the few characters
    whose case folding differs from lower case are done in Python."""
    collapsed = pc.utf8_trim(pc.replace_substring_regex(array, _SPACE_CLASS, " "), " ")
    lowered = pc.utf8_lower(collapsed)
    special = pc.match_substring_regex(array, _CASEFOLD_SPECIAL)
    if pc.any(special).as_py():
        values = lowered.to_pylist()
        originals = array.to_pylist()
        for i in np.flatnonzero(special.to_numpy(zero_copy_only=False)):
            values[i] = " ".join(str(originals[i]).split()).casefold()
        lowered = pa.array(values, type=pa.string())
    return lowered


def _days_in_month(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    first = (year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (month - 1)
    return ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(
        np.int64)


@cache
def _offset_seconds(local_hour: int) -> int:
    """Stockholm's UTC offset at a local wall-clock hour (hours since 1970 local), as
    ``datetime(..., tzinfo=ZoneInfo("Europe/Stockholm"))`` gives it (the earlier offset for
    an hour that occurs twice)."""
    naive = datetime.datetime(1970, 1, 1) + datetime.timedelta(hours=local_hour)
    return int(naive.replace(tzinfo=STOCKHOLM).utcoffset().total_seconds())


class Validator:
    """Validates batches of one file for one municipality."""

    def __init__(self, municipality, *, header: dict[str, str]):
        self.municipality = municipality
        self.header = header
        categories = list(Category.objects.filter(municipality=municipality).order_by(
            "order", "name"))
        keys, ids, self.slugs = [], [], {}
        for category in categories:
            for name in (category.slug, " ".join(category.name.split())):
                if name.casefold() not in keys:
                    keys.append(name.casefold())
                    ids.append(category.pk)
            self.slugs[category.pk] = category.slug
        self.category_keys = pa.array(keys, type=pa.string())
        self.category_ids = np.asarray(ids, dtype=np.int64)
        self.allowed = ", ".join(c.name for c in categories if c.active)
        org_keys, org_ids = [], []
        for org in Organization.objects.filter(municipality=municipality).order_by("pk"):
            for name in (org.name, org.abbreviation, *org.alias_list):
                if name and name.casefold() not in org_keys:
                    org_keys.append(name.casefold())
                    org_ids.append(org.pk)
        self.org_keys = pa.array(org_keys, type=pa.string())
        self.org_ids = np.asarray(org_ids, dtype=np.int64)
        self.precision_keys = pa.array(list(PRECISIONS), type=pa.string())
        self.precision_values = np.array([str(v) for v in PRECISIONS.values()], dtype=object)
        self.boundary = _boundary(municipality.code)

    # -- helpers -------------------------------------------------------------------------

    def _column(self, key: str, default: str) -> str:
        return self.header.get(key, default)

    def _errors(self, errors: list[RowError], rows: np.ndarray, mask: np.ndarray,
                column: str, message) -> None:
        """One error per row of ``mask``; ``message`` is a text or a function of the row's
        index in the batch."""
        for i in np.flatnonzero(mask):
            text = message(int(i)) if callable(message) else message
            errors.append(RowError(int(rows[i]), column, text))

    def _times(self, raw: pa.Array, rows: np.ndarray, bad: np.ndarray, errors: list,
               column: str, *, required: bool) -> np.ndarray:
        """datetime64[us] in UTC (NaT where empty or bad); records errors, sets ``bad``."""
        n = len(raw)
        out = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
        empty = pc.equal(raw, "").to_numpy(zero_copy_only=False)
        parts = pc.extract_regex(raw, _LOCAL)
        matched = parts.is_valid().to_numpy(zero_copy_only=False)
        if matched.any():
            def ints(name, fill="0"):
                field = pc.struct_field(parts, name)
                field = pc.if_else(pc.equal(field, ""), fill, field)
                return np.asarray(pc.cast(pc.fill_null(field, fill), pa.int64()).to_numpy(
                    zero_copy_only=False))

            y, m, d = ints("y", "1970"), ints("m", "1"), ints("d", "1")
            hh, mm, ss = ints("H"), ints("M"), ints("S")
            valid = matched & (m >= 1) & (m <= 12) & (d >= 1) & (hh < 24) & (mm < 60) & (ss < 60)
            dim = _days_in_month(np.where(valid, y, 1970), np.where(valid, m, 1))
            valid &= d <= dim
            local = ((np.where(valid, y, 1970) - 1970).astype("datetime64[Y]").astype(
                "datetime64[M]") + (np.where(valid, m, 1) - 1)).astype("datetime64[D]") + (
                np.where(valid, d, 1) - 1)
            local = local.astype("datetime64[s]") + (hh * 3600 + mm * 60 + ss) * np.where(
                valid, 1, 0)
            seconds = local.astype(np.int64)
            hours = seconds // 3600
            unique, inverse = np.unique(hours[valid], return_inverse=True)
            offsets = np.array([_offset_seconds(int(h)) for h in unique], dtype=np.int64)
            utc = seconds.copy()
            utc[valid] -= offsets[inverse]
            out[valid] = utc[valid].astype("datetime64[s]").astype("datetime64[us]")
            invalid_date = matched & ~valid
            values = raw.to_pylist() if invalid_date.any() else None
            self._errors(errors, rows, invalid_date, column,
                         lambda i: _("“%(value)s” is not a valid time.") % {"value": values[i]})
            bad |= invalid_date
        if required:
            self._errors(errors, rows, empty, column, _("The time is missing."))
            bad |= empty
        # Other forms (an offset, fractions of seconds, a bare date): the row-by-row parser.
        other = ~matched & ~empty
        if other.any():
            values = raw.to_pylist()
            for i in np.flatnonzero(other):
                try:
                    parsed = parse_time(values[i])
                except ValueError as error:
                    errors.append(RowError(int(rows[i]), column, str(error)))
                    bad[i] = True
                    continue
                out[i] = np.datetime64(parsed.astimezone(datetime.UTC).replace(tzinfo=None), "us")
        return out

    # -- the batch -----------------------------------------------------------------------

    def validate(self, batch: Batch, errors: list[RowError]) -> dict | None:
        """The columns of the good rows (None when the batch has none)."""
        rows = batch.rows
        n = len(batch)
        if n == 0:
            return None
        v = {key: _text(values) for key, values in batch.values.items()}
        blank = pa.array([""] * n, type=pa.string())
        col = self._column
        bad = np.zeros(n, dtype=bool)

        # Category: its name or short name, case and spaces ignored.
        raw_category = v.get("category", blank)
        found = pc.index_in(normalise(raw_category), value_set=self.category_keys)
        found_np = pc.fill_null(found, -1).to_numpy(zero_copy_only=False)
        empty = pc.equal(raw_category, "").to_numpy(zero_copy_only=False)
        unknown = (found_np < 0) & ~empty
        self._errors(errors, rows, empty, col("category", "kategori"),
                     _("The category is missing. Allowed: %(allowed)s.")
                     % {"allowed": self.allowed})
        if unknown.any():
            names = raw_category.to_pylist()
            self._errors(errors, rows, unknown, col("category", "kategori"), lambda i: _(
                "Unknown category “%(value)s”. Allowed: %(allowed)s.") % {
                "value": names[i], "allowed": self.allowed})
        bad |= empty | unknown
        category_id = np.where(found_np >= 0, self.category_ids[np.maximum(found_np, 0)], 0)

        # Time: one column (tid), or a date and a clock.
        if "time" in v:
            occurred = self._times(v["time"], rows, bad, errors, col("time", "tid"),
                                   required=True)
        else:
            date, clock = v.get("date", blank), v.get("clock", blank)
            clock_ok = pc.match_substring_regex(clock, _CLOCK).to_numpy(zero_copy_only=False)
            if (~clock_ok).any():
                clocks = clock.to_pylist()
                self._errors(errors, rows, ~clock_ok, col("clock", "klockslag"), lambda i: _(
                    "“%(value)s” is not a time of day: write e.g. 22:15.") % {
                    "value": clocks[i]})
            bad |= ~clock_ok
            # A bad clock is reported once: its row's date and clock are not parsed together.
            joined = pc.if_else(pa.array(clock_ok),
                                pc.binary_join_element_wise(date, clock, " "), "")
            occurred = self._times(joined, rows, bad, errors, col("date", "datum"),
                                   required=False)
        ended = None
        if "end" in v:
            ended = self._times(v["end"], rows, bad, errors, col("end", "slut"),
                                required=False)
            backwards = ~np.isnat(ended) & ~np.isnat(occurred) & (ended < occurred)
            self._errors(errors, rows, backwards, col("end", "slut"),
                         _("The end is before the start."))
            bad |= backwards

        # Place: lat and lon (WGS 84), or an address or a place name.
        lat = np.full(n, np.nan)
        lon = np.full(n, np.nan)
        if "lat" in v and "lon" in v:
            for key, target in (("lat", lat), ("lon", lon)):
                text = pc.replace_substring(v[key], ",", ".")
                is_empty = pc.equal(text, "").to_numpy(zero_copy_only=False)
                number = pc.match_substring_regex(text, _NUMBER).to_numpy(
                    zero_copy_only=False)
                not_number = ~is_empty & ~number
                if not_number.any():
                    shown = v[key].to_pylist()
                    self._errors(errors, rows, not_number, col(key, key), lambda i, s=shown: _(
                        "“%(value)s” is not a number.") % {"value": s[i]})
                bad |= not_number
                ok = number & ~is_empty
                values = pc.cast(pc.if_else(pa.array(ok), text, "nan"), pa.float64())
                target[:] = values.to_numpy(zero_copy_only=False)
            one_only = np.isnan(lat) != np.isnan(lon)
            self._errors(errors, rows, one_only & ~bad, col("lon", "lon"),
                         _("Give both latitude and longitude, or neither."))
            bad |= one_only
        has_point = ~np.isnan(lat) & ~np.isnan(lon)
        outside = has_point & ~((lat >= SWEDEN_LAT[0]) & (lat <= SWEDEN_LAT[1])
                                & (lon >= SWEDEN_LON[0]) & (lon <= SWEDEN_LON[1]))
        self._errors(errors, rows, outside, col("lat", "lat"), lambda i: _(
            "The place (%(lat)s, %(lon)s) is outside Sweden: latitude and longitude in WGS 84 "
            "decimal degrees?") % {"lat": lat[i], "lon": lon[i]})
        bad |= outside
        from samverkan.analysis.projection import wgs84_to_sweref99tm

        x, y = wgs84_to_sweref99tm(lat, lon)
        if self.boundary is not None:
            import shapely

            inside = np.ones(n, dtype=bool)
            check = has_point & ~outside
            if check.any():
                inside[check] = shapely.contains_xy(self.boundary, x[check], y[check])
            elsewhere = check & ~inside
            self._errors(errors, rows, elsewhere, col("lat", "lat"), lambda i: _(
                "The place (%(lat)s, %(lon)s) is not in %(municipality)s.") % {
                "lat": lat[i], "lon": lon[i], "municipality": self.municipality.name})
            bad |= elsewhere
        address, place = v.get("address", blank), v.get("place", blank)
        nowhere = ~has_point & pc.and_(pc.equal(address, ""), pc.equal(place, "")).to_numpy(
            zero_copy_only=False)
        self._errors(errors, rows, nowhere & ~bad, col("address", "adress"),
                     _("Mark the place on the map or write an address or place."))
        bad |= nowhere

        # Lengths of the text columns that have a limit.
        for key, limit in LENGTHS.items():
            if key not in v:
                continue
            lengths = pc.utf8_length(v[key]).to_numpy(zero_copy_only=False)
            long = lengths > limit
            self._errors(errors, rows, long, col(key, key), lambda i, k=lengths, m=limit: _(
                "Too long: at most %(max)s characters (this one has %(n)s).") % {
                "max": m, "n": int(k[i])})
            bad |= long

        # Organisation and precision.
        organization_id = np.zeros(n, dtype=np.int64)
        if "organization" in v:
            raw = v["organization"]
            idx = pc.fill_null(pc.index_in(pc.utf8_lower(raw), value_set=self.org_keys), -1
                               ).to_numpy(zero_copy_only=False)
            unknown = (idx < 0) & ~pc.equal(raw, "").to_numpy(zero_copy_only=False)
            if unknown.any():
                names = raw.to_pylist()
                self._errors(errors, rows, unknown, col("organization", "organisation"),
                             lambda i: _("Unknown organisation “%(value)s”.") % {
                                 "value": names[i]})
            bad |= unknown
            organization_id = np.where(idx >= 0, self.org_ids[np.maximum(idx, 0)], 0)
        precision = np.where(has_point, str(Precision.EXACT), str(Precision.ADDRESS)).astype(
            object)
        if "precision" in v:
            raw = v["precision"]
            idx = pc.fill_null(pc.index_in(pc.utf8_lower(raw), value_set=self.precision_keys),
                               -1).to_numpy(zero_copy_only=False)
            given = ~pc.equal(raw, "").to_numpy(zero_copy_only=False)
            unknown = given & (idx < 0)
            if unknown.any():
                names = raw.to_pylist()
                self._errors(errors, rows, unknown, col("precision", "precision"), lambda i: _(
                    "Unknown precision “%(value)s”: exakt, adress or områdets mitt.") % {
                    "value": names[i]})
            bad |= unknown
            chosen = given & (idx >= 0)
            precision[chosen] = self.precision_values[idx[chosen]]

        good = ~bad
        if not good.any():
            return None
        return self._columns(good, v, blank, category_id, occurred, ended, lat, lon, x, y,
                             organization_id, precision)

    def _columns(self, good, v, blank, category_id, occurred, ended, lat, lon, x, y,
                 organization_id, precision) -> dict:
        idx = np.flatnonzero(good)
        take = pa.array(idx)
        address = pc.take(v.get("address", blank), take)
        place = pc.take(v.get("place", blank), take)
        description = pc.take(v.get("description", blank), take)
        source_id = self._source_ids(idx, v, category_id, occurred, lat, lon, address, place,
                                     description)
        columns = {
            "category_id": category_id[idx], "occurred_at": occurred[idx],
            "lat": lat[idx], "lon": lon[idx], "x": x[idx], "y": y[idx],
            "precision": precision[idx].astype(str),
            # Text stays in pyarrow arrays: the COPY encoder copies their bytes as they are.
            "address": address, "place_name": place, "description": description,
            "source": np.full(idx.size, str(IncidentSource.IMPORT)),
            "source_id": source_id,
        }
        if ended is not None:
            columns["ended_at"] = ended[idx]
        if "organization" in v:
            org = organization_id[idx]
            columns["organization_id"] = np.where(org > 0, org, None).astype(object)
        return columns

    def _source_ids(self, idx, v, category_id, occurred, lat, lon, address, place,
                    description):
        given = pc.take(v["id"], pa.array(idx)) if "id" in v else None
        if given is not None:
            need = np.flatnonzero(pc.equal(given, "").to_numpy(zero_copy_only=False))
            if not need.size:
                return given
            out = given.to_pylist()
        else:
            need = np.arange(idx.size)
            out = [""] * idx.size
        if need.size:
            slugs = [self.slugs[int(c)] for c in category_id[idx[need]]]
            when_need = occurred[idx[need]]
            # As datetime.isoformat() in UTC: microseconds only when there are any.
            whole = when_need.astype("datetime64[s]")
            times = np.where(when_need == whole,
                             np.char.add(np.datetime_as_string(whole, unit="s"), "+00:00"),
                             np.char.add(np.datetime_as_string(when_need, unit="us"),
                                         "+00:00"))
            take = pa.array(need)
            norm_address = normalise(pc.take(address, take)).to_pylist()
            norm_place = normalise(pc.take(place, take)).to_pylist()
            norm_description = normalise(pc.take(description, take)).to_pylist()
            lat_need, lon_need = lat[idx[need]].tolist(), lon[idx[need]].tolist()
            sha1 = hashlib.sha1
            for k, j in enumerate(need.tolist()):
                la, lo = lat_need[k], lon_need[k]
                text = "\x1f".join((
                    slugs[k], times[k].casefold(),
                    "" if la != la else repr(round(la, 6)),
                    "" if lo != lo else repr(round(lo, 6)),
                    norm_address[k], norm_place[k], norm_description[k]))
                out[j] = "sha1:" + sha1(text.encode("utf-8")).hexdigest()
        return pa.array(out, type=pa.string())


@cache
def _boundary_geometry(code: str):
    """The municipality's simplified boundary in SWEREF 99 TM, 2 km wider (the generalised
    outline is coarse at coasts and lakes), prepared for point tests; None when unknown."""
    import json

    import shapely
    from shapely.geometry import shape

    from samverkan.situation.sources.geojson import SWEREF99TM, WGS84, _reproject

    from .areas import BOUNDARIES

    with BOUNDARIES.open(encoding="utf-8") as fh:
        for feature in json.load(fh)["features"]:
            if feature["properties"]["KnKod"] == code:
                geometry = _reproject(shape(feature["geometry"]), WGS84, SWEREF99TM).buffer(2000)
                shapely.prepare(geometry)
                return geometry
    return None


def _boundary(code: str):
    return _boundary_geometry(code)
