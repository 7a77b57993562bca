"""Incidents from CSV: UTF-8 (with or without BOM) or Windows-1252, separator `,` or `;`
(sniffed from the header line)."""
from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from .base import Candidate, FileError, RowError
from .tabular import build_from_rows


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read(data: bytes, municipality, errors: list[RowError]) -> tuple[list[Candidate], int]:
    text = decode(data)
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise FileError(_("The file is empty or has no header row."))
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = next(reader)
    rows = ((reader.line_num, cells) for cells in reader)
    return build_from_rows(municipality, headers, rows, errors)
