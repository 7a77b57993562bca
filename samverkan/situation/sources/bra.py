"""Parsers for Brå (Brottsförebyggande rådet) statistics files.

* :func:`parse_reported_crimes_csv` reads ``bra_anmalda_brott_per_kommun.csv``: UTF-8 with
  BOM, ``;``-separated, header ``name;numCrimes;crimesRelative``. Names are Brå's (genitive,
  `` kommun`` suffix, ``Stockholm`` bare, ``Tranås kommun `` with a trailing space,
  ``Malung–Sälens kommun`` with an en dash) and are mapped with the committed table
  ``bra_municipality_names.csv``. **The file does not state its year**, so the caller passes
  it. Caveat: the rows of Mark and Markaryd look swapped in the source; they are returned as
  they are.
* :func:`parse_sol_export` reads a raw SOL export (cp1252, hierarchical ``;`` layout, four
  page-header lines repeated every 44 lines even between a municipality line and its
  category lines, ``&nbsp;`` entities containing ``;`` in the unit line, ``..`` for "no
  value", Heby twice: the block with a value is kept). The year comes from the page header.

Both return a list (:class:`ParsedRows`) whose ``errors`` attribute lists malformed lines
with their 1-based line numbers; they do not raise on bad content.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from .municipality_names import bra_names, code_for

T = TypeVar("T")

REPORTED_CRIMES_HEADER = ["name", "numCrimes", "crimesRelative"]
NO_VALUE = ".."


@dataclass(frozen=True)
class LineError:
    line: int  # 1-based line number in the file
    message: str
    text: str = ""

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}: {self.text!r}"


class ParsedRows(list, Generic[T]):
    """A list of parsed rows with an ``errors`` attribute (malformed lines)."""

    def __init__(self, rows=(), errors: list[LineError] | None = None):
        super().__init__(rows)
        self.errors: list[LineError] = list(errors or [])


@dataclass(frozen=True)
class BraRow:
    code: str  # four-digit SCB municipality code
    name: str  # the name exactly as in the file
    count: int  # reported crimes
    per_100k: int  # reported crimes per 100,000 inhabitants
    year: int  # supplied by the caller: the file does not state it


@dataclass(frozen=True)
class SolRow:
    code: str
    year: int
    category: str  # e.g. "3 kap. Brott mot liv och hälsa"
    value: int | None  # None for ".."


def _read_text(source: str | Path | bytes, encoding: str) -> str:
    """bytes -> decoded; Path or single-line str -> file contents; other str -> itself."""
    if isinstance(source, bytes | bytearray):
        return bytes(source).decode(encoding)
    if isinstance(source, Path) or ("\n" not in source and Path(source).is_file()):
        return Path(source).read_bytes().decode(encoding)
    return source


def _int(value: str) -> int:
    value = value.strip()
    if not re.fullmatch(r"-?\d+", value):
        raise ValueError(f"not an integer: {value!r}")
    return int(value)


def _fields(line: str) -> list[str]:
    """The ``;``-separated fields of one line; a stray carriage return or NUL makes it a
    line of its own kind (no fields), never a crash."""
    try:
        return next(csv.reader(io.StringIO(line, newline=""), delimiter=";"), [])
    except csv.Error:
        return []


def parse_reported_crimes_csv(source: str | Path | bytes, year: int) -> ParsedRows[BraRow]:
    """Parse ``bra_anmalda_brott_per_kommun.csv`` (path, bytes or text) for ``year``."""
    rows: ParsedRows[BraRow] = ParsedRows()
    try:
        text = _read_text(source, "utf-8-sig")
    except UnicodeDecodeError as exc:
        rows.errors.append(LineError(0, f"cannot decode as UTF-8: {exc}"))
        return rows
    text = text.removeprefix("\ufeff")
    table = bra_names()
    seen: dict[str, int] = {}
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if not lines or _fields(lines[0]) != REPORTED_CRIMES_HEADER:
        rows.errors.append(LineError(1, f"expected header {';'.join(REPORTED_CRIMES_HEADER)}",
                                     lines[0] if lines else ""))
        return rows
    for lineno, line in enumerate(lines[1:], start=2):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        fields = _fields(line)
        if len(fields) != 3:
            rows.errors.append(LineError(lineno, f"expected 3 fields, got {len(fields)}", line))
            continue
        name, num, rel = fields
        # The committed table first (exact strings), then the SCB names.
        code = table.get(name) or code_for(name)
        if code is None:
            rows.errors.append(LineError(lineno, "unknown municipality name", name))
            continue
        if code in seen:
            rows.errors.append(
                LineError(lineno, f"municipality {code} already on line {seen[code]}", line))
            continue
        try:
            count, per_100k = _int(num), _int(rel)
        except ValueError as exc:
            rows.errors.append(LineError(lineno, str(exc), line))
            continue
        seen[code] = lineno
        rows.append(BraRow(code=code, name=name, count=count, per_100k=per_100k, year=year))
    return rows


# --- SOL export -------------------------------------------------------------------------

SOL_HEADER_TITLE = "Anmälda brott;Brottsförebyggande rådet"
SOL_HEADER_YEAR_LABEL = ";År;"
_SOL_HEADER_YEAR = re.compile(r"^;(\d{4});$")
_SOL_HEADER_UNIT = re.compile(r"^;/100(?:&nbsp;|\s)000(?:&nbsp;|\s)inv;$")
SOL_MUNICIPALITY_SUFFIX = " kommun"


@dataclass
class _Block:
    name: str
    code: str
    line: int
    values: dict[str, int | None]


def parse_sol_export(source: str | Path | bytes, encoding: str = "cp1252") -> ParsedRows[SolRow]:
    """Parse a Brå SOL export (path or raw bytes; decoded as cp1252)."""
    rows: ParsedRows[SolRow] = ParsedRows()
    try:
        text = _read_text(source, encoding)
    except UnicodeDecodeError as exc:
        rows.errors.append(LineError(0, f"cannot decode as {encoding}: {exc}"))
        return rows

    year: int | None = None
    blocks: list[_Block] = []
    current: _Block | None = None
    for lineno, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        # Page-header lines are matched as whole strings *before* splitting (the unit
        # line's &nbsp; entities contain the separator). They may occur anywhere.
        if line in (SOL_HEADER_TITLE, SOL_HEADER_YEAR_LABEL) or _SOL_HEADER_UNIT.match(line):
            continue
        if m := _SOL_HEADER_YEAR.match(line):
            header_year = int(m[1])
            if year is not None and header_year != year:
                rows.errors.append(LineError(lineno, f"header year {header_year} != {year}", line))
            year = year or header_year
            continue
        fields = line.split(";")
        if len(fields) != 3 or fields[2] != "":
            rows.errors.append(LineError(lineno, "expected 'label;value;'", line))
            continue
        label, value = fields[0].strip(), fields[1].strip()
        if value == "" and label.endswith(SOL_MUNICIPALITY_SUFFIX):
            name = label[: -len(SOL_MUNICIPALITY_SUFFIX)]
            code = code_for(name)
            if code is None:
                rows.errors.append(LineError(lineno, "unknown municipality", line))
                current = None
                continue
            current = _Block(name=name, code=code, line=lineno, values={})
            blocks.append(current)
            continue
        if current is None:
            rows.errors.append(LineError(lineno, "category line outside a municipality", line))
            continue
        if value == NO_VALUE:
            parsed: int | None = None
        else:
            try:
                parsed = _int(value)
            except ValueError as exc:
                rows.errors.append(LineError(lineno, str(exc), line))
                continue
        if label in current.values:
            rows.errors.append(LineError(lineno, f"category repeated for {current.name}", line))
            continue
        current.values[label] = parsed

    if year is None:
        rows.errors.append(LineError(0, "no year found in the page header"))
        return rows

    # Deduplicate blocks per municipality (Heby occurs twice): keep the block with a value.
    chosen: dict[str, _Block] = {}
    for block in blocks:
        previous = chosen.get(block.code)
        if previous is None:
            chosen[block.code] = block
            continue
        has_prev = any(v is not None for v in previous.values.values())
        has_new = any(v is not None for v in block.values.values())
        if has_prev and has_new and previous.values != block.values:
            rows.errors.append(LineError(
                block.line, f"conflicting second block for {block.name} "
                f"(first on line {previous.line}); kept the first"))
        elif has_new and not has_prev:
            chosen[block.code] = block
    for block in chosen.values():
        for category, value in block.values.items():
            rows.append(SolRow(code=block.code, year=year, category=category, value=value))
    return rows
