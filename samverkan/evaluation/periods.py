"""Reporting periods of computed indicators: months, tertials (January-April, May-August,
September-December) and calendar years, as local dates."""
from __future__ import annotations

import datetime


def _start(kind: str, day: datetime.date) -> datetime.date:
    if kind == "month":
        return day.replace(day=1)
    if kind == "tertial":
        return datetime.date(day.year, 1 + 4 * ((day.month - 1) // 4), 1)
    if kind == "year":
        return datetime.date(day.year, 1, 1)
    raise ValueError(f"unknown period {kind!r}")


def _next(kind: str, start: datetime.date) -> datetime.date:
    months = {"month": 1, "tertial": 4, "year": 12}[kind]
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def periods(kind: str, first: datetime.date, last: datetime.date
            ) -> list[tuple[datetime.date, datetime.date]]:
    """``(start, end)`` (end exclusive) of every period that contains a day of
    ``first`` .. ``last``."""
    out = []
    start = _start(kind, first)
    while start <= last:
        end = _next(kind, start)
        out.append((start, end))
        start = end
    return out


def label(kind: str, start: datetime.date) -> str:
    if kind == "month":
        return f"{start:%Y-%m}"
    if kind == "tertial":
        return f"T{(start.month - 1) // 4 + 1} {start.year}"
    return str(start.year)
