"""Reading survey files: respondent-level answers (CSV/XLSX, one row per respondent) and the
aggregated results as the police deliver them. Every bad row is reported as (row, column,
reason) for the whole file; nothing here touches the database.

Respondent files: columns ``område`` (or ``area``), ``kön`` (``sex``), ``ålder``
(``age_group``), optional ``vikt`` (``weight``); every other column is a question, its header
the question text.

Aggregated files: ``område`` (``area``), ``fråga`` (``question``, "Totalt" or empty for the
area's total), ``index`` (``värde``, ``value``), ``andel`` (``percentage``, for percentage
questions), ``antal`` (``n``), optional ``kön`` and ``ålder`` for a group's figure.
"""
from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from samverkan.analysis import safety_index
from samverkan.core.importing import RowError, decode_text, detect_separator


class FileError(ValueError):
    """The file cannot be read at all."""


def _norm(header) -> str:
    return " ".join(str(header or "").split()).casefold()


RESPONDENT_COLUMNS = {
    "area": ("område", "omrade", "area"),
    "sex": ("kön", "kon", "sex"),
    "age_group": ("ålder", "alder", "age_group", "åldersgrupp", "age group"),
    "weight": ("vikt", "weight"),
}
AGGREGATED_COLUMNS = {
    "area": ("område", "omrade", "area"),
    "question": ("fråga", "fraga", "question", "variabel", "variable"),
    "value": ("index", "värde", "varde", "value", "medelvärde", "mean"),
    "percentage": ("andel", "percentage", "procent", "andel (%)"),
    "n": ("antal", "n", "antal svar", "answers"),
    "sex": ("kön", "kon", "sex"),
    "age_group": ("ålder", "alder", "age_group", "åldersgrupp", "age group"),
}
TOTAL_WORDS = {"", "totalt", "total", "trygghetsindex", "index totalt"}


def read_table(data: bytes, name: str) -> list[list]:
    """The file's rows (the header first) from CSV (UTF-8 or Windows-1252, ``;`` or ``,``) or
    XLSX."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        try:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 openpyxl raises many kinds
            raise FileError(_("The file is not an Excel workbook (XLSX).")) from error
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        if data[:4] == b"PK\x03\x04":
            raise FileError(_("The file looks like an Excel workbook: name it .xlsx."))
        if b"\x00" in data[:65536]:  # no text file holds NUL bytes: a binary file
            raise FileError(_("The file is not a CSV or XLSX table we can read."))
        try:
            text = decode_text(data)
            lines = text.lstrip("\ufeff")
            header = lines.split("\n", 1)[0]
            rows = list(csv.reader(io.StringIO(lines), delimiter=detect_separator(header)))
        except (UnicodeDecodeError, csv.Error) as error:
            raise FileError(_("The file is not a CSV or XLSX table we can read.")) from error
    while rows and all(v is None or str(v).strip() == "" for v in rows[-1]):
        rows.pop()
    if not rows:
        raise FileError(_("The file is empty."))
    return rows


def read_path(path: str | Path) -> tuple[bytes, str]:
    path = Path(path)
    return path.read_bytes(), path.name


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _map(headers: list, columns: dict[str, tuple[str, ...]]) -> tuple[dict[str, int],
                                                                       list[RowError]]:
    lookup = {alias: key for key, aliases in columns.items() for alias in aliases}
    found: dict[str, int] = {}
    errors = []
    for index, header in enumerate(headers):
        key = lookup.get(_norm(header))
        if key is None:
            continue
        if key in found:
            errors.append(RowError(1, _text(header), _("The column appears twice.")))
            continue
        found[key] = index
    return found, errors


@dataclass
class RespondentFile:
    questions: list[str] = field(default_factory=list)
    respondents: list[safety_index.Respondent] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_number(value) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return float(_text(value).replace(",", ".").replace("\u2212", "-"))


def read_respondents(data: bytes, name: str,
                     scoring: safety_index.Scoring | None = None) -> RespondentFile:
    """Respondents and their scores; every bad value as a row error."""
    scoring = scoring or safety_index.Scoring()
    result = RespondentFile()
    rows = read_table(data, name)
    headers = rows[0]
    found, errors = _map(headers, RESPONDENT_COLUMNS)
    result.errors.extend(errors)
    if "area" not in found:
        result.errors.append(RowError(1, "område", _("The column is missing.")))
    known = set(found.values())
    questions: list[tuple[int, str]] = []
    seen: set[str] = set()
    for index, header in enumerate(headers):
        if index in known:
            continue
        text = _text(header)
        if not text:
            if any(len(row) > index and _text(row[index]) for row in rows[1:]):
                result.errors.append(RowError(1, _("column %(n)s") % {"n": index + 1},
                                              _("The column has answers but no question.")))
            continue
        if text.casefold() in seen:
            result.errors.append(RowError(1, text, _("The question appears twice.")))
            continue
        seen.add(text.casefold())
        questions.append((index, text))
    if not questions:
        result.errors.append(RowError(1, "", _("The file has no question columns.")))
    if result.errors:
        return result
    result.questions = [q for _i, q in questions]
    valid = ", ".join(f"“{k}”" for k in scoring.answers)

    def cell(row, index):
        return row[index] if index is not None and index < len(row) else None

    for number, row in enumerate(rows[1:], start=2):
        if all(_text(v) == "" for v in row):
            continue
        area = _text(cell(row, found["area"]))
        row_ok = True
        if not area:
            result.errors.append(RowError(number, _text(headers[found["area"]]),
                                          _("The area is empty.")))
            row_ok = False
        weight = 1.0
        if "weight" in found and _text(cell(row, found["weight"])):
            raw = cell(row, found["weight"])
            try:
                weight = parse_number(raw)
                if not math.isfinite(weight) or weight <= 0:
                    raise ValueError
            except ValueError:
                result.errors.append(RowError(
                    number, _text(headers[found["weight"]]),
                    _("The weight “%(value)s” is not a positive number.")
                    % {"value": _text(raw)}))
                row_ok = False
        answers = {}
        for index, question in questions:
            raw = cell(row, index)
            try:
                answers[question] = scoring.score(raw)
            except ValueError:
                result.errors.append(RowError(number, question, _(
                    "Unknown answer “%(value)s”: give one of %(valid)s, a number from "
                    "%(min)g to %(max)g, “Vet ej” or leave it empty.") % {
                        "value": _text(raw), "valid": valid, "min": scoring.scale_min,
                        "max": scoring.scale_max}))
                row_ok = False
        if row_ok:
            result.respondents.append(safety_index.Respondent(
                area=area, answers=answers, weight=weight,
                sex=_text(cell(row, found.get("sex"))).capitalize(),
                age_group=_text(cell(row, found.get("age_group")))))
    if not result.respondents and not result.errors:
        result.errors.append(RowError(0, "", _("The file has no answers.")))
    return result


@dataclass
class AggregatedRow:
    row: int
    area: str
    question: str
    dimension: str
    group: str
    value: float | None
    percentage: float | None
    n: int | None


def read_aggregated(data: bytes, name: str, *, is_index: bool = True
                    ) -> tuple[list[AggregatedRow], list[RowError]]:
    rows = read_table(data, name)
    headers = rows[0]
    found, errors = _map(headers, AGGREGATED_COLUMNS)
    if "area" not in found:
        errors.append(RowError(1, "område", _("The column is missing.")))
    if "value" not in found and "percentage" not in found:
        errors.append(RowError(1, "index", _("The column is missing (or andel).")))
    if errors:
        return [], errors
    out: list[AggregatedRow] = []
    seen: dict[tuple, int] = {}

    def cell(row, key):
        index = found.get(key)
        return row[index] if index is not None and index < len(row) else None

    def header(key):
        return _text(headers[found[key]])

    for number, row in enumerate(rows[1:], start=2):
        if all(_text(v) == "" for v in row):
            continue
        area = _text(cell(row, "area"))
        question = _text(cell(row, "question"))
        if question.casefold() in TOTAL_WORDS:
            question = ""
        sex, age = _text(cell(row, "sex")).capitalize(), _text(cell(row, "age_group"))
        row_errors = []
        if not area:
            row_errors.append(RowError(number, header("area"), _("The area is empty.")))
        if sex and age:
            row_errors.append(RowError(number, header("sex"), _(
                "Give a sex or an age group, not both, on one row.")))
        values = {}
        for key in ("value", "percentage", "n"):
            raw = cell(row, key)
            if key not in found or _text(raw) == "":
                values[key] = None
                continue
            try:
                number_value = parse_number(raw)
                if not math.isfinite(number_value):
                    raise ValueError
            except ValueError:
                row_errors.append(RowError(number, header(key), _(
                    "“%(value)s” is not a number.") % {"value": _text(raw)}))
                continue
            if key == "value" and is_index and not 0 <= number_value <= 6:
                row_errors.append(RowError(number, header(key), _(
                    "The index %(value)s is outside 0-6.") % {"value": _text(raw)}))
            elif key == "percentage" and not 0 <= number_value <= 100:
                row_errors.append(RowError(number, header(key), _(
                    "The percentage %(value)s is outside 0-100.") % {"value": _text(raw)}))
            elif key == "n" and (number_value < 0 or not number_value.is_integer()):
                row_errors.append(RowError(number, header(key), _(
                    "The number of answers must be a whole number, 0 or more.")))
            values[key] = number_value
        if not row_errors and values["value"] is None and values["percentage"] is None:
            row_errors.append(RowError(number, header("value") if "value" in found
                                       else header("percentage"),
                                       _("Give an index or a percentage.")))
        dimension = "sex" if sex else "age_group" if age else "all"
        key = (area.casefold(), question.casefold(), dimension, (sex or age).casefold())
        if not row_errors and key in seen:
            row_errors.append(RowError(number, header("question") if "question" in found
                                       else header("area"),
                                       _("The same figure is already on row %(row)s.")
                                       % {"row": seen[key]}))
        if row_errors:
            errors.extend(row_errors)
            continue
        seen[key] = number
        out.append(AggregatedRow(number, area, question, dimension, sex or age,
                                 values["value"], values["percentage"],
                                 None if values["n"] is None else int(values["n"])))
    if not out and not errors:
        errors.append(RowError(0, "", _("The file has no results.")))
    return out, errors
