"""Deadline arithmetic: clock hours, or working days in Sweden.

Working days are Monday to Friday except Swedish public holidays and the de facto holidays
(Midsummer Eve, Christmas Eve, New Year's Eve), from the `holidays` package. A deadline of
*n* working days falls at the same local time of day on the *n*-th working day after the day
the report came in (a report on a Saturday morning with two working days is due on Tuesday
morning). Time is computed in Europe/Stockholm and returned in UTC.
"""
from __future__ import annotations

import datetime
import functools
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@functools.lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[datetime.date]:
    # Imported here: `holidays` builds its lunisolar calendars on import (≈ 60 ms), which
    # every process (commands, job workers) paid at start through the faults app.
    import holidays

    days = holidays.Sweden(years=year, include_sundays=False,
                           categories=(holidays.PUBLIC, "de_facto"))
    return frozenset(days)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    local = start.astimezone(STOCKHOLM)
    day = local.date()
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    due = datetime.datetime.combine(day, local.time().replace(tzinfo=None))
    return due.replace(tzinfo=STOCKHOLM).astimezone(datetime.UTC)


def due_time(start: datetime.datetime, amount: int, unit: str) -> datetime.datetime:
    """`start` plus `amount` hours (`unit` "hours") or working days ("working_days")."""
    if unit == "working_days":
        return add_working_days(start, amount)
    return (start + datetime.timedelta(hours=amount)).astimezone(datetime.UTC)
