"""One import pipeline for every incident file: read in batches, validate whole columns,
write through the COPY loader, all in one transaction.

    reader (CSV: pyarrow's streaming CSV reader; XLSX: openpyxl read-only; GeoJSON)
      -> Batch (row numbers + the values as text, per canonical column)
      -> columns.Validator (every bad row as (row, column, reason)), in a second thread that
         validates each batch while the database writes the one before
      -> bulk.IncidentWriter (binary COPY + INSERT ... ON CONFLICT DO NOTHING; bulk_create on
         SQLite), while no row so far has an error

Memory stays bounded by the batch (``BATCH_ROWS``) however large the file: a million rows are
streamed through one transaction. When any row has an error, the rest of the file is still
validated (every bad row is reported) and the transaction is rolled back: nothing is written.
"""
from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.utils import translation
from django.utils.translation import gettext as _

from samverkan.core.importing import (
    RowError,
    all_or_nothing,
    detect_encoding,
    detect_separator,
    first_line,
)

from .base import FileError, ImportResult
from .columns import Batch, Validator
from .tabular import map_headers

#: Rows per batch: large enough for the vectorised checks and COPY to pay off, small enough to
#: keep a million-row import well under the memory target.
BATCH_ROWS = 65_536

Progress = Callable[[float, str], None]


def _noop(fraction: float, message: str) -> None:
    pass


# -- readers ------------------------------------------------------------------------------------


class _Counting:
    """A file object that counts the bytes read (the progress of the CSV reader)."""

    def __init__(self, path: Path):
        self.handle = open(path, "rb")  # noqa: SIM115 (closed by the reader's caller)
        self.read_bytes = 0
        self.closed = False

    def read(self, size=-1):
        data = self.handle.read(size)
        self.read_bytes += len(data)
        return data

    def close(self):
        self.handle.close()
        self.closed = True

    def readable(self):
        return True

    def seekable(self):
        return False


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}\x00{seen[name]}")
    return out


# Bytes of the file read per batch (≈ 20,000 rows). Each batch in flight costs about 25 times
# its size (pyarrow's columns, the validated columns, the COPY buffer), and with the reader's
# read-ahead and one batch validated while another is written a 1,000,000-row import peaked
# at 413-445 MB with 4 MB batches, 354 MB with 2 MB and 303 MB with 1 MB; each batch of a
# re-import costs one key lookup, which made 1 MB batches slower to re-import
# (docs/performance.md).
BLOCK_SIZE = 2 << 20


def read_csv(path: Path, errors: list[RowError], progress: Progress
             ) -> tuple[list[str], Iterator[tuple[np.ndarray, dict[str, pa.Array]]]]:
    """The header and the batches of a CSV file (UTF-8 or Windows-1252, ``,`` or ``;``)."""
    import csv

    import pyarrow.csv as pacsv

    encoding = detect_encoding(path)
    line = first_line(path, encoding)
    if not line.strip():
        raise FileError(_("The file is empty or has no header row."))
    separator = detect_separator(line)
    header = [h.strip() for h in next(csv.reader([line], delimiter=separator))]
    names = _unique(header)
    size = max(os.path.getsize(path), 1)
    invalid: list[RowError] = []

    def on_invalid(row) -> str:
        invalid.append(RowError(row.number or 0, "", _(
            "The row has %(actual)s columns, the header has %(expected)s.") % {
            "actual": row.actual_columns, "expected": row.expected_columns}))
        return "skip"

    def batches():
        source = _Counting(path)
        try:
            reader = pacsv.open_csv(
                source,
                read_options=pacsv.ReadOptions(
                    column_names=names, skip_rows=1, block_size=BLOCK_SIZE,
                    encoding="utf8" if encoding.startswith("utf") else encoding),
                parse_options=pacsv.ParseOptions(delimiter=separator, newlines_in_values=True,
                                                 invalid_row_handler=on_invalid),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                    quoted_strings_can_be_null=False))
            next_row = 2
            for record_batch in reader:
                n = record_batch.num_rows
                rows = np.arange(next_row, next_row + n, dtype=np.int64)
                next_row += n
                errors.extend(invalid)
                next_row += len(invalid)
                invalid.clear()
                yield rows, {names[i]: record_batch.column(i) for i in range(len(names))}
                progress(min(source.read_bytes / size, 1.0),
                         _("%(rows)s rows read") % {"rows": f"{next_row - 2:,}".replace(
                             ",", " ")})
            errors.extend(invalid)
        except pa.ArrowInvalid as error:
            raise FileError(_("The file cannot be read as CSV: %(error)s") % {
                "error": str(error).split("\n")[0]}) from error
        finally:
            source.close()

    return names, batches()


def _cell_text(value) -> str:
    """An Excel cell as the text a CSV export would have."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def read_xlsx(path: Path, errors: list[RowError], progress: Progress):
    """The header and the batches of the first worksheet (openpyxl, read-only: one row at a
    time)."""
    import zipfile

    from openpyxl import load_workbook

    from samverkan.core.uploads import UnsafeFile, check_zip

    try:
        check_zip(path)  # a zip bomb is refused before openpyxl unpacks anything
    except UnsafeFile as exc:
        raise FileError(str(exc)) from exc
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise FileError(_("The file is not an Excel workbook (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell_text(h).strip() for h in (next(rows, None) or [])]
    if not any(header):
        workbook.close()
        raise FileError(_("The file is empty or has no header row."))
    names = _unique(header)
    total = max(sheet.max_row or 1, 1)

    def batches():
        try:
            number, buffer, numbers = 1, [], []
            for values in rows:
                number += 1
                buffer.append([_cell_text(c) for c in values[:len(names)]])
                numbers.append(number)
                if len(buffer) >= BATCH_ROWS:
                    yield _columns_of(buffer, numbers, names)
                    progress(number / total, _("%(rows)s rows read") % {"rows": number - 1})
                    buffer, numbers = [], []
            if buffer:
                yield _columns_of(buffer, numbers, names)
        finally:
            workbook.close()

    return names, batches()


def _columns_of(rows: list[list[str]], numbers: list[int], names: list[str]):
    width = len(names)
    columns = list(zip(*[r + [""] * (width - len(r)) for r in rows], strict=True)) \
        if rows else [()] * width
    return (np.asarray(numbers, dtype=np.int64),
            {names[i]: pa.array(columns[i], type=pa.string()) for i in range(width)})


def read_geojson(data: bytes, errors: list[RowError], progress: Progress):
    """GeoJSON points as batches of canonical columns (properties named as the CSV columns;
    the feature's ``id`` when there is no id property; coordinates in WGS 84 or EPSG:3006)."""
    from samverkan.analysis.projection import sweref99tm_to_wgs84

    from ..sources.geojson import SWEREF99TM, WGS84, detect_crs

    try:
        collection = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from exc
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise FileError(_("The file is not a GeoJSON FeatureCollection."))
    try:
        crs = detect_crs(collection) or WGS84
    except ValueError as exc:
        raise FileError(str(exc)) from exc
    if crs not in (WGS84, SWEREF99TM):
        raise FileError(_("Unsupported coordinate system %(crs)s: use WGS 84 or EPSG:3006.")
                        % {"crs": crs})
    features = collection.get("features")
    if not isinstance(features, list):
        raise FileError(_("The file has no list of features."))
    keys = ("category", "time", "date", "clock", "end", "lat", "lon", "address", "place",
            "description", "organization", "precision", "id")
    table: dict[str, list[str]] = {k: [] for k in keys}
    numbers: list[int] = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            errors.append(RowError(number, "properties", _("The feature has no properties.")))
            continue
        mapping, header_errors = map_headers(properties)
        header_errors = [e for e in header_errors if e.column not in ("lat", "lon")]
        for e in header_errors:
            errors.append(RowError(number, e.column, e.message))
        if header_errors:
            continue
        coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if (not isinstance(geometry, dict) or geometry.get("type") != "Point"
                or not isinstance(coordinates, list) or len(coordinates) < 2
                or not all(isinstance(v, int | float) for v in coordinates[:2])):
            errors.append(RowError(number, "geometry", _("The feature is not a point.")))
            continue
        x, y = float(coordinates[0]), float(coordinates[1])
        if crs == SWEREF99TM:
            lat, lon = (float(v) for v in sweref99tm_to_wgs84(x, y))
        else:
            lon, lat = x, y
        row = {key: properties.get(header) for header, key in mapping.items()}
        if not row.get("id") and feature.get("id") is not None:
            row["id"] = feature["id"]
        row["lat"], row["lon"] = repr(lat), repr(lon)
        for key in keys:
            table[key].append(_cell_text(row.get(key)))
        numbers.append(number)
    header = {k: k for k in keys}
    if "time" not in {k for f in features if isinstance(f, dict)
                      for k in map_headers(f.get("properties") or {})[0].values()}:
        table.pop("time")
    progress(0.5, _("%(rows)s features read") % {"rows": len(features)})

    def batches():
        for start in range(0, len(numbers), BATCH_ROWS):
            yield (np.asarray(numbers[start:start + BATCH_ROWS], dtype=np.int64),
                   {k: pa.array(v[start:start + BATCH_ROWS], type=pa.string())
                    for k, v in table.items()})

    return header, batches(), len(features)


# -- the pipeline -----------------------------------------------------------------------------


def import_table(source: bytes | Path, *, fmt: str, municipality, actor, dry_run: bool,
                 label: str = "", progress: Progress | None = None) -> ImportResult:
    """Import a CSV, XLSX or GeoJSON file of incidents (see the module docstring)."""
    from ..bulk import IncidentWriter

    progress = progress or _noop
    result = ImportResult(dry_run=dry_run)
    errors: list[RowError] = []
    path, temporary = _as_path(source, fmt)
    try:
        with all_or_nothing(dry_run=dry_run):
            if fmt == "geojson":
                canonical, batches, result.rows = read_geojson(path.read_bytes(), errors,
                                                               progress)
                header = {k: k for k in canonical}
                mapped = {k: k for k in canonical}
            else:
                reader = read_csv if fmt == "csv" else read_xlsx
                names, batches = reader(path, errors, progress)
                file_header = [n.split("\x00")[0] for n in names]
                mapping, header_errors = map_headers(file_header)
                errors.extend(header_errors)
                if header_errors:
                    result.rows = sum(_nonempty(values).sum() for _r, values in batches)
                    raise _Stop
                mapped = {}
                for name, plain in zip(names, file_header, strict=True):
                    if plain in mapping and mapping[plain] not in mapped.values():
                        mapped[name] = mapping[plain]
                header = {key: name.split("\x00")[0] for name, key in mapped.items()}
            validator = Validator(municipality, header=header)
            writer = IncidentWriter(municipality, actor=actor, label=label)
            language = translation.get_language()

            def validate(batch: Batch):
                with translation.override(language):
                    return validator.validate(batch, errors)

            def write(job) -> None:
                columns = job.result()
                if columns is not None and not errors:
                    writer.write(columns)

            # A second thread validates each batch while this one writes the one before
            # (pyarrow, numpy and the socket release the GIL); only this thread reads the
            # file and touches the database. At most two batches are held (bounded memory).
            with ThreadPoolExecutor(max_workers=1,
                                    thread_name_prefix="samverkan-validate") as pool:
                pending = None
                for rows, values in batches:
                    keep = _nonempty(values)
                    if not keep.all():
                        rows = rows[keep]
                        values = {k: v.filter(pa.array(keep)) for k, v in values.items()}
                    if fmt != "geojson":
                        result.rows += int(rows.size)
                    values = {mapped[n]: v for n, v in values.items() if n in mapped}
                    job = pool.submit(validate, Batch(rows=rows, values=values, header=header))
                    if pending is not None:
                        write(pending)
                    pending = job
                if pending is not None:
                    write(pending)
            if errors:
                raise _Stop
            progress(0.97, _("Assigning areas"))
            summary = writer.finish(rows=result.rows)
            result.created, result.duplicates = summary["created"], summary["duplicates"]
    except _Stop:
        pass
    except FileError as exc:
        errors.append(RowError(0, "", str(exc)))
    finally:
        if temporary:
            path.unlink(missing_ok=True)
    if errors:
        result.errors = sorted(errors, key=lambda e: (e.row, e.column))
        result.created = result.duplicates = 0
    return result


class _Stop(Exception):
    """Rolls the import's transaction back (errors found)."""


def _trimmed(array: pa.Array) -> pa.Array:
    """The text of a column as the validator reads it (trimmed; empty cells as "")."""
    return pc.utf8_trim_whitespace(pc.fill_null(array.cast(pa.string()), ""))


def _nonempty(values: dict[str, pa.Array]) -> np.ndarray:
    """Rows with at least one non-empty cell (completely empty rows are skipped)."""
    n = len(next(iter(values.values()))) if values else 0
    keep = np.zeros(n, dtype=bool)
    for array in values.values():
        keep |= pc.not_equal(_trimmed(array), "").to_numpy(zero_copy_only=False)
    return keep


def _as_path(source: bytes | Path | str, fmt: str) -> tuple[Path, bool]:
    """A path to read from: the file itself, or the bytes in a temporary file."""
    if isinstance(source, bytes | bytearray):
        import tempfile

        with tempfile.NamedTemporaryFile(prefix="samverkan-import-", suffix=f".{fmt}",
                                         delete=False) as handle:
            handle.write(source)
        return Path(handle.name), True
    return Path(source), False
