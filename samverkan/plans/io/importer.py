"""Import an action plan table (XLSX or CSV) into an agreement.

``import_plan(file, filename, agreement=, actor=, dry_run=False)`` reads the table with
``parse_plan_table`` and writes it through the services of the agreements and plans apps:

* Any error in the file: nothing is written, every bad row is listed.
* The writing happens in ONE transaction: a record the services refuse (e.g. a target equal
  to its baseline) is reported with its row and column, and everything is rolled back.
  A dry run does all the same work and then rolls back, so its counts and errors are
  exactly what a real import would give.
* Importing the same file again changes nothing: focus areas are matched by (number, title)
  or title, sub-goals by their text, activities and indicators by a stable ``row_key``
  (a hash of the focus area's title, the activity's title and the municipality's action,
  normalised). A changed row updates the existing record; an unchanged row writes nothing,
  not even an audit entry.
* Only the columns the file has are compared: a file without a Status column leaves the
  statuses as they are. In a column the file has, the file's value wins (an empty Åtgärd
  polis cell removes the police contribution of that activity).
* Organisations named in Ansvarig and the committees in Åtgärd kommun ("(KS, BUN, SN)")
  are linked where recognised by the plans services; the text is kept as written.
* Geografiskt område links the activity to the agreement's priority areas by name; an area
  the agreement does not have yet is added to it (and named in the warnings).
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from samverkan.agreements import services as agreement_services
from samverkan.agreements.models import FocusArea, PriorityArea, SubGoal
from samverkan.core import importing
from samverkan.plans import services as plan_services
from samverkan.plans.choices import ContributionParty
from samverkan.plans.io.table import (
    ParsedActivity,
    ParsedFocusArea,
    ParsedIndicator,
    ParsedPlan,
    RowError,
    parse_plan_table,
)
from samverkan.plans.models import Activity, Indicator

# Activity field -> the file columns it is read from. A field is compared with the database
# only when the file has one of its columns.
ACTIVITY_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "description": ("description",),
    "cause": ("cause",),
    "goal": ("activity_goal",),
    "status": ("status",),
    "kind": ("kind",),
    "responsible_text": ("responsible",),
    "timing_text": ("timing",),
    "start_date": ("start_date", "end_date", "timing"),
    "end_date": ("start_date", "end_date", "timing"),
    "expected_effect": ("effect",),
    "communication": ("communication",),
    "areas_text": ("areas",),
    "priority_areas": ("areas",),
    "sub_goal": ("sub_goal",),
    "is_example": ("example",),
}

INDICATOR_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "goal_kind": ("goal_kind",),
    "unit": ("unit", "baseline", "target"),
    "direction": ("direction", "baseline", "target"),
    "baseline_value": ("baseline",),
    "baseline_text": ("baseline",),
    "baseline_date": ("baseline_date",),
    "target_value": ("target",),
    "target_text": ("target",),
    "target_date": ("target_date",),
    "data_source": ("data_source",),
    "is_example": ("example",),
}

CONTRIBUTION_COLUMNS = {
    ContributionParty.MUNICIPALITY: "municipality_action",
    ContributionParty.POLICE: "police_action",
    ContributionParty.OTHER: "other_action",
}

# Model field -> file column, to name the column of an error the services report.
FIELD_COLUMN: dict[str, str] = {
    "title": "activity", "description": "description", "cause": "cause",
    "goal": "activity_goal", "status": "status", "kind": "kind",
    "responsible_text": "responsible", "timing_text": "timing", "start_date": "start_date",
    "end_date": "end_date", "expected_effect": "effect", "communication": "communication",
    "areas_text": "areas", "priority_areas": "areas", "sub_goal": "sub_goal",
    "name": "indicator", "goal_kind": "goal_kind", "unit": "unit", "direction": "direction",
    "baseline_value": "baseline", "baseline_text": "baseline", "baseline_date": "baseline_date",
    "target_value": "target", "target_text": "target", "target_date": "target_date",
    "data_source": "data_source", "text": "activity", "is_example": "example",
}

KINDS = ("focus_area", "sub_goal", "activity", "indicator", "priority_area")


@dataclass
class ImportResult:
    """What a file holds, what the import did (or would do), and what went wrong."""

    focus_areas: int = 0
    activities: int = 0
    indicators: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)  # kind -> number of records
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    dry_run: bool = False
    plan: ParsedPlan | None = field(default=None, repr=False)  # what the file was read as

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        """True when the import's changes were committed."""
        return self.ok and not self.dry_run

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def to_json(self) -> dict[str, Any]:
        """The fixed contract of ``import_plan --json`` and the import API."""
        return {
            "focus_areas": self.focus_areas,
            "activities": self.activities,
            "indicators": self.indicators,
            "rows": self.rows,
            "errors": [
                {"row": e.row, "column": e.column, "message": str(e.message)}
                for e in self.errors
            ],
        }


# ---------------------------------------------------------------------------------- keys


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


def _hash(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(_norm(p) for p in parts).encode("utf-8")).hexdigest()


def activity_row_key(focus_area_title: str, title: str, municipality_action: str) -> str:
    """The stable key of an activity across re-imports of the same plan."""
    return _hash("activity", focus_area_title, title, municipality_action)


def indicator_row_key(focus_area_title: str, subject: str, name: str) -> str:
    """``subject``: the activity's row key, "sub-goal:<text>" or "" (the focus area)."""
    return _hash("indicator", focus_area_title, subject, name)


def _municipality_text(activity: Activity) -> str:
    return "\n".join(c.text for c in activity.contributions.all()
                     if c.party == ContributionParty.MUNICIPALITY)


def _indicator_subject(indicator: Indicator) -> str:
    if indicator.activity_id:
        activity = indicator.activity
        return activity.row_key or activity_row_key(
            activity.focus_area.title, activity.title, _municipality_text(activity))
    if indicator.sub_goal_id:
        return "sub-goal:" + indicator.sub_goal.text
    return ""


# ------------------------------------------------------------------------------ importer


class _Abort(Exception):
    """A record could not be written; the error is already recorded."""


class _Importer:
    def __init__(self, plan: ParsedPlan, agreement, actor, result: ImportResult) -> None:
        self.plan = plan
        self.columns = plan.columns
        self.agreement = agreement
        self.actor = actor
        self.result = result
        self.focus_areas = list(FocusArea.objects.filter(agreement=agreement))
        self.seen: set[tuple[str, int]] = set()
        self.priority_areas = {
            _norm(area.name): area for area in PriorityArea.objects.filter(agreement=agreement)
        }
        activities = Activity.objects.filter(agreement=agreement).select_related(
            "focus_area", "sub_goal").prefetch_related(
            "contributions__committees", "priority_areas")
        self.activities: dict[str, Activity] = {}
        for activity in activities:
            key = activity.row_key or activity_row_key(
                activity.focus_area.title, activity.title, _municipality_text(activity))
            self.activities.setdefault(key, activity)
        indicators = Indicator.objects.filter(agreement=agreement).select_related(
            "focus_area", "sub_goal", "activity__focus_area").prefetch_related(
            "activity__contributions")
        self.indicators: dict[str, Indicator] = {}
        for indicator in indicators:
            key = indicator.row_key
            if not key:
                area = indicator.focus_area or (
                    indicator.activity.focus_area if indicator.activity_id
                    else indicator.sub_goal.focus_area)
                key = indicator_row_key(area.title, _indicator_subject(indicator),
                                        indicator.name)
            self.indicators.setdefault(key, indicator)
        self.used_keys: Counter = Counter()
        self.new_areas: list[str] = []

    # -- helpers --------------------------------------------------------------------------
    def has(self, columns: tuple[str, ...]) -> bool:
        return any(c in self.columns for c in columns)

    def count(self, kind: str, outcome: str, obj) -> None:
        marker = (kind, obj.pk)
        if marker in self.seen:
            return
        self.seen.add(marker)
        getattr(self.result, outcome)[kind] += 1

    def unique_key(self, key: str) -> str:
        """Identical rows in one file get distinct keys (2nd, 3rd occurrence)."""
        self.used_keys[key] += 1
        n = self.used_keys[key]
        return key if n == 1 else _hash(key, f"#{n}")

    def write(self, row: int, default_column: str, function, *args, **kwargs):
        """Run one service call in a savepoint; a refusal becomes a row error."""
        try:
            with transaction.atomic():
                return function(*args, **kwargs)
        except ValidationError as error:
            self.record_error(row, default_column, error)
        except IntegrityError:
            self.result.errors.append(RowError(row, self.header(default_column), _(
                "The row could not be saved.")))
        raise _Abort

    def header(self, key: str) -> str:
        return self.columns.get(key, "")

    def record_error(self, row: int, default_column: str, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                column = self.header(FIELD_COLUMN.get(name, default_column))
                for message in messages:
                    self.result.errors.append(RowError(row, column, str(message)))
        else:
            for message in error.messages:
                self.result.errors.append(
                    RowError(row, self.header(default_column), str(message)))

    # -- the plan -------------------------------------------------------------------------
    def run(self) -> None:
        for parsed in self.plan.focus_areas:
            try:
                focus_area = self.focus_area(parsed)
            except _Abort:
                continue
            sub_goals = self.sub_goals(parsed, focus_area)
            for activity in parsed.activities:
                try:
                    obj, key = self.activity(activity, focus_area, sub_goals)
                except _Abort:
                    continue
                for indicator in activity.indicators:
                    self.indicator(indicator, focus_area, key, activity=obj)
            for indicator in parsed.indicators:
                sub_goal = sub_goals.get(_norm(indicator.sub_goal)) if indicator.sub_goal \
                    else None
                subject = f"sub-goal:{sub_goal.text}" if sub_goal else ""
                self.indicator(indicator, focus_area, subject, sub_goal=sub_goal)
        if self.new_areas:
            self.result.warnings.append(_(
                "These areas are not among the agreement's priority areas yet and are added: "
                "%(areas)s.") % {"areas": ", ".join(self.new_areas)})

    def focus_area(self, parsed: ParsedFocusArea) -> FocusArea:
        title = parsed.title or _("Other activities")
        match = next((fa for fa in self.focus_areas if parsed.number is not None
                      and fa.number == parsed.number and _norm(fa.title) == _norm(title)), None)
        if match is None:
            match = next((fa for fa in self.focus_areas if _norm(fa.title) == _norm(title)), None)
        if match is None:
            created = self.write(parsed.row, "focus_area", agreement_services.create_focus_area,
                                 actor=self.actor, agreement=self.agreement,
                                 number=parsed.number, title=title, goal=parsed.goal)
            self.focus_areas.append(created)
            self.count("focus_area", "created", created)
            return created
        changes = {}
        if parsed.goal and parsed.goal != match.goal:
            changes["goal"] = parsed.goal
        if parsed.number is not None and parsed.number != match.number:
            changes["number"] = parsed.number
        if changes:
            match = self.write(parsed.row, "focus_area", agreement_services.update_focus_area,
                               match, actor=self.actor, **changes)
            self.count("focus_area", "updated", match)
        else:
            self.count("focus_area", "unchanged", match)
        return match

    def sub_goals(self, parsed: ParsedFocusArea, focus_area: FocusArea) -> dict[str, SubGoal]:
        existing = {_norm(sg.text): sg for sg in SubGoal.objects.filter(focus_area=focus_area)}
        for item in parsed.sub_goals:
            match = existing.get(_norm(item.text))
            try:
                if match is None:
                    match = self.write(item.row, "sub_goal", agreement_services.add_sub_goal,
                                       actor=self.actor, focus_area=focus_area,
                                       number=item.number, text=item.text)
                    existing[_norm(item.text)] = match
                    self.count("sub_goal", "created", match)
                elif item.number is not None and item.number != match.number:
                    match = self.write(item.row, "sub_goal", agreement_services.update_sub_goal,
                                       match, actor=self.actor, number=item.number)
                    self.count("sub_goal", "updated", match)
                else:
                    self.count("sub_goal", "unchanged", match)
            except _Abort:
                continue
        return existing

    def priority_area_list(self, parsed: ParsedActivity) -> list[PriorityArea]:
        areas = []
        for name in parsed.areas:
            area = self.priority_areas.get(_norm(name))
            if area is None:
                area = self.write(parsed.row, "areas", agreement_services.add_priority_area,
                                  actor=self.actor, agreement=self.agreement, name=name)
                self.priority_areas[_norm(name)] = area
                self.count("priority_area", "created", area)
                self.new_areas.append(name)
            if area not in areas:
                areas.append(area)
        return areas

    def activity_fields(self, parsed: ParsedActivity, sub_goals: dict[str, SubGoal]) -> dict:
        values = {
            "description": parsed.description,
            "cause": parsed.cause,
            "goal": parsed.goal,
            "status": parsed.status,
            "kind": parsed.kind,
            "responsible_text": parsed.responsible_text,
            "timing_text": parsed.timing_text,
            "start_date": parsed.start_date,
            "end_date": parsed.end_date,
            "expected_effect": parsed.expected_effect,
            "communication": parsed.communication,
            "areas_text": ", ".join(parsed.areas),
            "sub_goal": sub_goals.get(_norm(parsed.sub_goal)) if parsed.sub_goal else None,
            "is_example": parsed.example,
        }
        fields = {k: v for k, v in values.items() if self.has(ACTIVITY_FIELD_COLUMNS[k])}
        if self.has(ACTIVITY_FIELD_COLUMNS["priority_areas"]):
            fields["priority_areas"] = self.priority_area_list(parsed)
        return fields

    def activity(self, parsed: ParsedActivity, focus_area: FocusArea,
                 sub_goals: dict[str, SubGoal]) -> tuple[Activity, str]:
        key = self.unique_key(
            activity_row_key(focus_area.title, parsed.title, parsed.municipality_action))
        fields = self.activity_fields(parsed, sub_goals)
        texts = {party: getattr(parsed, column) for party, column in CONTRIBUTION_COLUMNS.items()
                 if column in self.columns}
        existing = self.activities.get(key)
        if existing is None or existing.focus_area_id != focus_area.pk:
            contributions = [{"party": party, "text": text} for party, text in texts.items()
                             if text]
            created = self.write(parsed.row, "activity", plan_services.create_activity,
                                 actor=self.actor, focus_area=focus_area, title=parsed.title,
                                 contributions=contributions, row_key=key, **fields)
            self.activities[key] = created
            self.count("activity", "created", created)
            return created, key

        changes = {name: value for name, value in fields.items()
                   if not _same(getattr_value(existing, name), value)}
        if parsed.title != existing.title:
            changes["title"] = parsed.title
        contributions = _contribution_changes(existing, texts)
        if changes and not existing.row_key:
            changes["row_key"] = key
        if not changes and contributions is None:
            self.count("activity", "unchanged", existing)
            return existing, key
        kwargs = dict(changes)
        if contributions is not None:
            kwargs["contributions"] = contributions
        updated = self.write(parsed.row, "activity", plan_services.update_activity, existing,
                             actor=self.actor, **kwargs)
        self.count("activity", "updated", updated)
        return updated, key

    def indicator(self, parsed: ParsedIndicator, focus_area: FocusArea, subject: str, *,
                  activity: Activity | None = None, sub_goal: SubGoal | None = None) -> None:
        key = self.unique_key(indicator_row_key(focus_area.title, subject, parsed.name))
        values = {
            "goal_kind": parsed.goal_kind, "unit": parsed.unit, "direction": parsed.direction,
            "baseline_value": parsed.baseline_value, "baseline_text": parsed.baseline_text,
            "baseline_date": parsed.baseline_date, "target_value": parsed.target_value,
            "target_text": parsed.target_text, "target_date": parsed.target_date,
            "data_source": parsed.data_source,
        }
        if self.has(INDICATOR_FIELD_COLUMNS["is_example"]):
            values["is_example"] = parsed.example
        existing = self.indicators.get(key)
        try:
            if existing is None:
                created = self.write(parsed.row, "indicator", plan_services.create_indicator,
                                     actor=self.actor, focus_area=focus_area, sub_goal=sub_goal,
                                     activity=activity, name=parsed.name, row_key=key,
                                     **values)
                self.indicators[key] = created
                self.count("indicator", "created", created)
                return
            fields = {k: v for k, v in values.items() if self.has(INDICATOR_FIELD_COLUMNS[k])}
            changes = {k: v for k, v in fields.items() if not _same(getattr(existing, k), v)}
            if parsed.name != existing.name:
                changes["name"] = parsed.name
            if changes and not existing.row_key:
                changes["row_key"] = key
            if changes:
                updated = self.write(parsed.row, "indicator", plan_services.update_indicator,
                                     existing, actor=self.actor, **changes)
                self.count("indicator", "updated", updated)
            else:
                self.count("indicator", "unchanged", existing)
        except _Abort:
            return


def getattr_value(activity: Activity, name: str):
    if name == "priority_areas":
        return list(activity.priority_areas.all())
    return getattr(activity, name)


def _same(current, new) -> bool:
    if isinstance(new, list):
        return {o.pk for o in current} == {o.pk for o in new}
    if current is None or new is None:
        return current is None and new is None
    return current == new


def _contribution_changes(activity: Activity, texts: dict[str, str]) -> list[dict] | None:
    """The activity's new list of contributions for ``update_activity``, or None when the
    file's columns say the same as the database. Parties whose column the file lacks are
    kept as they are."""
    by_party: dict[str, list] = {}
    for contribution in activity.contributions.all():
        by_party.setdefault(contribution.party, []).append(contribution)
    changed = False
    for party, text in texts.items():
        current = "\n".join(c.text for c in by_party.get(party, []))
        if current.strip() != text.strip():
            changed = True
    if not changed:
        return None

    def keep(c) -> dict:
        return {"id": c.pk, "party": c.party, "text": c.text, "organization": c.organization,
                "committees": list(c.committees.all())}

    result: list[dict] = []
    for party, contributions in by_party.items():
        if party not in texts:
            result.extend(keep(c) for c in contributions)
    for party, text in texts.items():
        current = by_party.get(party, [])
        if "\n".join(c.text for c in current).strip() == text.strip():
            result.extend(keep(c) for c in current)
        elif text:
            first = {"party": party, "text": text, "organization": None}
            if current:
                first["id"] = current[0].pk
                first["organization"] = current[0].organization
            result.append(first)
    return result


# ---------------------------------------------------------------------------------- entry


def import_plan(file, filename: str | None = None, *, agreement, actor,
                dry_run: bool = False) -> ImportResult:
    """Import an action plan table into ``agreement`` as ``actor`` (None: the system).

    ``file``: a path or a binary file object; ``filename`` decides XLSX or CSV by its
    extension. Any error: nothing is written (see the module's docstring)."""
    plan = parse_plan_table(file, filename)
    result = ImportResult(
        focus_areas=len(plan.focus_areas),
        activities=len(plan.activities),
        indicators=sum(len(fa.indicators) + sum(len(a.indicators) for a in fa.activities)
                       for fa in plan.focus_areas),
        rows=plan.rows,
        errors=list(plan.errors),
        warnings=list(plan.warnings),
        dry_run=dry_run,
        plan=plan,
    )
    if not plan.ok:
        return result
    # One transaction, rolled back on any error and at the end of a dry run.
    with importing.all_or_nothing(dry_run=dry_run):
        _Importer(plan, agreement, actor, result).run()
        if result.errors:
            transaction.set_rollback(True)
    result.errors.sort(key=lambda e: e.row)
    return result
