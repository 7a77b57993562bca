"""Incident imports, one module per format, each all-or-nothing and idempotent.

`import_incidents(data, fmt=..., municipality=..., actor=..., dry_run=...)` reads the file,
validates every row (errors as {"row", "column", "message"}, in the active language), and only
when no row has an error inserts the new incidents in one transaction; incidents already
stored under the same (municipality, source, source_id) are counted as duplicates. A dry run
does everything and rolls back, so its counts are those of the real run.
"""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from . import csv_format, geojson_format, polisen_format, xlsx_format
from .base import Candidate, FileError, ImportResult, RowError, row_hash, write_candidates

FORMATS = ("csv", "xlsx", "geojson", "polisen")
READERS = {"csv": csv_format, "xlsx": xlsx_format, "geojson": geojson_format}

__all__ = ["FORMATS", "Candidate", "FileError", "ImportResult", "RowError", "import_incidents",
           "row_hash"]


class _Rollback(Exception):
    pass


def import_incidents(data: bytes, *, fmt: str, municipality, actor,
                     dry_run: bool = False) -> ImportResult:
    """Import incidents from `data` (the file's bytes) in format `fmt` (see FORMATS).
    `municipality` may be None only for `polisen` (each event to its own municipality)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    result = ImportResult(skipped=0 if fmt == "polisen" else None, dry_run=dry_run)
    errors: list[RowError] = []
    try:
        with transaction.atomic():
            if fmt == "polisen":
                candidates, rows, skipped = polisen_format.read(data, municipality, errors,
                                                                actor=actor)
                result.skipped = skipped
            else:
                if municipality is None:
                    raise FileError(_("Choose the municipality to import into."))
                candidates, rows = READERS[fmt].read(data, municipality, errors)
            result.rows = rows
            if errors:
                raise _Rollback
            write_candidates(candidates, result, actor=actor)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except FileError as exc:
        errors.append(RowError(0, "", str(exc)))
    if errors:
        result.errors = sorted(errors, key=lambda e: (e.row, e.column))
        result.created = result.duplicates = 0
    return result
