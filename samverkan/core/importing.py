"""What every importer shares (incidents, areas, statistics, the action plan): reading text
files (encoding and separator), the row errors and their grouped summary, and the dry run.

* ``RowError(row, column, message)``: row 1 is a table's header (row 0: the file as a whole).
* ``error_summary(errors)``: the same problem in many rows as one line with its count and the
  first row numbers (a file whose category is unknown in 3,869 rows gives one line, not 3,869).
* ``detect_encoding`` / ``decode_text``: UTF-8 with or without BOM (what Excel's "CSV UTF-8"
  writes), else Windows-1252 (what Swedish Excel's plain "CSV" writes).
* ``detect_separator``: ``;`` or ``,``, from the header line.
* ``all_or_nothing(dry_run=...)``: the importer's writes in one transaction, rolled back at
  the end of a dry run, so a dry run's counts and errors are exactly those of the real run.
"""
from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

#: How many row numbers a summary line shows.
SUMMARY_ROWS = 10


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based: the header is row 1 of a table, the first record row 2; 0: the file
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


def error_summary(errors: Iterable[RowError], *, rows: int = SUMMARY_ROWS) -> list[dict]:
    """``[{"column", "message", "count", "rows": [first row numbers]}]``: one entry per column
    and message, the most frequent first (then by first row)."""
    groups: dict[tuple[str, str], dict] = {}
    for error in errors:
        key = (error.column, str(error.message))
        group = groups.get(key)
        if group is None:
            group = groups[key] = {"column": error.column, "message": str(error.message),
                                   "count": 0, "rows": []}
        group["count"] += 1
        if len(group["rows"]) < rows:
            group["rows"].append(error.row)
    return sorted(groups.values(), key=lambda g: (-g["count"], g["rows"][0], g["column"]))


# -- text files ------------------------------------------------------------------------------

UTF8 = "utf-8-sig"
WINDOWS = "cp1252"


def detect_encoding(source: bytes | str | Path, *, block: int = 1 << 20) -> str:
    """``utf-8-sig`` when the whole file is valid UTF-8 (BOM or not), else ``cp1252``. Reads a
    path in blocks (the incremental decoder runs in C: about a gigabyte a second)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        if isinstance(source, bytes):
            decoder.decode(source, final=True)
        else:
            with open(source, "rb") as handle:
                while chunk := handle.read(block):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return WINDOWS
    return UTF8


def decode_text(data: bytes) -> str:
    """The file's text (UTF-8 with or without BOM, else Windows-1252; the five bytes
    Windows-1252 leaves undefined become U+FFFD instead of failing)."""
    return data.decode(detect_encoding(data), errors="replace")


def detect_separator(header_line: str) -> str:
    """``;`` when the header line has more semicolons than commas, else ``,``."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def first_line(source: bytes | Path, encoding: str) -> str:
    """The first line of the file (for the separator)."""
    if isinstance(source, bytes):
        head = source[:65536]
    else:
        with open(source, "rb") as handle:
            head = handle.read(65536)
    text = head.decode(encoding, errors="ignore")
    return text.lstrip("\ufeff").split("\n", 1)[0]


# -- the dry run -----------------------------------------------------------------------------


class _DryRun(Exception):
    pass


@contextmanager
def all_or_nothing(*, dry_run: bool = False, using: str = "default") -> Iterator[None]:
    """One transaction around an import's writes: committed when the block ends normally,
    rolled back when it raises, and always rolled back on a dry run."""
    try:
        with transaction.atomic(using=using):
            yield
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
