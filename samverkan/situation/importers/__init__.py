"""Incident imports: one pipeline for every source (CLI, web upload, API).

`import_incidents(source, fmt=..., municipality=..., actor=..., dry_run=...)` reads the file
(bytes or a path) in batches, validates whole columns (errors as {"row", "column",
"message"}, in the active language, plus their grouped summary), and only when no row has an
error writes the incidents through the COPY loader in one transaction (`pipeline`,
`bulk.IncidentWriter`); incidents already stored under the same (municipality, source,
source_id) are counted as duplicates. A dry run does everything and rolls back, so its counts
are those of the real run.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

from samverkan.core.importing import RowError, all_or_nothing

from . import polisen_format
from .base import Candidate, FileError, ImportResult, row_hash
from .pipeline import Progress, import_table

FORMATS = ("csv", "xlsx", "geojson", "polisen")

__all__ = ["FORMATS", "Candidate", "FileError", "ImportResult", "RowError", "import_incidents",
           "row_hash"]


def import_incidents(source: bytes | Path | str, *, fmt: str, municipality, actor,
                     dry_run: bool = False, label: str = "",
                     progress: Progress | None = None) -> ImportResult:
    """Import incidents from ``source`` (the file's bytes or its path) in format ``fmt`` (see
    FORMATS). ``municipality`` may be None only for ``polisen`` (each event to its own
    municipality). ``label`` (e.g. the file name) goes into the audit entry; ``progress``
    is called with (fraction, message) as the file is read."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if not label and not isinstance(source, bytes | bytearray):
        label = Path(source).name
    if fmt == "polisen":
        data = source if isinstance(source, bytes | bytearray) else Path(source).read_bytes()
        return _import_police_events(bytes(data), municipality, actor=actor, dry_run=dry_run,
                                     label=label)
    if municipality is None:
        return ImportResult(dry_run=dry_run, errors=[RowError(0, "", _(
            "Choose the municipality to import into."))])
    return import_table(source, fmt=fmt, municipality=municipality, actor=actor,
                        dry_run=dry_run, label=label, progress=progress)


class _Rollback(Exception):
    pass


def _import_police_events(data: bytes, municipality, *, actor, dry_run: bool,
                          label: str) -> ImportResult:
    """The Police's events (a JSON list, parsed record by record by `sources.polisen`), written
    through the same loader: one audit entry per municipality of the file."""
    from ..bulk import IncidentWriter
    from ..models import Incident

    result = ImportResult(skipped=0, dry_run=dry_run)
    errors: list[RowError] = []
    try:
        with all_or_nothing(dry_run=dry_run):
            candidates, rows, skipped = polisen_format.read(data, municipality, errors,
                                                            actor=actor)
            result.rows, result.skipped = rows, skipped
            if errors:
                raise _Rollback
            by_municipality: dict[str, list[Incident]] = {}
            targets = {}
            for candidate in candidates:
                incident = candidate.incident
                by_municipality.setdefault(incident.municipality_id, []).append(incident)
                targets[incident.municipality_id] = incident.municipality
            for code, incidents in by_municipality.items():
                writer = IncidentWriter(targets[code], actor=actor, label=label)
                writer.write(_police_columns(incidents))
                summary = writer.finish(rows=len(incidents))
                result.created += summary["created"]
                result.duplicates += summary["duplicates"]
    except _Rollback:
        pass
    except FileError as exc:
        errors.append(RowError(0, "", str(exc)))
    if errors:
        result.errors = sorted(errors, key=lambda e: (e.row, e.column))
        result.created = result.duplicates = 0
    return result


def _police_columns(incidents) -> dict:
    from samverkan.analysis.projection import wgs84_to_sweref99tm

    def column(name, dtype=object):
        return np.asarray([getattr(i, name) for i in incidents], dtype=dtype)

    lat = np.asarray([np.nan if i.lat is None else i.lat for i in incidents], dtype=float)
    lon = np.asarray([np.nan if i.lon is None else i.lon for i in incidents], dtype=float)
    x, y = wgs84_to_sweref99tm(lat, lon)
    return {
        "category_id": column("category_id", np.int64), "occurred_at": column("occurred_at"),
        "reported_at": column("reported_at"), "lat": lat, "lon": lon, "x": x, "y": y,
        "precision": column("precision", str), "place_name": column("place_name"),
        "description": column("description"), "source": column("source", str),
        "source_id": column("source_id", str), "source_type": column("source_type"),
        "source_url": column("source_url"), "is_summary": column("is_summary", bool),
        "confidentiality": column("confidentiality", str),
    }
