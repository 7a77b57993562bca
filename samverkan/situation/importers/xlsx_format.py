"""Incidents from the first worksheet of an XLSX workbook (header in the first row)."""
from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from .base import Candidate, FileError, RowError
from .tabular import build_from_rows


def read(data: bytes, municipality, errors: list[RowError]) -> tuple[list[Candidate], int]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise FileError(_("The file is not an Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        headers = list(next(rows, None) or [])
        if not any(h is not None for h in headers):
            raise FileError(_("The file is empty or has no header row."))
        numbered = ((number, list(cells)) for number, cells in enumerate(rows, start=2))
        return build_from_rows(municipality, headers, numbered, errors)
    finally:
        workbook.close()
