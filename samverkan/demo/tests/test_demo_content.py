"""Validate the demo agreements (JSON) and their plan files in samverkan/demo/data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from samverkan.plans.io import parse_plan_table

DATA = Path(__file__).resolve().parent.parent / "data"
JSON_FILES = sorted(DATA.glob("*.json"))

ORG_KINDS = {"municipality", "committee", "department", "police", "housing_company",
             "association", "authority", "business", "school", "other"}
AGREEMENT_STATUS = {"draft", "proposed", "decided", "active", "expired", "evaluated"}
PARTY_ROLES = {"municipality", "police", "other"}
FOLLOWUP_KINDS = {"continuous", "monthly", "quarterly", "tertial", "interim", "annual",
                  "times_per_year", "evaluation", "end_of_period"}
TRACKS = {"crime_prevention", "safety_creating", ""}
STRATEGIES = {"social", "situational", "both", ""}
FORUM_KINDS = {"strategic_council", "local_bra", "steering_group", "political_steering_group",
               "management_group", "executive_committee", "project_group", "working_group",
               "area_group", "safety_council", "coordination_group", "other"}
MEMBER_ROLES = {"chair", "convener", "member", "co_opted"}

TOP_KEYS = {"municipality", "source", "organizations", "agreement", "plan_file"}
ORG_KEYS = {"name", "abbreviation", "kind", "parent", "aliases"}
AGREEMENT_KEYS = {
    "title", "start_date", "end_date", "status", "council_decision_date", "signed_date",
    "background", "purpose", "overall_goal", "communication_strategy", "followup_text",
    "evaluation_year", "parties", "signatories", "priority_areas", "data_sources",
    "followup_entries", "focus_areas", "forums",
}
# The joint commitments, terms and working methods: only where the source has them.
OPTIONAL_AGREEMENT_KEYS = {"commitments_intro", "commitments", "definitions", "practices"}
KEYS = {
    "parties": {"organization", "role"},
    "signatories": {"name", "title", "organization", "signed_on"},
    "priority_areas": {"name", "description"},
    "data_sources": {"name", "used", "note"},
    "followup_entries": {"text", "kind", "times_per_year", "forum", "year"},
    "focus_areas": {"number", "title", "track", "strategy", "problem_description", "goal",
                    "sub_goals"},
    "forums": {"name", "abbreviation", "kind", "cadence_text", "meetings_per_year", "mandate",
               "members"},
    "commitments": {"number", "text", "explanation"},
    "definitions": {"term", "text", "focus_area", "source"},
    "practices": {"title", "responsible_text", "text", "focus_area", "source"},
}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def date_or_none(value, where):
    if value is None:
        return None
    assert isinstance(value, str), where
    return dt.date.fromisoformat(value)


def test_the_four_agreements_are_there():
    assert {p.name for p in JSON_FILES} == {
        "eskilstuna_2013.json", "eskilstuna_2016.json", "eskilstuna_2024_2027.json",
        "karlshamn_2021_2024.json",
    }


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: p.name)
def test_schema(path):
    doc = load(path)
    assert set(doc) == TOP_KEYS
    assert len(doc["municipality"]) == 4 and doc["municipality"].isdigit()
    assert doc["source"].strip()

    names = [o["name"] for o in doc["organizations"]]
    assert len(names) == len(set(names)), "duplicate organisation names"
    for org in doc["organizations"]:
        assert set(org) == ORG_KEYS, org
        assert org["kind"] in ORG_KINDS, org
        assert isinstance(org["abbreviation"], str)
        assert isinstance(org["aliases"], list)
        assert all(isinstance(a, str) and a for a in org["aliases"])
        assert org["parent"] is None or org["parent"] in names, org

    agreement = doc["agreement"]
    assert AGREEMENT_KEYS <= set(agreement) <= AGREEMENT_KEYS | OPTIONAL_AGREEMENT_KEYS
    start = date_or_none(agreement["start_date"], "start_date")
    end = date_or_none(agreement["end_date"], "end_date")
    assert start and end and start < end
    date_or_none(agreement["council_decision_date"], "council_decision_date")
    date_or_none(agreement["signed_date"], "signed_date")
    assert agreement["status"] in AGREEMENT_STATUS
    assert agreement["title"].strip() and agreement["followup_text"].strip()
    assert agreement["evaluation_year"] is None or isinstance(agreement["evaluation_year"], int)
    for key, keys in KEYS.items():
        for item in agreement.get(key, []):
            assert set(item) == keys, (key, item)

    for party in agreement["parties"]:
        assert party["role"] in PARTY_ROLES and party["organization"] in names
    assert {p["role"] for p in agreement["parties"]} >= {"municipality", "police"}
    for signatory in agreement["signatories"]:
        assert signatory["name"] and signatory["organization"] in names
        date_or_none(signatory["signed_on"], "signed_on")
    for source in agreement["data_sources"]:
        assert isinstance(source["used"], bool) and source["name"]

    forum_names = [f["name"] for f in agreement["forums"]]
    assert len(forum_names) == len(set(forum_names))
    for forum in agreement["forums"]:
        assert forum["kind"] in FORUM_KINDS, forum["name"]
        assert forum["meetings_per_year"] is None or isinstance(forum["meetings_per_year"], int)
        for member in forum["members"]:
            assert set(member) == {"name", "function", "organization", "role"}
            assert member["role"] in MEMBER_ROLES
            assert member["function"] or member["name"]
            assert member["organization"] is None or member["organization"] in names, member

    for entry in agreement["followup_entries"]:
        assert entry["kind"] in FOLLOWUP_KINDS and entry["text"].strip()
        assert entry["forum"] is None or entry["forum"] in forum_names, entry
        if entry["kind"] == "times_per_year":
            assert isinstance(entry["times_per_year"], int)
        assert entry["year"] is None or isinstance(entry["year"], int)

    numbers = [fa["number"] for fa in agreement["focus_areas"]]
    assert numbers == list(range(1, len(numbers) + 1))
    for area in agreement["focus_areas"]:
        assert area["track"] in TRACKS and area["strategy"] in STRATEGIES
        assert area["title"].strip()
        sub_numbers = [s["number"] for s in area["sub_goals"]]
        assert sub_numbers == list(range(1, len(sub_numbers) + 1))
        assert all(s["text"].strip() for s in area["sub_goals"])

    if doc["plan_file"] is not None:
        assert (DATA / doc["plan_file"]).is_file()


@pytest.mark.parametrize(
    "path", [p for p in JSON_FILES if load(p)["plan_file"]], ids=lambda p: p.name
)
def test_plan_files_parse_without_errors(path):
    doc = load(path)
    plan = parse_plan_table(DATA / doc["plan_file"], doc["plan_file"])
    assert plan.errors == []
    assert plan.warnings == []
    titles = [fa["title"] for fa in doc["agreement"]["focus_areas"]]
    assert [fa.title for fa in plan.focus_areas] == titles
    assert all(fa.activities for fa in plan.focus_areas)


def test_eskilstuna_2016_plan_content():
    plan = parse_plan_table(DATA / "eskilstuna_2016_atagandeplan.xlsx")
    assert plan.errors == []
    assert [len(fa.activities) for fa in plan.focus_areas] == [7, 7, 7]
    indicators = {i.name: i for a in plan.activities for i in a.indicators}
    groups = indicators["Antal nattvandringsgrupper"]
    assert (groups.baseline_value, groups.target_value, groups.direction) == (2, 8, "higher")
    assert groups.target_text == "minst 8"
    safety = indicators["Trygghetsindex i de prioriterade områdena"]
    assert (safety.baseline_text, safety.target_text, safety.direction) == ("4-6", "0-2", "lower")
    assert safety.target_value == 2
    attitude = next(i for n, i in indicators.items() if n.startswith("Ungas attityd"))
    assert (str(attitude.baseline_value), str(attitude.target_value)) == ("3.72", "4.72")
    young = next(i for n, i in indicators.items() if n.startswith("Unga individer"))
    assert (young.baseline_value, young.target_value) == (0, 15)
    walks = indicators["Genomförda trygghetsvandringar i de prioriterade områdena"]
    assert (walks.baseline_value, walks.target_value) == (0, 4)
    use = indicators["Andel unga som använder cannabis regelbundet"]
    assert (use.baseline_text, use.direction) == ("3 %", "lower")
    # The CSV source and the built XLSX hold the same plan.
    from_csv = parse_plan_table(DATA / "eskilstuna_2016_atagandeplan.csv")
    assert [a.title for a in from_csv.activities] == [a.title for a in plan.activities]


def test_2013_plan_statuses():
    plan = parse_plan_table(DATA / "eskilstuna_2013_plan.csv")
    statuses = [a.status for a in plan.activities]
    assert statuses.count("possible") == 5 and statuses.count("ongoing") == 18
