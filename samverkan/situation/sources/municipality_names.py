"""Explicit lookup from municipality names to four-digit SCB municipality codes.

Names differ from source to source (case, hyphen or en dash, genitive forms with a
" kommun" suffix, ...). We never guess with string rules: the lookup is built from

* the SCB reference list ``samverkan/organizations/data/scb_kommuner_lan.csv``
  (official names, e.g. ``Upplands Väsby``, ``Malung-Sälen``),
* the committed table ``samverkan/situation/data/bra_municipality_names.csv`` mapping every
  Brå name (``Arjeplogs kommun``, ``Stockholm``, ``Tranås kommun ``, ``Malung–Sälens kommun``)
  to its code (generated once by ``scripts/build_bra_name_table.py``, checked by hand),
* the small explicit :data:`ALIASES` table below.

Matching is case-insensitive, ignores surrounding/repeated whitespace and treats an en dash,
em dash or minus sign as a hyphen. Nothing else is normalised: ``Habo`` and ``Håbo`` are
different municipalities.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[2]  # .../samverkan
SCB_CSV = _PACKAGE / "organizations" / "data" / "scb_kommuner_lan.csv"
BRA_NAMES_CSV = _PACKAGE / "situation" / "data" / "bra_municipality_names.csv"

#: Other spellings seen in our sources, entered by hand.
ALIASES: dict[str, str] = {
    "Upplands Bro": "0139",  # ORT in polisen_utsatta_omraden_2025.geojson (SCB: Upplands-Bro)
    "Malung": "2023",  # KnNamn in kommuner_simplified.geojson (SCB: Malung-Sälen)
}

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\u2212": "-"})


def normalise(name: str) -> str:
    """Key used for matching: casefolded, whitespace collapsed, dashes as hyphens."""
    return " ".join(name.translate(_DASHES).split()).casefold()


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county_code: str
    county_name: str


@cache
def municipalities() -> dict[str, Municipality]:
    """All 290 municipalities from scb_kommuner_lan.csv, by code (codes read as strings)."""
    with SCB_CSV.open(encoding="utf-8", newline="") as fh:
        return {
            row["municipality_code"]: Municipality(
                code=row["municipality_code"],
                name=row["municipality_name"],
                county_code=row["county_code"],
                county_name=row["county_name"],
            )
            for row in csv.DictReader(fh)
        }


@cache
def bra_names() -> dict[str, str]:
    """The committed Brå table: exact Brå name (trailing space kept) -> code."""
    with BRA_NAMES_CSV.open(encoding="utf-8", newline="") as fh:
        return {row["bra_name"]: row["municipality_code"] for row in csv.DictReader(fh)}


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(name: str, code: str, origin: str) -> None:
        key = normalise(name)
        if table.setdefault(key, code) != code:  # pragma: no cover - data error
            raise ValueError(f"{origin}: {name!r} maps to {code} and {table[key]}")

    known = municipalities()
    for m in known.values():
        add(m.name, m.code, "SCB")
    for name, code in {**bra_names(), **ALIASES}.items():
        if code not in known:  # pragma: no cover - data error
            raise ValueError(f"{name!r} maps to unknown code {code}")
        add(name, code, "table")
    return table


def code_for(name: str | None) -> str | None:
    """Four-digit code for a municipality name, or None if the name is not known.

    >>> code_for("Upplands väsby"), code_for("Malung–Sälens kommun"), code_for("Gotlands län")
    ('0114', '2023', None)
    """
    if not name:
        return None
    return _lookup().get(normalise(name))


def name_for(code: str) -> str | None:
    """Official SCB name for a code."""
    m = municipalities().get(code)
    return m.name if m else None


def county_code_for(county_name: str) -> str | None:
    """Two-digit county code for an SCB county name (``Södermanlands län`` -> ``04``)."""
    key = normalise(county_name)
    for m in municipalities().values():
        if normalise(m.county_name) == key:
            return m.county_code
    return None
