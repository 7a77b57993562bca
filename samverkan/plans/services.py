"""Writes for the action plan: activities with each party's contribution, indicators and
their measurements.

Pages, the API, the plan importer and the demo loader all call these functions. Each one
validates, writes inside one transaction and writes one audit entry per record it writes,
with the acting user explicit (`actor`; None means the system, e.g. an import command).

Plan texts are kept as written; what can be recognised in them is linked as well:

- a contribution's committees from the abbreviations in its text, "(KS, BUN, SN)";
- an activity's responsible organisations from `responsible_text` (abbreviations, names
  and other names of the municipality's organisations) and the contributions' committees;
- an activity's start and end from `timing_text` ("Hösten 2016", "Påbörjas 2016 ...").
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from samverkan.core import access
from samverkan.core import services as core
from samverkan.core.choices import Role
from samverkan.organizations.models import Organization

from .choices import ActivityStatus, ContributionParty
from .models import Activity, Contribution, Indicator, Measurement
from .responsible import OrgCandidate, committee_abbreviations, match_organizations
from .timing import parse_timing

CONTRIBUTION_KEYS = {"id", "party", "text", "organization", "committees", "confidentiality",
                     "restricted_to"}


# --------------------------------------------------------------------------- recognition


def organization_candidates(municipality) -> list[OrgCandidate]:
    """The municipality's organisations as candidates for `match_organizations`."""
    return [
        OrgCandidate(org.pk, org.name, org.abbreviation, org.alias_list)
        for org in Organization.objects.filter(municipality=municipality)
    ]


def recognise_committees(text: str, municipality) -> list[Organization]:
    """The organisations whose abbreviation is written in parentheses in `text`
    ("(KS, KFN, TSN)", "(KS; KFN)"), in the order written; unknown abbreviations are skipped."""
    abbreviations = committee_abbreviations(text)
    if not abbreviations:
        return []
    by_abbreviation: dict[str, Organization] = {}
    for org in Organization.objects.filter(municipality=municipality,
                                           abbreviation__in=abbreviations).order_by("pk"):
        by_abbreviation.setdefault(org.abbreviation, org)
    return [by_abbreviation[a] for a in abbreviations if a in by_abbreviation]


def recognise_organizations(text: str, municipality) -> list[Organization]:
    """The municipality's organisations named in `text` ("Kommunen i samverkan med polis,
    räddningstjänst, socialtjänst och handeln"), in order of appearance."""
    ids = match_organizations(text, organization_candidates(municipality))
    if not ids:
        return []
    orgs = Organization.objects.in_bulk(ids)
    return [orgs[i] for i in ids if i in orgs]


# ------------------------------------------------------------------------------ helpers


def _with_parsed_timing(fields: dict) -> dict:
    """Fill start_date/end_date from timing_text when neither date is given."""
    text = fields.get("timing_text")
    if text and fields.get("start_date") is None and fields.get("end_date") is None:
        start, end = parse_timing(text)
        fields["start_date"], fields["end_date"] = start, end
    return fields


def _normalise_contribution(raw: Mapping, municipality) -> dict:
    unknown = set(raw) - CONTRIBUTION_KEYS
    if unknown:
        raise ValidationError(_("Unknown contribution fields: %(fields)s") % {
            "fields": ", ".join(sorted(unknown))})
    data = {
        "party": raw.get("party") or "",
        "text": (raw.get("text") or "").strip(),
        "organization": raw.get("organization"),
    }
    committees = raw.get("committees")
    if committees is None:
        committees = (recognise_committees(data["text"], municipality)
                      if data["party"] == ContributionParty.MUNICIPALITY else [])
    data["committees"] = list(committees)
    # The access level is stored as sent (a restricted contribution stays restricted).
    for key in ("confidentiality", "restricted_to"):
        if raw.get(key) is not None:
            data[key] = list(raw[key]) if key == "restricted_to" else raw[key]
    if raw.get("id") is not None:
        data["id"] = raw["id"]
    return data


def _linked_responsible(text: str, contributions: Iterable[dict], municipality) -> list:
    linked = recognise_organizations(text, municipality)
    for contribution in contributions:
        for committee in contribution.get("committees", ()):
            if committee not in linked:
                linked.append(committee)
    return linked


def _check_party(party: str) -> None:
    if party not in ContributionParty.values:
        raise ValidationError({"party": _("Choose municipality, police or other.")})


def _create_contribution(activity: Activity, data: dict, *, actor) -> Contribution:
    _check_party(data["party"])
    fields = {k: v for k, v in data.items() if k != "id"}
    return core.create(Contribution, actor=actor, data=fields, activity=activity)


# ---------------------------------------------------------------------------- activities


@transaction.atomic
def create_activity(*, actor, focus_area, title: str, contributions: Sequence[Mapping] = (),
                    responsible_organizations=None, **fields) -> Activity:
    """Create an activity with each party's contribution.

    `contributions`: dicts {party: "municipality"|"police"|"other", text, organization
    (optional), committees (optional list of Organization)}; without committees they are
    recognised from the abbreviations in the text. Without `responsible_organizations` the
    responsible organisations are linked from `responsible_text` and the contributions'
    committees. Without start_date and end_date they are parsed from `timing_text`.
    One audit entry for the activity and one per contribution."""
    municipality = focus_area.municipality
    contributions = [_normalise_contribution(c, municipality) for c in contributions]
    if responsible_organizations is None:
        responsible_organizations = _linked_responsible(
            fields.get("responsible_text", ""), contributions, municipality)
    data = _with_parsed_timing(dict(fields))
    data.update(title=title, focus_area=focus_area,
                responsible_organizations=list(responsible_organizations))
    activity = core.create(Activity, actor=actor, data=data, municipality=municipality)
    for contribution in contributions:
        _create_contribution(activity, contribution, actor=actor)
    return activity


@transaction.atomic
def update_activity(activity: Activity, *, actor, contributions: Sequence[Mapping] | None = None,
                    **fields) -> Activity:
    """Change an activity; audited once when something changed.

    `contributions`, when given, is the whole new list: a dict with `id` changes that
    contribution of this activity, a dict without `id` adds one, and contributions left out
    are deleted. Passing `responsible_organizations=None` (or changing `responsible_text` or
    the contributions without passing it) links them again from the texts; changing
    `timing_text` without dates parses the dates again."""
    municipality = activity.municipality
    new_contributions = None
    if contributions is not None:
        new_contributions = [_normalise_contribution(c, municipality) for c in contributions]
    text_changed = ("responsible_text" in fields
                    and fields["responsible_text"] != activity.responsible_text)
    if "responsible_organizations" in fields:
        relink = fields["responsible_organizations"] is None
    else:
        relink = text_changed or new_contributions is not None
    if relink:
        basis = new_contributions if new_contributions is not None else [
            {"committees": list(c.committees.all())} for c in activity.contributions.all()]
        fields["responsible_organizations"] = _linked_responsible(
            fields.get("responsible_text", activity.responsible_text), basis, municipality)
    if "timing_text" in fields and "start_date" not in fields and "end_date" not in fields:
        if fields["timing_text"] != activity.timing_text:
            fields["start_date"], fields["end_date"] = parse_timing(fields["timing_text"])
    elif "timing_text" in fields:
        fields = _with_parsed_timing(fields)
    activity = core.update(activity, actor=actor, data=fields)
    if new_contributions is not None:
        _replace_contributions(activity, new_contributions, actor=actor)
    return activity


def _replace_contributions(activity: Activity, contributions: list[dict], *, actor) -> None:
    # Only what the writer can read is changed or deleted: a restricted contribution hidden
    # from them stays as it is (an id of one answers "belongs to another activity").
    mine = activity.contributions.all() if actor is None else \
        activity.contributions.visible_to(actor)
    existing = {c.pk: c for c in mine}
    kept = set()
    for data in contributions:
        pk = data.get("id")
        if pk is None:
            _create_contribution(activity, data, actor=actor)
            continue
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            pk = None
        if pk not in existing:
            raise ValidationError(_("The contribution belongs to another activity."))
        kept.add(pk)
        _check_party(data["party"])
        core.update(existing[pk], actor=actor,
                    data={k: v for k, v in data.items() if k != "id"})
    for pk, contribution in existing.items():
        if pk not in kept:
            core.delete(contribution, actor=actor)


def delete_activity(activity: Activity, *, actor) -> None:
    """Delete an activity with its contributions and indicators (an audit entry each)."""
    core.delete(activity, actor=actor)


def set_activity_status(activity: Activity, *, actor, status: str) -> Activity:
    if status not in ActivityStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    return core.update(activity, actor=actor, data={"status": status})


# ------------------------------------------------------------------------- contributions


@transaction.atomic
def create_contribution(*, actor, activity: Activity, party: str, text: str,
                        organization=None, committees=None) -> Contribution:
    """Add one party's contribution to an activity; committees recognised from the text
    when not given (municipality contributions)."""
    data = _normalise_contribution({"party": party, "text": text, "organization": organization,
                                    "committees": committees}, activity.municipality)
    return _create_contribution(activity, data, actor=actor)


def update_contribution(contribution: Contribution, *, actor, **fields) -> Contribution:
    if "party" in fields:
        _check_party(fields["party"])
    if "activity" in fields and fields["activity"] != contribution.activity:
        raise ValidationError({"activity": _("A contribution cannot move to another "
                                             "activity.")})
    return core.update(contribution, actor=actor, data=fields)


def delete_contribution(contribution: Contribution, *, actor) -> None:
    core.delete(contribution, actor=actor)


def may_add_contribution(user, activity: Activity) -> bool:
    """Coordinators, and contributors of an organisation responsible for the activity."""
    return access.can_change(user, activity)


# ---------------------------------------------------------------------------- indicators


def create_indicator(*, actor, focus_area=None, sub_goal=None, activity=None,
                     **fields) -> Indicator:
    """An indicator on a focus area, a sub-goal or an activity (give one of them)."""
    subject = activity or sub_goal or focus_area
    if subject is None:
        raise ValidationError(_("An indicator belongs to a focus area, a sub-goal or an "
                                "activity."))
    if sub_goal is not None and focus_area is not None and sub_goal.focus_area_id != focus_area.pk:
        raise ValidationError({"sub_goal": _("The sub-goal belongs to another focus area.")})
    data = dict(fields, focus_area=focus_area, sub_goal=sub_goal, activity=activity)
    return core.create(Indicator, actor=actor, data=data)


def update_indicator(indicator: Indicator, *, actor, **fields) -> Indicator:
    return core.update(indicator, actor=actor, data=fields)


def delete_indicator(indicator: Indicator, *, actor) -> None:
    core.delete(indicator, actor=actor)


def add_measurement(*, actor, indicator: Indicator, measured_on: dt.date,
                    value: Decimal | float | int | str, note: str = "",
                    source: str = "", **fields) -> Measurement:
    """Record the indicator's value at a date."""
    return core.create(Measurement, actor=actor, data={
        "indicator": indicator, "measured_on": measured_on, "value": Decimal(str(value)),
        "note": note, "source": source, **fields})


def update_measurement(measurement: Measurement, *, actor, **fields) -> Measurement:
    if "indicator" in fields and fields["indicator"] != measurement.indicator:
        raise ValidationError({"indicator": _("A measurement cannot move to another "
                                              "indicator.")})
    return core.update(measurement, actor=actor, data=fields)


def delete_measurement(measurement: Measurement, *, actor) -> None:
    core.delete(measurement, actor=actor)


def latest_measurement(indicator: Indicator) -> Measurement | None:
    """The indicator's latest measurement, from prefetched measurements when there are."""
    prefetched = getattr(indicator, "_prefetched_objects_cache", {}).get("measurements")
    if prefetched is None:
        return indicator.latest_measurement()
    ordered = sorted(prefetched, key=lambda m: (m.measured_on, m.pk))
    return ordered[-1] if ordered else None


def may_add_measurement(user, indicator: Indicator) -> bool:
    """Coordinators measure every indicator; contributors those of activities their
    organisation is responsible for."""
    if not access.can_create(user, indicator.municipality_id, Measurement):
        return False
    if access.has_role(user, indicator.municipality_id, Role.COORDINATOR):
        return True
    return indicator.activity is not None and access.can_change(user, indicator.activity)
