"""Read an action plan table (åtgärdsplan / åtagandeplan) as coordinators keep it in Excel.

Pure Python plus openpyxl. The only Django import is ``gettext`` for the messages shown
to the coordinator (English msgids, Swedish in the plans app's .po file).

Layout rules (see ``parse_plan_table``):

* The header row is the first row with at least two known headers; rows above it (a
  title, a date) are skipped. Headers are matched case-insensitively after trimming, with
  Swedish and English aliases (``COLUMNS``). Unknown headers give a warning.
* A focus area may be a heading row (only Fokusområde, perhaps Mål/Delmål filled) above
  its activities, or repeated on every row. An empty Fokusområde, Mål or Delmål cell on
  a later row means "same as above" (merged cells read as empty).
* A row with Aktivitet is an activity. A row with Indikator and Aktivitet is an indicator
  on that activity (the activity is created from the same row unless the previous
  activity of the focus area has the same title). A row with Indikator and no Aktivitet
  is an indicator on the sub-goal when Delmål is filled on that row, else on the focus
  area.
* A row with only Delmål (and perhaps Mål) starts a new current sub-goal.
* Completely empty rows are skipped; any other row without activity title, indicator or
  focus area is the error "Missing activity title".

Values:

* Start/Slut empty but När filled: the dates are read from the När text with
  ``samverkan.plans.timing.parse_timing`` (either may stay None).
* Dates: ISO ``YYYY-MM-DD``, ``YYYY-MM``, an Excel date cell, or a bare year ``YYYY``.
  A bare year (or month) means its FIRST day in the start-like columns (Start,
  Utgångsdatum) and its LAST day in the end-like columns (Slut, Måldatum): "Måldatum
  2018" means "by the end of 2018".
* Numbers: ``3,72``, ``3.72``, ``15``, ``2 576``, ``minst 15`` (implies higher is
  better), ``högst 2`` / ``max 2`` (implies lower is better), ``0-2`` / ``0–2`` (a
  range: the text is kept and the bound in the goal's direction is taken: the upper bound
  when lower is better, the lower bound when higher is better), ``2 grupper`` / ``3 %``
  (number + unit; the unit is used when the Enhet column is empty).
* Direction: the Riktning column wins; else "minst"/"högst" in the target or baseline;
  else baseline compared with target (ranges by their midpoints); default "higher".
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _django_gettext

from samverkan.core import cells, importing
from samverkan.plans.timing import parse_timing


def _(message: str) -> str:
    """``gettext`` that also works where Django settings are not configured (scripts)."""
    try:
        return _django_gettext(message)
    except Exception:  # ImproperlyConfigured outside a configured Django project
        return message


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # canonical (Swedish) header, used for export
    aliases: tuple[str, ...] = ()


#: Canonical columns in export order: an exported file re-imports to the same plan.
COLUMNS: tuple[Column, ...] = (
    Column("focus_area", "Fokusområde", ("Område", "Focus area")),
    Column("sub_goal", "Delmål", ("Sub-goal", "Subgoal", "Sub goal")),
    Column("goal", "Mål", ("Goal",)),
    Column("activity", "Aktivitet", ("Åtgärd", "Activity")),
    Column("description", "Beskrivning", ("Description",)),
    Column("cause", "Orsak", ("Cause",)),
    Column("activity_goal", "Aktivitetens mål", ("Activity goal",)),
    Column("status", "Status", ()),
    Column("kind", "Typ", ("Kind",)),
    Column("municipality_action", "Åtgärd kommun", ("Municipality action",)),
    Column("police_action", "Åtgärd polis", ("Police action",)),
    Column("other_action", "Åtgärd övriga", ("Other action",)),
    Column("responsible", "Ansvarig", ("Responsible",)),
    Column("timing", "När", ("Tidsplan", "Timing", "When")),
    Column("start_date", "Start", ("Startdatum", "Start date")),
    Column("end_date", "Slut", ("Slutdatum", "End date")),
    Column("effect", "Effekt", ("Effect", "Expected effect")),
    Column("communication", "Kommunikation", ("Communication",)),
    Column("areas", "Geografiskt område", ("Plats", "Areas")),
    Column("indicator", "Indikator", ("Indicator",)),
    Column("goal_kind", "Måltyp", ("Goal kind",)),
    Column("unit", "Enhet", ("Unit",)),
    Column("direction", "Riktning", ("Direction",)),
    Column("baseline", "Utgångsvärde", ("Baseline",)),
    Column("baseline_date", "Utgångsdatum", ("Baseline date",)),
    Column("target", "Målvärde", ("Target",)),
    Column("target_date", "Måldatum", ("Target date",)),
    Column("data_source", "Datakälla", ("Data source",)),
)

CANONICAL_HEADERS: tuple[str, ...] = tuple(c.label for c in COLUMNS)

#: Marks rows made up to show the software (``samverkan.core.examples``). Read when present;
#: written first, before Fokusområde, only when the plan holds examples.
EXAMPLE_COLUMN = Column("example", "Exempel", ("Example",))
EXAMPLE_LABEL = "Exempel – inte ur överenskommelsen"


def _norm_header(value: Any) -> str:
    text = "" if value is None else str(value)
    text = re.sub(r"\s+", " ", text).strip().rstrip(":").strip()
    return text.casefold()


_HEADER_INDEX: dict[str, str] = {}
for _col in (*COLUMNS, EXAMPLE_COLUMN):
    for _name in (_col.label, *_col.aliases):
        _HEADER_INDEX[_norm_header(_name)] = _col.key

#: Columns that may be filled on a row that has no activity title.
_HEADING_KEYS = {"focus_area", "goal", "sub_goal", "example"}
_INDICATOR_VALUE_KEYS = (
    "goal_kind", "unit", "direction", "baseline", "baseline_date", "target", "target_date",
    "data_source",
)

# ------------------------------------------------------------------------ vocabularies

STATUS_WORDS: dict[str, str] = {
    "pågående": "ongoing", "pågår": "ongoing", "ongoing": "ongoing",
    "planerad": "planned", "planerade": "planned", "planned": "planned",
    "tänkbar": "possible", "tänkbara": "possible", "möjlig": "possible",
    "möjliga": "possible", "possible": "possible",
    "genomförd": "done", "genomförda": "done", "klar": "done", "klara": "done",
    "avslutad": "done", "avslutade": "done", "done": "done",
    "avbruten": "cancelled", "avbrutna": "cancelled", "inställd": "cancelled",
    "inställda": "cancelled", "cancelled": "cancelled", "canceled": "cancelled",
}
STATUS_ALLOWED_TEXT = "pågående, planerad, tänkbar, genomförd, avbruten"

KIND_WORDS: dict[str, str] = {
    "engångsinsats": "one_off", "engångs": "one_off", "one-off": "one_off",
    "one off": "one_off", "one_off": "one_off",
    "ordinarie verksamhet": "ordinary", "ordinarie": "ordinary", "ordinary work": "ordinary",
    "ordinary": "ordinary",
}
KIND_ALLOWED_TEXT = "engångsinsats, ordinarie verksamhet"

GOAL_KIND_WORDS: dict[str, str] = {
    "effekt": "effect", "effektmål": "effect", "effect": "effect",
    "process": "process", "processmål": "process",
    "prestation": "production", "prestationsmål": "production", "production": "production",
    "output": "production",
}
GOAL_KIND_ALLOWED_TEXT = "effekt, process, prestation"

DIRECTION_WORDS: dict[str, str] = {
    "högre är bättre": "higher", "högre": "higher", "higher": "higher",
    "higher is better": "higher", "öka": "higher", "ökning": "higher",
    "lägre är bättre": "lower", "lägre": "lower", "lower": "lower",
    "lower is better": "lower", "minska": "lower", "minskning": "lower",
}
DIRECTION_ALLOWED_TEXT = "högre är bättre, lägre är bättre"

EXAMPLE_WORDS: dict[str, bool] = {
    EXAMPLE_LABEL.casefold(): True, "exempel": True, "ja": True, "x": True, "example": True,
    "yes": True, "nej": False, "no": False,
}
EXAMPLE_ALLOWED_TEXT = f"{EXAMPLE_LABEL}, ja, nej (or empty)"

# ------------------------------------------------------------------------- dataclasses


# Row errors are shared by every importer: row 0 is the file as a whole, column "" not one
# column.
RowError = importing.RowError


@dataclass
class ParsedIndicator:
    row: int
    name: str
    goal_kind: str = ""  # "effect" | "process" | "production" | ""
    unit: str = ""
    direction: str = "higher"  # "higher" | "lower"
    baseline_value: Decimal | None = None
    baseline_text: str = ""
    baseline_date: dt.date | None = None
    target_value: Decimal | None = None
    target_text: str = ""
    target_date: dt.date | None = None
    data_source: str = ""
    sub_goal: str | None = None
    example: bool = False


@dataclass
class ParsedSubGoal:
    number: int | None
    text: str
    row: int


@dataclass
class ParsedActivity:
    row: int
    title: str
    sub_goal: str | None = None
    description: str = ""
    cause: str = ""
    goal: str = ""
    status: str = "planned"
    kind: str = ""  # "one_off" | "ordinary" | ""
    municipality_action: str = ""
    police_action: str = ""
    other_action: str = ""
    responsible_text: str = ""
    timing_text: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    expected_effect: str = ""
    communication: str = ""
    areas: list[str] = field(default_factory=list)
    indicators: list[ParsedIndicator] = field(default_factory=list)
    example: bool = False


@dataclass
class ParsedFocusArea:
    number: int | None
    title: str
    goal: str = ""
    sub_goals: list[ParsedSubGoal] = field(default_factory=list)
    activities: list[ParsedActivity] = field(default_factory=list)
    indicators: list[ParsedIndicator] = field(default_factory=list)
    row: int = 0


@dataclass
class ParsedPlan:
    focus_areas: list[ParsedFocusArea] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read (non-empty rows below the header)
    columns: dict[str, str] = field(default_factory=dict)  # column key -> header as written

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def activities(self) -> list[ParsedActivity]:
        return [a for fa in self.focus_areas for a in fa.activities]


class ValueParseError(ValueError):
    """A cell value that cannot be read; ``str(exc)`` is the translated message."""


# ------------------------------------------------------------------------ value parsing

_NUMBER = r"[+-]?\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?|[+-]?\d+(?:[.,]\d+)?"
_RANGE_RE = re.compile(rf"^({_NUMBER})\s*(?:-|–|—|till|to)\s*({_NUMBER})\s*(.*)$", re.I)
_NUM_RE = re.compile(rf"^({_NUMBER})\s*(.*)$")
_AT_LEAST = ("minst", "min.", "min", "lägst", "at least", "≥", ">=", ">")
_AT_MOST = ("högst", "max.", "max", "maximalt", "at most", "≤", "<=", "<")
_UNIT_RE = re.compile(r"^[^\d]{0,60}$")


def _to_decimal(text: str) -> Decimal:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
        raise ValueParseError(text) from exc


@dataclass(frozen=True)
class ParsedNumber:
    """A number cell: ``value`` is None for ranges until a direction picks a bound."""

    text: str
    value: Decimal | None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str = ""
    implied_direction: str = ""  # "higher" | "lower" | ""

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None

    def midpoint(self) -> Decimal | None:
        if self.is_range:
            return (self.low + self.high) / 2
        return self.value

    def bound(self, direction: str) -> Decimal | None:
        """The value to store: for a range the bound in the goal's direction."""
        if self.is_range:
            return self.high if direction == "lower" else self.low
        return self.value


def parse_number(raw: Any) -> ParsedNumber | None:
    """Parse an Utgångsvärde/Målvärde cell; None when empty; ValueParseError if unreadable."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueParseError(_("Not a number."))
    if isinstance(raw, (int, float, Decimal)):
        value = Decimal(str(raw)).normalize() if not isinstance(raw, int) else Decimal(raw)
        return ParsedNumber(text=_cell_text(raw), value=value)
    text = re.sub(r"\s+", " ", str(raw)).strip()
    rest = text
    implied = ""
    lowered = rest.casefold()
    for prefix, direction in [(p, "higher") for p in _AT_LEAST] + [
        (p, "lower") for p in _AT_MOST
    ]:
        if lowered.startswith(prefix) and (
            not prefix[-1].isalpha() or len(lowered) == len(prefix)
            or not lowered[len(prefix)].isalpha()
        ):
            rest = rest[len(prefix):].strip()
            implied = direction
            break
    match = _RANGE_RE.match(rest)
    if match and not implied:
        low, high = _to_decimal(match.group(1)), _to_decimal(match.group(2))
        unit = match.group(3).strip()
        if _UNIT_RE.match(unit):
            if low > high:
                low, high = high, low
            return ParsedNumber(text=text, value=None, low=low, high=high, unit=unit)
    match = _NUM_RE.match(rest)
    if match:
        unit = match.group(2).strip()
        if _UNIT_RE.match(unit):
            return ParsedNumber(
                text=text, value=_to_decimal(match.group(1)), unit=unit,
                implied_direction=implied,
            )
    raise ValueParseError(
        _("Not a number. Write e.g. 15, 3,72, minst 8, högst 2 or 0-2.")
    )


_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_YEAR_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR_RE = re.compile(r"^(\d{4})(?:\.0)?$")


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def parse_date(raw: Any, *, end: bool = False) -> dt.date | None:
    """Parse a date cell. A bare year/month means its first day, or its last if ``end``."""
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        raise ValueParseError(_("Not a date. Write YYYY-MM-DD or a year (YYYY)."))
    if isinstance(raw, (int, float)) and float(raw).is_integer() and 1900 <= raw <= 2200:
        year = int(raw)
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    text = str(raw).strip()
    if not text:
        return None
    try:
        if match := _ISO_DATE_RE.match(text):
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _YEAR_MONTH_RE.match(text):
            year, month = int(match.group(1)), int(match.group(2))
            return _month_end(year, month) if end else dt.date(year, month, 1)
        if match := _YEAR_RE.match(text):
            year = int(match.group(1))
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except ValueError:
        pass
    raise ValueParseError(_("Not a date. Write YYYY-MM-DD or a year (YYYY)."))


def _lookup(raw: str, words: dict[str, str], message: str, allowed: str) -> str:
    key = re.sub(r"\s+", " ", raw).strip().casefold().rstrip(".")
    if key in words:
        return words[key]
    raise ValueParseError(message % {"value": raw.strip(), "allowed": allowed})


def parse_status(raw: str) -> str:
    if not raw.strip():
        return "planned"
    return _lookup(
        raw, STATUS_WORDS,
        _("Unknown status “%(value)s”. Allowed values: %(allowed)s."), STATUS_ALLOWED_TEXT,
    )


def parse_kind(raw: str) -> str:
    if not raw.strip():
        return ""
    return _lookup(
        raw, KIND_WORDS,
        _("Unknown type “%(value)s”. Allowed values: %(allowed)s."), KIND_ALLOWED_TEXT,
    )


def parse_example(raw: str) -> bool:
    if not raw.strip():
        return False
    key = re.sub(r"\s+", " ", raw).strip().casefold().rstrip(".")
    if key in EXAMPLE_WORDS:
        return EXAMPLE_WORDS[key]
    raise ValueParseError(_("Unknown value “%(value)s”. Allowed values: %(allowed)s.")
                          % {"value": raw.strip(), "allowed": EXAMPLE_ALLOWED_TEXT})


def parse_goal_kind(raw: str) -> str:
    if not raw.strip():
        return ""
    return _lookup(
        raw, GOAL_KIND_WORDS,
        _("Unknown goal kind “%(value)s”. Allowed values: %(allowed)s."),
        GOAL_KIND_ALLOWED_TEXT,
    )


def parse_direction(raw: str) -> str:
    if not raw.strip():
        return ""
    return _lookup(
        raw, DIRECTION_WORDS,
        _("Unknown direction “%(value)s”. Allowed values: %(allowed)s."),
        DIRECTION_ALLOWED_TEXT,
    )


_AREA_SPLIT_RE = re.compile(r"\s*(?:[,;/]|\boch\b|\band\b)\s*", re.I)


def split_areas(text: str) -> list[str]:
    areas: list[str] = []
    for part in _AREA_SPLIT_RE.split(text):
        part = part.strip()
        if part and part not in areas:
            areas.append(part)
    return areas


_NUMBERED_TITLE_RE = re.compile(
    r"^(?:(fokusområde|område|samverkansområde|inriktning|focus area|delmål|sub-goal)\s*)?"
    r"(\d+)(?:\.(\d+))?\s*([.:)]|[-–—])?\s+(.+)$",
    re.I,
)


def split_number(text: str) -> tuple[int | None, str]:
    """"Fokusområde 1 – Stoppa skjutningar" -> (1, "Stoppa skjutningar"); "2.1 X" -> (1, "X").

    For a two-level number such as "2.1 Medborgardialog" the last level is returned (the
    sub-goal's number within its focus area).
    """
    text = re.sub(r"\s+", " ", text).strip()
    match = _NUMBERED_TITLE_RE.match(text)
    if not match:
        return None, text
    prefix, first, second, separator, title = match.groups()
    if not (prefix or second or separator):
        return None, text  # "100 % ren hårdträning" is a title, not number 100
    title = title.strip().lstrip("–—-:. ").strip()
    return int(second or first), title or text


# ------------------------------------------------------------------------- row reading


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _read_bytes(path_or_file: Any) -> bytes:
    if isinstance(path_or_file, (str, os.PathLike)):
        with open(path_or_file, "rb") as handle:
            return handle.read()
    if hasattr(path_or_file, "seek"):
        with contextlib.suppress(OSError, ValueError):
            path_or_file.seek(0)
    data = path_or_file.read()
    if isinstance(data, str):
        return data.encode("utf-8")
    return data


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    from samverkan.core.uploads import check_zip

    check_zip(data)  # a zip bomb is refused before openpyxl unpacks anything
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # files from other tools may carry wrong dimensions
        rows: list[list[Any]] = []
        for row in sheet.iter_rows():
            number = next((c.row for c in row if getattr(c, "row", None)), None)
            values = [c.value for c in row]
            if number is None:  # a fully empty row: keep the numbering
                rows.append([])
                continue
            while len(rows) < number - 1:
                rows.append([])
            rows.append(values)
        return rows
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> tuple[list[list[Any]], list[list[Any]]]:
    """Both readings of a CSV: with ``,`` and with ``;``."""
    text = importing.decode_text(data)  # UTF-8 (with or without BOM) or Windows-1252
    readings = []
    for delimiter in (",", ";"):
        readings.append([[cells.restore(value) for value in row] for row in
                         csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)])
    return readings[0], readings[1]


def _find_header(rows: list[list[Any]]) -> tuple[int, int] | None:
    """(index, number of known headers) of the first row with at least two known headers."""
    for index, row in enumerate(rows):
        known = {_HEADER_INDEX.get(_norm_header(v)) for v in row} - {None}
        if len(known) >= 2:
            return index, len(known)
    return None


# ----------------------------------------------------------------------------- parser


class _Builder:
    def __init__(self, headers: dict[str, str], plan: ParsedPlan) -> None:
        self.headers = headers  # key -> header as written
        self.plan = plan
        self.focus_area: ParsedFocusArea | None = None
        self.sub_goal: str | None = None
        self.implicit_warning = False

    def error(self, row: int, key: str, message: str) -> None:
        self.plan.errors.append(RowError(row, self.headers.get(key, ""), message))

    def _ensure_focus_area(self, row: int) -> ParsedFocusArea:
        if self.focus_area is None:
            self.focus_area = ParsedFocusArea(number=None, title="", row=row)
            self.plan.focus_areas.append(self.focus_area)
            if not self.implicit_warning:
                self.implicit_warning = True
                self.plan.warnings.append(
                    _("Row %(row)d: activities above the first focus area were put in a "
                      "focus area without a title.") % {"row": row}
                )
        return self.focus_area

    def _value(self, row: int, key: str, parser, raw: Any, **kwargs):
        try:
            return parser(raw, **kwargs)
        except ValueParseError as exc:
            self.error(row, key, str(exc))
            return None

    def row(self, number: int, cells: dict[str, Any]) -> None:
        text = {k: _cell_text(v) for k, v in cells.items()}
        fa_text = text.get("focus_area", "")
        goal_text = text.get("goal", "")
        sub_goal_text = text.get("sub_goal", "")
        title = text.get("activity", "")
        indicator_name = text.get("indicator", "")

        if fa_text:
            fa_number, fa_title = split_number(fa_text)
            current = self.focus_area
            if current is None or (current.number, current.title) != (fa_number, fa_title):
                self.focus_area = ParsedFocusArea(fa_number, fa_title, row=number)
                self.plan.focus_areas.append(self.focus_area)
                self.sub_goal = None
        if goal_text and (fa_text or not (title or indicator_name)):
            area = self._ensure_focus_area(number)
            if not area.goal:
                area.goal = goal_text
            elif area.goal != goal_text:
                self.plan.warnings.append(
                    _("Row %(row)d: a second goal for the focus area “%(area)s” was ignored.")
                    % {"row": number, "area": area.title}
                )
        if sub_goal_text:
            area = self._ensure_focus_area(number)
            sg_number, sg_text = split_number(sub_goal_text)
            if not any(sg.text == sg_text for sg in area.sub_goals):
                area.sub_goals.append(ParsedSubGoal(sg_number, sg_text, number))
            self.sub_goal = sg_text

        # Values are validated on every row, so that all errors are reported.
        status = self._value(number, "status", parse_status, text.get("status", ""))
        kind = self._value(number, "kind", parse_kind, text.get("kind", ""))
        example = bool(self._value(number, "example", parse_example, text.get("example", "")))
        indicator = self._indicator(number, cells, text)
        if indicator is not None:
            indicator.example = example

        if not title and not indicator_name and not fa_text:
            other = [
                k for k, v in text.items()
                if v and k not in _HEADING_KEYS and k not in _INDICATOR_VALUE_KEYS
            ]
            if other:
                self.error(number, "activity" if "activity" in self.headers else other[0],
                           _("Missing activity title."))
            elif any(text.get(k) for k in _INDICATOR_VALUE_KEYS):
                self.error(number, "indicator" if "indicator" in self.headers else "activity",
                           _("Missing indicator name."))
            return
        if not title and not indicator_name:
            return  # a focus area heading row (perhaps with Mål/Delmål)

        area = self._ensure_focus_area(number)
        if not title:
            if indicator is not None:
                indicator.sub_goal = self.sub_goal if sub_goal_text else None
                area.indicators.append(indicator)
            return

        activity = None
        if indicator_name and area.activities and area.activities[-1].title == title:
            activity = area.activities[-1]  # an extra indicator row for the activity above
        if activity is None:
            start = self._value(number, "start_date", parse_date, cells.get("start_date"))
            end = self._value(number, "end_date", parse_date, cells.get("end_date"), end=True)
            timing_text = text.get("timing", "")
            if timing_text and not text.get("start_date") and not text.get("end_date"):
                # No Start/Slut written: take what can be read from the När text.
                start, end = parse_timing(timing_text)
            activity = ParsedActivity(
                row=number,
                title=title,
                sub_goal=self.sub_goal,
                description=text.get("description", ""),
                cause=text.get("cause", ""),
                goal=text.get("activity_goal", ""),
                status=status or "planned",
                kind=kind or "",
                municipality_action=text.get("municipality_action", ""),
                police_action=text.get("police_action", ""),
                other_action=text.get("other_action", ""),
                responsible_text=text.get("responsible", ""),
                timing_text=timing_text,
                start_date=start,
                end_date=end,
                expected_effect=text.get("effect", ""),
                communication=text.get("communication", ""),
                areas=split_areas(text.get("areas", "")),
                example=example,
            )
            if start and end and end < start:
                self.error(number, "end_date", _("The end date is before the start date."))
            area.activities.append(activity)
        if indicator is not None:
            indicator.sub_goal = activity.sub_goal
            activity.indicators.append(indicator)

    def _indicator(self, number: int, cells: dict[str, Any], text: dict[str, str]):
        name = text.get("indicator", "")
        baseline = self._value(number, "baseline", parse_number, cells.get("baseline"))
        target = self._value(number, "target", parse_number, cells.get("target"))
        baseline_date = self._value(
            number, "baseline_date", parse_date, cells.get("baseline_date")
        )
        target_date = self._value(
            number, "target_date", parse_date, cells.get("target_date"), end=True
        )
        goal_kind = self._value(number, "goal_kind", parse_goal_kind, text.get("goal_kind", ""))
        direction = self._value(number, "direction", parse_direction, text.get("direction", ""))
        if not name:
            return None
        if not direction:
            direction = infer_direction(baseline, target)
        unit = text.get("unit", "") or (target.unit if target else "") or (
            baseline.unit if baseline else ""
        )
        return ParsedIndicator(
            row=number,
            name=name,
            goal_kind=goal_kind or "",
            unit=unit,
            direction=direction,
            baseline_value=baseline.bound(direction) if baseline else None,
            baseline_text=baseline.text if baseline else "",
            baseline_date=baseline_date,
            target_value=target.bound(direction) if target else None,
            target_text=target.text if target else "",
            target_date=target_date,
            data_source=text.get("data_source", ""),
        )


def infer_direction(baseline: ParsedNumber | None, target: ParsedNumber | None) -> str:
    """"minst"/"högst" first (target, then baseline), then baseline vs target; else higher."""
    for number in (target, baseline):
        if number is not None and number.implied_direction:
            return number.implied_direction
    if baseline is not None and target is not None:
        before, after = baseline.midpoint(), target.midpoint()
        if before is not None and after is not None and after < before:
            return "lower"
    return "higher"


def parse_plan_table(path_or_file: Any, filename: str | None = None) -> ParsedPlan:
    """Read an XLSX (first sheet) or CSV action plan table into a ``ParsedPlan``.

    ``path_or_file`` is a path or a binary file object (e.g. an uploaded file);
    ``filename`` decides the format by its extension (defaults to the path's name).
    """
    if filename is None:
        filename = str(getattr(path_or_file, "name", path_or_file))
    plan = ParsedPlan()
    extension = os.path.splitext(filename)[1].lower()
    data = _read_bytes(path_or_file)
    try:
        if extension in (".xlsx", ".xlsm"):
            from samverkan.core.uploads import UnsafeFile

            try:
                rows = _xlsx_rows(data)
            except UnsafeFile as error:
                plan.errors.append(RowError(0, "", str(error)))
                return plan
            except Exception:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
                plan.errors.append(RowError(0, "", _("The file is not a readable XLSX file.")))
                return plan
            found = _find_header(rows)
        elif extension in (".csv", ".txt"):
            comma, semicolon = _csv_rows(data)
            found_comma, found_semicolon = _find_header(comma), _find_header(semicolon)
            rows, found = comma, found_comma
            if found_semicolon and (
                not found_comma or found_semicolon[1] > found_comma[1]
                or (found_semicolon[1] == found_comma[1]
                    and found_semicolon[0] < found_comma[0])
            ):
                rows, found = semicolon, found_semicolon
        else:
            plan.errors.append(
                RowError(0, "", _("Unsupported file type. Use an XLSX or CSV file."))
            )
            return plan
    except ValueParseError as exc:
        plan.errors.append(RowError(0, "", str(exc)))
        return plan

    if found is None:
        plan.errors.append(RowError(0, "", _(
            "No header row found. The table needs a row with column headers such as "
            "Fokusområde, Aktivitet and Status."
        )))
        return plan
    header_index, _count = found
    header_row = rows[header_index]
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    for position, value in enumerate(header_row):
        written = _cell_text(value)
        if not written:
            continue
        key = _HEADER_INDEX.get(_norm_header(value))
        if key is None:
            plan.warnings.append(
                _("Unknown column “%(header)s” was ignored.") % {"header": written}
            )
        elif key in headers:
            plan.warnings.append(
                _("The column “%(header)s” appears twice; the second one was ignored.")
                % {"header": written}
            )
        else:
            headers[key] = written
            positions[key] = position
    if "activity" not in headers and "focus_area" not in headers:
        plan.errors.append(RowError(header_index + 1, "", _(
            "The table needs an Aktivitet or a Fokusområde column."
        )))
        return plan

    plan.columns = dict(headers)
    builder = _Builder(headers, plan)
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        cells: dict[str, Any] = {}
        for key, position in positions.items():
            value = row[position] if position < len(row) else None
            if isinstance(value, str):
                value = value.strip()
            cells[key] = value
        if all(v is None or v == "" for v in cells.values()):
            continue
        plan.rows += 1
        builder.row(index + 1, cells)
    return plan


def plan_to_rows(plan: ParsedPlan) -> list[list[str]]:
    """The plan as canonical rows (header first), the inverse of ``parse_plan_table``.

    Each focus area becomes a heading row (Fokusområde + Mål), each sub-goal a Delmål row,
    each activity one row, each extra indicator its own row.
    """

    def fmt_date(value: dt.date | None) -> str:
        return value.isoformat() if value else ""

    def indicator_cells(ind: ParsedIndicator) -> dict[str, str]:
        return {
            "indicator": ind.name,
            "goal_kind": {"effect": "effekt", "process": "process",
                          "production": "prestation"}.get(ind.goal_kind, ""),
            "unit": ind.unit,
            "direction": "lägre är bättre" if ind.direction == "lower" else "högre är bättre",
            "baseline": ind.baseline_text or _num_text(ind.baseline_value),
            "baseline_date": fmt_date(ind.baseline_date),
            "target": ind.target_text or _num_text(ind.target_value),
            "target_date": fmt_date(ind.target_date),
            "data_source": ind.data_source,
            "example": EXAMPLE_LABEL if ind.example else "",
        }

    status_sv = {"ongoing": "pågående", "planned": "planerad", "possible": "tänkbar",
                 "done": "genomförd", "cancelled": "avbruten"}
    kind_sv = {"one_off": "engångsinsats", "ordinary": "ordinarie verksamhet"}
    keys = [c.key for c in COLUMNS]
    out = [list(CANONICAL_HEADERS)]
    if _has_examples(plan):
        keys.insert(0, EXAMPLE_COLUMN.key)
        out[0].insert(0, EXAMPLE_COLUMN.label)

    def emit(values: dict[str, str]) -> None:
        out.append([values.get(k, "") for k in keys])

    for area in plan.focus_areas:
        title = f"{area.number}. {area.title}" if area.number is not None else area.title
        emit({"focus_area": title, "goal": area.goal})
        for ind in area.indicators:
            if ind.sub_goal is None:
                emit(indicator_cells(ind))
        sub_goal_texts = {sub_goal.text for sub_goal in area.sub_goals}
        # Activities without a (known) sub-goal first: a Delmål row stays current below it.
        for act in area.activities:
            if act.sub_goal not in sub_goal_texts:
                _emit_activity(emit, act, status_sv, kind_sv, indicator_cells, fmt_date)
        for sub_goal in area.sub_goals:
            text = f"{sub_goal.number}. {sub_goal.text}" if sub_goal.number else sub_goal.text
            emit({"sub_goal": text})
            for ind in area.indicators:
                if ind.sub_goal == sub_goal.text:
                    emit({"sub_goal": text, **indicator_cells(ind)})
            for act in area.activities:
                if act.sub_goal == sub_goal.text:
                    _emit_activity(emit, act, status_sv, kind_sv, indicator_cells, fmt_date)
    return out


def _has_examples(plan: ParsedPlan) -> bool:
    return any(a.example or any(i.example for i in a.indicators) for a in plan.activities) \
        or any(i.example for fa in plan.focus_areas for i in fa.indicators)


def _num_text(value: Decimal | None) -> str:
    return "" if value is None else str(value).replace(".", ",")


def _emit_activity(emit, act, status_sv, kind_sv, indicator_cells, fmt_date) -> None:
    base = {
        "activity": act.title, "description": act.description, "cause": act.cause,
        "activity_goal": act.goal, "status": status_sv.get(act.status, ""),
        "kind": kind_sv.get(act.kind, ""), "municipality_action": act.municipality_action,
        "police_action": act.police_action, "other_action": act.other_action,
        "responsible": act.responsible_text, "timing": act.timing_text,
        "start_date": fmt_date(act.start_date), "end_date": fmt_date(act.end_date),
        "effect": act.expected_effect, "communication": act.communication,
        "areas": ", ".join(act.areas),
        "example": EXAMPLE_LABEL if act.example else "",
    }
    if not act.indicators:
        emit(base)
        return
    first = indicator_cells(act.indicators[0])
    # One row holds the activity and its first indicator: either being an example marks it.
    emit({**base, **first, "example": base["example"] or first["example"]})
    for ind in act.indicators[1:]:
        emit({"activity": act.title, **indicator_cells(ind)})
