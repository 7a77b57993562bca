"""Laying out an agreement's follow-up rounds from its follow-up plan, and reading the plan
from free text.

Pure functions (no database): `lay_out(...)` turns follow-up plan entries into `RoundSpec`s
over the whole agreement period; `parse_followup_text(text)` proposes entries from the
wording a coordinator typed. `services.lay_out_rounds` writes the specs.

What each kind of entry gives (calendar periods that overlap the agreement period):

* ``continuous`` ("följs löpande"): no rounds of its own.
* ``monthly`` ("avvikelser följs upp månadsvis"): one deviation check per month, labelled
  "Avvikelsekontroll mars 2025"; due 10 days after the month.
* ``tertial``: T1 Jan-Apr, T2 May-Aug, T3 Sep-Dec; due 15 days after the period.
* ``quarterly``, and ``times_per_year`` with 4 ("fyra ggr/år"): quarters ("Kvartal 1 2013");
  due 15 days after the quarter.
* ``times_per_year`` with N ("3 gånger per år"): N periods spread evenly over the calendar
  year (whole months when N divides 12, otherwise equal runs of days), "Uppföljning 2 av 3
  2016"; due 15 days after each period. Without N, the forum's meetings per year is used.
* ``interim`` (delår 2): January to August, "Delår 2 2025"; due 15 days after (15 September).
* ``annual`` (helår): the calendar year, "Helår 2025"; due 31 days after: 31 January, when
  the municipalities' annual reports are being written.
* ``evaluation`` ("utvärderas under år 2027"): one round "Utvärdering 2027" covering the
  agreement period up to the end of that year (the entry's year, else the agreement's
  evaluation year, else its last year); due at the end of that year, since the evaluation is
  done during the year.
* ``end_of_period`` ("vid periodens slut"): one round over the whole agreement period, due
  30 days after it ends.

Two entries that give the same period of the same kind (e.g. "3 gånger per år" in both the
steering group and the political steering group) give one round: the reports are written
once and taken to both forums (the first forum is the round's forum, the others are named in
its note).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from .choices import RoundKind

DUE_DAYS = {
    RoundKind.MONTHLY: 10,
    RoundKind.TERTIAL: 15,
    RoundKind.QUARTERLY: 15,
    RoundKind.TIMES_PER_YEAR: 15,
    RoundKind.INTERIM: 15,
    RoundKind.ANNUAL: 31,
    RoundKind.END_OF_PERIOD: 30,
    RoundKind.CUSTOM: 15,
}


@dataclass(frozen=True)
class PlanEntry:
    """What `lay_out` needs from one FollowUpEntry."""

    kind: str
    times_per_year: int | None = None
    year: int | None = None
    forum_id: int | None = None
    entry_id: int | None = None
    forum_meetings_per_year: int | None = None


@dataclass
class RoundSpec:
    kind: str
    label: str
    period_start: dt.date
    period_end: dt.date
    due_date: dt.date
    plan_key: str
    forum_ids: list[int] = field(default_factory=list)
    entry_id: int | None = None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_name(month: int) -> str:
    # Django's own names: lower case in Swedish ("januari"), as in a running text.
    return str(MONTHS[month])


def due_date_for(kind: str, period_end: dt.date) -> dt.date:
    """The documented due date of a round of `kind` that ends on `period_end`."""
    if kind == RoundKind.EVALUATION:
        return dt.date(period_end.year, 12, 31)
    return period_end + dt.timedelta(days=DUE_DAYS.get(kind, 15))


def _even_periods(year: int, n: int) -> list[tuple[dt.date, dt.date]]:
    if n <= 0:
        return []
    if 12 % n == 0:
        step = 12 // n
        return [(dt.date(year, 1 + i * step, 1), _month_end(year, (i + 1) * step))
                for i in range(n)]
    first = dt.date(year, 1, 1)
    days = (dt.date(year, 12, 31) - first).days + 1
    bounds = [first + dt.timedelta(days=round(i * days / n)) for i in range(n + 1)]
    return [(bounds[i], bounds[i + 1] - dt.timedelta(days=1)) for i in range(n)]


def _specs_for(entry: PlanEntry, start: dt.date, end: dt.date,
               evaluation_year: int | None) -> list[RoundSpec]:
    specs: list[RoundSpec] = []
    kind = entry.kind

    def add(round_kind, label, p_start, p_end, key):
        if p_end < start or p_start > end:
            return
        specs.append(RoundSpec(kind=round_kind, label=label, period_start=p_start,
                               period_end=p_end, due_date=due_date_for(round_kind, p_end),
                               plan_key=key))

    years = range(start.year, end.year + 1)
    times = entry.times_per_year or entry.forum_meetings_per_year
    if kind == "times_per_year" and times == 4:
        kind = "quarterly"
    if kind == "monthly":
        for year in years:
            for month in range(1, 13):
                add(RoundKind.MONTHLY,
                    _("Deviation check %(month)s %(year)s") % {"month": _month_name(month),
                                                               "year": year},
                    dt.date(year, month, 1), _month_end(year, month),
                    f"monthly:{year}-{month:02d}")
    elif kind == "tertial":
        for year in years:
            for number in (1, 2, 3):
                p_start = dt.date(year, 4 * number - 3, 1)
                add(RoundKind.TERTIAL, f"T{number} {year}", p_start,
                    _month_end(year, 4 * number), f"tertial:{year}-{number}")
    elif kind == "quarterly":
        for year in years:
            for number in (1, 2, 3, 4):
                add(RoundKind.QUARTERLY,
                    _("Quarter %(number)s %(year)s") % {"number": number, "year": year},
                    dt.date(year, 3 * number - 2, 1), _month_end(year, 3 * number),
                    f"quarterly:{year}-{number}")
    elif kind == "times_per_year" and times:
        for year in years:
            for number, (p_start, p_end) in enumerate(_even_periods(year, times), start=1):
                add(RoundKind.TIMES_PER_YEAR,
                    _("Follow-up %(number)s of %(count)s %(year)s") % {
                        "number": number, "count": times, "year": year},
                    p_start, p_end, f"times:{times}:{year}-{number}")
    elif kind == "interim":
        for year in years:
            add(RoundKind.INTERIM, _("Interim report 2 %(year)s") % {"year": year},
                dt.date(year, 1, 1), dt.date(year, 8, 31), f"interim:{year}")
    elif kind == "annual":
        for year in years:
            add(RoundKind.ANNUAL, _("Full year %(year)s") % {"year": year},
                dt.date(year, 1, 1), dt.date(year, 12, 31), f"annual:{year}")
    elif kind == "evaluation":
        year = entry.year or evaluation_year or end.year
        p_end = min(end, dt.date(year, 12, 31))
        if p_end >= start:
            add(RoundKind.EVALUATION, _("Evaluation %(year)s") % {"year": year}, start, p_end,
                f"evaluation:{year}")
    elif kind == "end_of_period":
        label = _("Follow-up at the end of the period %(start)s–%(end)s") % {
            "start": start.year, "end": end.year}
        add(RoundKind.END_OF_PERIOD, label, start, end, f"end_of_period:{end.isoformat()}")
    for spec in specs:
        if entry.forum_id:
            spec.forum_ids.append(entry.forum_id)
        spec.entry_id = entry.entry_id
    return specs


def lay_out(start: dt.date, end: dt.date, entries: list[PlanEntry],
            evaluation_year: int | None = None, language: str | None = None
            ) -> list[RoundSpec]:
    """Every round the follow-up plan asks for over the agreement period, by due date.
    Entries giving the same period of the same kind merge into one round. Labels are in
    `language` (default: the installation's language, Swedish), since they are stored."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(language or settings.LANGUAGE_CODE):
        specs = [spec for entry in entries
                 for spec in _specs_for(entry, start, end, evaluation_year)]
    by_key: dict[str, RoundSpec] = {}
    for spec in specs:
        existing = by_key.get(spec.plan_key)
        if existing is None:
            by_key[spec.plan_key] = spec
        else:
            existing.forum_ids += [f for f in spec.forum_ids if f not in existing.forum_ids]
    return sorted(by_key.values(), key=lambda s: (s.due_date, s.period_start, s.plan_key))


# -- reading the wording ---------------------------------------------------------------------

_NUMBER_WORDS = {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6,
                 "sju": 7, "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12}
_TIMES = re.compile(
    r"\b(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")(?:\s*-\s*\d{1,2})?\s*"
    r"(?:ggr|gånger|gång)\s*(?:/|per|om|i)\s*(?:år|året)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(20\d\d|19\d\d)\b")
_PATTERNS = [
    ("monthly", re.compile(r"månadsvis|varje månad|månatlig|en gång i månaden", re.I)),
    ("quarterly", re.compile(r"kvartal", re.I)),
    ("tertial", re.compile(r"tertial", re.I)),
    ("interim", re.compile(r"delår", re.I)),
    ("annual", re.compile(r"helår|årsrapport|årsredovisning|årligen|årsvis|varje år", re.I)),
    ("evaluation", re.compile(r"utvärder", re.I)),
    ("end_of_period", re.compile(
        r"periodens slut|periodens utgång|slutet av (?:avtals|överenskommelse)?perioden|"
        r"avtalsperiodens slut|när (?:avtals)?perioden (?:är slut|löper ut)", re.I)),
    ("continuous", re.compile(r"löpande|kontinuerlig|fortlöpande|fortgående", re.I)),
]


@dataclass(frozen=True)
class ProposedEntry:
    kind: str
    text: str
    times_per_year: int | None = None
    year: int | None = None
    forum_name: str | None = None


def _sentences(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text or "").strip()
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", text) if s.strip()]


def _forum_in(sentence: str, forum_names) -> str | None:
    lowered = sentence.lower()
    best = None
    for name in forum_names:
        if name and name.lower() in lowered and (best is None or len(name) > len(best)):
            best = name
    return best


def parse_followup_text(text: str, forum_names=()) -> list[ProposedEntry]:
    """Follow-up plan entries proposed from free text, in the order the text gives them.

    "... verkställande utskott som genomförs fyra ggr/år." -> times_per_year (4);
    "... delår 2 och helårsrapportering ..." -> interim, annual; "utvärderas under år 2027"
    -> evaluation (2027); "Eventuella avvikelser följs upp månadsvis." -> monthly; "vid
    periodens slut" -> end_of_period. `forum_names` (the agreement's forums, names and
    abbreviations) are matched in each sentence."""
    proposals: list[ProposedEntry] = []
    seen: set[tuple] = set()
    for sentence in _sentences(text):
        forum = _forum_in(sentence, forum_names)
        years = [int(y) for y in _YEAR.findall(sentence)]
        found: list[tuple[int, ProposedEntry]] = []
        for match in _TIMES.finditer(sentence):
            word = match.group(1).lower()
            times = int(word) if word.isdigit() else _NUMBER_WORDS[word]
            found.append((match.start(), ProposedEntry("times_per_year", sentence,
                                                       times_per_year=times,
                                                       forum_name=forum)))
        for kind, pattern in _PATTERNS:
            match = pattern.search(sentence)
            if match is None:
                continue
            if kind == "annual" and found and any(p.kind == "times_per_year" for _, p in found):
                continue
            year = None
            if kind == "evaluation":
                after = _YEAR.search(sentence, match.end())
                year = int(after.group(1)) if after else (max(years) if years else None)
            elif kind == "end_of_period" and years:
                year = max(years)
            found.append((match.start(), ProposedEntry(kind, sentence, year=year,
                                                       forum_name=forum)))
        for _position, proposal in sorted(found, key=lambda item: item[0]):
            key = (proposal.kind, proposal.times_per_year, proposal.year, proposal.forum_name)
            if key not in seen:
                seen.add(key)
                proposals.append(proposal)
    return proposals
