"""Brå's reported-crime statistics per municipality: the CSV of reported crimes (count and
per 100,000; the file has no year, so the caller gives it) and SOL exports (per 100,000, the
year in the page header). Rows are stored for every municipality in the file, public, one per
(municipality, year, category, source); an import run twice changes nothing. Per 100,000 is
computed from the count and organizations.Municipality.population where the file lacks it.
All-or-nothing: a line that cannot be read fails the import.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from samverkan.core.importing import all_or_nothing
from samverkan.organizations.models import Municipality

from ..choices import StatisticSource
from ..sources import bra
from .base import RowError

BRA_CSV_CATEGORY = "Anmälda brott totalt"
STAT_FORMATS = ("bra-csv", "sol")


@dataclass
class StatisticsImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    year: int | None = None
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "rows": self.rows, "year": self.year,
                "errors": [e.as_dict() for e in self.errors]}


def import_crime_statistics(data: bytes, *, fmt: str, actor, year: int | None = None,
                            dry_run: bool = False) -> StatisticsImportResult:
    from .. import services

    result = StatisticsImportResult()
    if fmt == "bra-csv":
        if year is None:
            result.errors.append(RowError(0, "year", _(
                "Brå's CSV does not state its year: give the year.")))
            return result
        try:
            rows = bra.parse_reported_crimes_csv(bytes(data), year)
        except UnicodeDecodeError:
            result.errors.append(RowError(0, "", _("The file is not UTF-8 text.")))
            return result
        values = [(r.code, r.year, BRA_CSV_CATEGORY, r.count, float(r.per_100k))
                  for r in rows]
        source = StatisticSource.BRA_CSV
    elif fmt == "sol":
        rows = bra.parse_sol_export(bytes(data))
        values = [(r.code, r.year, r.category, None,
                   None if r.value is None else float(r.value)) for r in rows]
        source = StatisticSource.SOL
        if year is not None and any(r.year != year for r in rows):
            result.errors.append(RowError(0, "year", _(
                "The file is for %(file_year)s, not %(year)s.") % {
                "file_year": rows[0].year, "year": year}))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    for error in rows.errors:
        result.errors.append(RowError(error.line, "", _(
            "The line cannot be read: %(message)s %(text)s") % {
            "message": error.message, "text": error.text}))
    result.rows = len(values)
    result.year = values[0][1] if values else year
    if not values and not result.errors:
        result.errors.append(RowError(0, "", _("The file has no figures.")))
    if result.errors:
        return result
    municipalities = Municipality.objects.in_bulk([v[0] for v in values])
    with all_or_nothing(dry_run=dry_run):
        for code, row_year, category, count, per_100k in values:
            municipality = municipalities[code]
            _row, outcome = services.save_crime_statistic(
                actor=actor, municipality=municipality, year=row_year, category=category,
                source=source, count=count, per_100k=per_100k,
                population=municipality.population)
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result
