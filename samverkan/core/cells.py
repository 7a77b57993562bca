"""Spreadsheet cells that cannot run as formulas (CSV/formula injection, OWASP).

A text cell that begins with = + - @ (or a tab or carriage return) would be taken as a formula
by Excel or LibreOffice when a CSV file is opened. Exports write such text with a leading
apostrophe (`'=SUMMA(A1)`), which spreadsheet programs show as text; imports remove exactly
that apostrophe again, so a round trip gives back the same text. XLSX exports store such text
as a text cell (never as a formula), so they need no apostrophe.
"""
from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The CSV cell for `value`: text that could start a formula gets an apostrophe first."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def restore(value):
    """Undo `neutralise` on an imported CSV cell."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] \
            and value[1:2] in FORMULA_START:
        return value[1:]
    return value


def as_text_cell(cell) -> None:
    """An openpyxl cell holding text that starts like a formula is written as text."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
