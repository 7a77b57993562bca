"""What the incident importers share: the result (with the grouped error summary), the
source id of a row without one, and the validation of the Police events' record objects.
Row errors, the dry run and reading text files are shared by every importer of the project:
`samverkan.core.importing`."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from samverkan.core.importing import RowError, error_summary

from ..models import Incident

__all__ = ["Candidate", "FileError", "ImportResult", "RowError", "row_hash", "validate"]


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
                "errors": [e.as_dict() for e in self.errors],
                "error_summary": error_summary(self.errors)}
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
