"""Parse the fuzzy Swedish timing text of action plans ("När", "Tidsplan").

``parse_timing(text) -> (start, end)``; either may be None. The text itself is always
kept by the caller; the dates are a best effort for sorting, deviations and calendars.

Periods recognised (each needs a year, except a full ISO date):

* ``2017-03-01`` -> that day (two ISO dates: from the first to the second)
* ``2016-2018`` / ``2016–2018`` -> 2016-01-01 .. 2018-12-31
* ``2016``, ``Under 2012`` -> the whole year
* ``höstterminen 2012`` / ``HT 2012`` -> Aug 1 .. Dec 31 (the autumn school term)
* ``vårterminen 2013`` / ``VT 2013`` -> Jan 1 .. Jun 30 (the spring school term)
* seasons: ``våren 2016`` Mar 1 .. May 31, ``sommaren 2016`` Jun 1 .. Aug 31,
  ``hösten 2012`` Sep 1 .. Nov 30, ``vintern 2016`` Dec 1 2016 .. end of Feb 2017
* ``januari 2017`` -> the month; ``Q1 2017`` / ``kvartal 1 2017`` -> the quarter;
  ``T1 2017`` / ``tertial 2 2017`` -> the four-month period (Jan-Apr, May-Aug, Sep-Dec)

Each period is classified by the nearest keyword before it (after the previous period):

* a start word ("påbörjas", "startar", "initieras", "från", "fr.o.m.", "from") -> the
  period gives only the start: "Påbörjas 2016 i de utsedda områdena ..." -> (2016-01-01,
  None);
* an end word ("i slutet av", "senast", "till", "t.o.m.", "klart", "avslutas",
  "uppföljning", "följs/följas upp", "by", "end of") -> only the end: "Följas upp i slutet
  av 2016" -> (None, 2016-12-31). Decision for "Initieras Uppföljning av enkäten sker
  2018": the nearest keyword before 2018 is "Uppföljning", so the year is the END of the
  activity: (None, 2018-12-31); "Initieras" carries no year, so the start stays unknown;
* otherwise the period covers both ends.

The result is the earliest start and the latest end over the periods. Texts without a
year ("Kontinuerligt varje fredag och lördag", "1 utbildning/år", "sommaren") give
(None, None).
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "januari": 1, "january": 1, "februari": 2, "february": 2, "mars": 3, "march": 3,
    "april": 4, "maj": 5, "may": 5, "juni": 6, "june": 6, "juli": 7, "july": 7,
    "augusti": 8, "august": 8, "september": 9, "oktober": 10, "october": 10,
    "november": 11, "december": 12,
}

_START_WORDS = (
    "påbörjas", "påbörja", "påbörjar", "startar", "starta", "start", "initieras",
    "initiera", "inleds", "från och med", "fr.o.m.", "fr.o.m", "fr o m", "från", "from",
    "starting", "begins",
)
_END_WORDS = (
    "i slutet av", "slutet av", "senast", "till och med", "t.o.m.", "t.o.m", "t o m", "till",
    "klart", "klar", "avslutas", "avslutat", "uppföljning", "följs upp", "följas upp",
    "följa upp", "utvärdering", "utvärderas", "by", "end of", "until",
)

_YEAR = r"((?:19|20)\d{2})"
_B = r"(?<![\w-])"  # word start
_E = r"(?![\w])"  # word end


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def _months(year: int, first: int, last: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, first, 1), _month_end(year, last)


def _season(name: str, year: int) -> tuple[dt.date, dt.date]:
    name = name.lower()
    if name.startswith("höstterm") or name == "ht":
        return _months(year, 8, 12)
    if name.startswith("vårterm") or name == "vt":
        return _months(year, 1, 6)
    if name.startswith("vår"):
        return _months(year, 3, 5)
    if name.startswith("sommar"):
        return _months(year, 6, 8)
    if name.startswith("höst"):
        return _months(year, 9, 11)
    # vintern YYYY: December of that year to the end of February the next year
    return dt.date(year, 12, 1), _month_end(year + 1, 2)


_PATTERNS: list[tuple[re.Pattern[str], object]] = [
    (
        re.compile(rf"{_B}(\d{{4}})-(\d{{2}})-(\d{{2}}){_E}"),
        lambda m: (lambda d: (d, d))(
            dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        ),
    ),
    (
        re.compile(rf"{_B}{_YEAR}\s*[-–—]\s*{_YEAR}{_E}"),
        lambda m: (dt.date(int(m.group(1)), 1, 1), dt.date(int(m.group(2)), 12, 31)),
    ),
    (
        re.compile(
            rf"{_B}(höstterminen|vårterminen|hösttermin|vårtermin|ht|vt|våren|vår|"
            rf"sommaren|sommar|hösten|höst|vintern|vinter)\s*(?:år\s*)?{_YEAR}{_E}",
            re.I,
        ),
        lambda m: _season(m.group(1), int(m.group(2))),
    ),
    (
        re.compile(rf"{_B}({'|'.join(_MONTHS)})\s+{_YEAR}{_E}", re.I),
        lambda m: _months(
            int(m.group(2)), _MONTHS[m.group(1).lower()], _MONTHS[m.group(1).lower()]
        ),
    ),
    (
        re.compile(rf"{_B}(?:q|kvartal|quarter)\s*([1-4])\s*(?:år\s*)?{_YEAR}{_E}", re.I),
        lambda m: _months(
            int(m.group(2)), 3 * int(m.group(1)) - 2, 3 * int(m.group(1))
        ),
    ),
    (
        re.compile(rf"{_B}(?:t|tertial)\s*([1-3])\s*(?:år\s*)?{_YEAR}{_E}", re.I),
        lambda m: _months(
            int(m.group(2)), 4 * int(m.group(1)) - 3, 4 * int(m.group(1))
        ),
    ),
    (
        re.compile(rf"{_B}{_YEAR}{_E}"),
        lambda m: (dt.date(int(m.group(1)), 1, 1), dt.date(int(m.group(1)), 12, 31)),
    ),
]

_START_RE = re.compile(
    rf"{_B}(?:{'|'.join(re.escape(w) for w in _START_WORDS)})(?![\w])", re.I
)
_END_RE = re.compile(rf"{_B}(?:{'|'.join(re.escape(w) for w in _END_WORDS)})(?![\w])", re.I)


def _periods(text: str) -> list[tuple[int, int, dt.date, dt.date]]:
    """Non-overlapping (start_pos, end_pos, first_day, last_day), earlier patterns first."""
    found: list[tuple[int, int, dt.date, dt.date]] = []
    for pattern, to_dates in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end, _, _ in found):
                continue
            try:
                first, last = to_dates(match)  # type: ignore[operator]
            except ValueError:  # 2017-02-30
                continue
            found.append((match.start(), match.end(), first, last))
    return sorted(found)


def _classify(segment: str) -> str:
    """'start', 'end' or '' from the keyword nearest to the end of ``segment``."""
    best_pos, best = -1, ""
    for regex, kind in ((_START_RE, "start"), (_END_RE, "end")):
        for match in regex.finditer(segment):
            if match.start() > best_pos:
                best_pos, best = match.start(), kind
    return best


def parse_timing(text: str | None) -> tuple[dt.date | None, dt.date | None]:
    """Parse a timing text into (start, end); see the module docstring for the rules."""
    if not text:
        return None, None
    text = re.sub(r"\s+", " ", str(text)).strip()
    periods = _periods(text)
    if not periods:
        return None, None
    iso_days = [p for p in periods if p[2] == p[3]]
    if len(periods) == 2 and len(iso_days) == 2:
        first, second = sorted((periods[0][2], periods[1][2]))
        return first, second
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    previous_end = 0
    for start_pos, end_pos, first, last in periods:
        kind = _classify(text[previous_end:start_pos])
        previous_end = end_pos
        if kind in ("", "start"):
            starts.append(first)
        if kind in ("", "end"):
            ends.append(last)
    return (min(starts) if starts else None), (max(ends) if ends else None)
