"""What the apps above follow-up (meetings) add to its pages, without follow-up importing them:
the apps form a one-way stack (core ← organizations ← agreements ← plans ← situation/followup ←
meetings), so a lower app offers a registry here and the higher app fills it in its
`AppConfig.ready()`.

* ``register_year_wheel_meetings``: the meetings of the year on the year wheel;
* ``register_round_section``: a section of a follow-up round, on the round's page and in its
  report (the citizen pledges' follow-ups, from the participation app)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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


# -- sections that other apps add to a follow-up round -----------------------------------------


@dataclass
class Cell:
    """One cell of a round section: its text, and where the page links it (never in the
    documents)."""

    text: str
    url: str = ""
    #: The record behind the cell, when it may be an example (marked on the page and in the
    #: documents).
    record: object = None


@dataclass
class RoundSection:
    """What an app above follow-up reports in a round (e.g. the citizen pledges' follow-ups),
    built for one reader: a provider reads through ``visible_to(user)`` only."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    #: Relative column widths in the documents (cm), as many as ``columns``.
    widths: list[float] | None = None
    intro: str = ""
    #: Said when ``rows`` is empty.
    empty: str = ""
    #: Further paragraphs (e.g. what is still missing), after the table.
    notes: list[str] = field(default_factory=list)


# (round, user) -> RoundSection | None
_ROUND_SECTIONS: list[Callable] = []


def register_round_section(func: Callable) -> Callable:
    """Register ``func(round, user) -> RoundSection | None``; it is shown on the round's page
    and in the round's report (Word and PDF), in the order of registration."""
    if func not in _ROUND_SECTIONS:
        _ROUND_SECTIONS.append(func)
    return func


def round_sections(round, user) -> list[RoundSection]:
    """The registered sections of ``round`` as ``user`` may see them."""
    sections = []
    for func in _ROUND_SECTIONS:
        section = func(round, user)
        if section is not None:
            sections.append(section)
    return sections
