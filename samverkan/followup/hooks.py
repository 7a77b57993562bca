"""What the apps above follow-up (meetings) add to its pages, without follow-up importing them:
the apps form a one-way stack (core ← organizations ← agreements ← plans ← situation/followup ←
meetings), so a lower app offers a registry here and the higher app fills it in its
`AppConfig.ready()`."""
from __future__ import annotations

from collections.abc import Callable

# (agreements, year, user) -> the meetings of the year the user may read, for the year wheel
_YEAR_WHEEL_MEETINGS: list[Callable] = []


def register_year_wheel_meetings(func: Callable) -> Callable:
    _YEAR_WHEEL_MEETINGS.append(func)
    return func


def year_wheel_meetings(agreements, year: int, user) -> list:
    rows: list = []
    for func in _YEAR_WHEEL_MEETINGS:
        rows += func(agreements, year, user)
    return rows


def meetings_available() -> bool:
    return bool(_YEAR_WHEEL_MEETINGS)
