"""What every incident importer shares: the result, row errors, and the all-or-nothing,
idempotent write.

An importer turns a file into `Candidate`s (an unsaved Incident with the row it came from)
and `RowError`s. `write_candidates` then, inside one transaction: refuses everything if any
row has an error; counts candidates whose (municipality, source, source_id) is already stored
or repeated in the file as duplicates; inserts the rest in batches; and rolls back on a dry
run, so the counts of a dry run are exactly those of the real run (see `import_incidents`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from ..models import Incident


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based: the header is row 1 of a table, the first record row 2
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class ImportResult:
    created: int = 0
    duplicates: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    skipped: int | None = None  # only formats that skip other municipalities' records
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        data = {"created": self.created, "duplicates": self.duplicates, "rows": self.rows,
                "errors": [e.as_dict() for e in self.errors]}
        if self.skipped is not None:
            data["skipped"] = self.skipped
        return data


@dataclass
class Candidate:
    row: int
    incident: Incident


class FileError(ValueError):
    """The file cannot be read at all (wrong format, encoding, not a table)."""


def row_hash(*values) -> str:
    """A stable source id for a row without an id column: the hash of its normalised values."""
    text = "\x1f".join("" if v is None else " ".join(str(v).split()).casefold() for v in values)
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()


def validate(candidate: Candidate, errors: list[RowError], column_of: dict[str, str]) -> bool:
    """full_clean the candidate's incident; record each message under the file's column."""
    try:
        # Related records were looked up by the importer: skip the per-row existence queries.
        candidate.incident.full_clean(exclude=["reported_at", "municipality", "category",
                                               "organization", "reported_by", "merged_into"],
                                      validate_unique=False,
                                      validate_constraints=False)
    except ValidationError as exc:
        for fld, messages in exc.message_dict.items():
            for message in messages:
                errors.append(RowError(candidate.row, column_of.get(fld, fld), message))
        return False
    return True


def write_candidates(candidates: list[Candidate], result: ImportResult, *, actor) -> None:
    """Insert the candidates that are not stored yet; count the others as duplicates. The
    caller holds the transaction (and rolls it back on errors or a dry run)."""
    from .. import services

    keys_by_municipality: dict[str, dict[str, set[str]]] = {}
    for c in candidates:
        i = c.incident
        keys_by_municipality.setdefault(i.municipality_id, {}).setdefault(
            i.source, set()).add(i.source_id)
    existing: set[tuple[str, str, str]] = set()
    for code, by_source in keys_by_municipality.items():
        for source, ids in by_source.items():
            ids = list(ids)
            for start in range(0, len(ids), 900):
                existing.update(
                    (code, source, sid) for sid in Incident.objects.filter(
                        municipality_id=code, source=source,
                        source_id__in=ids[start:start + 900],
                    ).values_list("source_id", flat=True))
    new: list[Incident] = []
    for c in candidates:
        key = (c.incident.municipality_id, c.incident.source, c.incident.source_id)
        if key in existing:
            result.duplicates += 1
            continue
        existing.add(key)
        new.append(c.incident)
    services.bulk_create_incidents(new, actor=actor)
    result.created = len(new)
