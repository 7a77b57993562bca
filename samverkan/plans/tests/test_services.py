"""The plans services with Eskilstuna's 2016 åtagandeplan."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from samverkan.audit.models import AuditEntry
from samverkan.core.services import _removed_with
from samverkan.core.testing import audit_count
from samverkan.organizations.services import create_organization
from samverkan.plans import services
from samverkan.plans.models import Activity, Contribution

from .factories import (
    COORDINATORS,
    SAFETY_WALKS,
    SAFETY_WALKS_MUNICIPALITY,
    SAFETY_WALKS_POLICE,
    build_plan,
    safety_walks,
)


@pytest.fixture
def plan(world):
    return build_plan(world)


def abbreviations(orgs):
    return [o.abbreviation or o.name for o in orgs]


# -- activities with contributions ------------------------------------------------------


def test_create_activity_with_contributions_recognises_committees(world, plan):
    before = audit_count()
    activity = safety_walks(plan, world.coordinator)
    municipality = activity.contributions.get(party="municipality")
    police = activity.contributions.get(party="police")
    assert municipality.text == SAFETY_WALKS_MUNICIPALITY
    assert abbreviations(municipality.committees.order_by("abbreviation")) == [
        "KFN", "KS", "TSN"]
    assert police.text == SAFETY_WALKS_POLICE and police.committees.count() == 0
    # Responsible: the committees of the contributions (there is no responsible text).
    assert set(abbreviations(activity.responsible_organizations.all())) == {"KS", "KFN", "TSN"}
    assert activity.agreement == plan.agreement
    assert activity.municipality == world.eskilstuna
    assert set(activity.priority_areas.values_list("name", flat=True)) == {
        "Skiftinge", "Årby", "Fröslunda", "Lagersberg"}
    # One audit entry for the activity, one per contribution; each of its own record.
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    assert audit_count() == before + 3
    assert [(e.action, e.content_type.model) for e in entries] == [
        ("create", "activity"), ("create", "contribution"), ("create", "contribution")]
    assert entries[0].changes["after"]["responsible_organizations"] == sorted(
        activity.responsible_organizations.values_list("pk", flat=True))
    assert {e.object_id for e in entries[1:]} == {str(municipality.pk), str(police.pk)}


def test_committees_with_semicolons_and_given_committees(world, plan):
    activity = services.create_activity(
        actor=world.coordinator, focus_area=plan.public_space, title=COORDINATORS,
        contributions=[
            {"party": "municipality", "text": COORDINATORS + " I förlängningen även i de "
             "övriga prioriterade områdena. (KS; KFN)"},
            {"party": "other", "text": "Delta", "organization": plan.orgs["SBN"],
             "committees": [plan.orgs["SBN"]]},
        ])
    municipality = activity.contributions.get(party="municipality")
    assert abbreviations(municipality.committees.order_by("abbreviation")) == ["KFN", "KS"]
    other = activity.contributions.get(party="other")
    assert list(other.committees.all()) == [plan.orgs["SBN"]]
    assert other.organization == plan.orgs["SBN"]
    assert set(abbreviations(activity.responsible_organizations.all())) == {"KS", "KFN", "SBN"}


def test_unknown_abbreviations_are_left_in_the_text(world, plan):
    activity = services.create_activity(
        actor=world.coordinator, focus_area=plan.youth,
        title="SIG-grupp för enskilda unga.",
        contributions=[{"party": "municipality",
                        "text": "SIG -grupp för enskilda unga. (SN, AVN, BUN, KFN, TSN)"}])
    contribution = activity.contributions.get()
    # AVN is not an organisation of this test municipality: skipped, the text is kept.
    assert abbreviations(contribution.committees.order_by("abbreviation")) == [
        "BUN", "KFN", "SN", "TSN"]
    assert "AVN" in contribution.text


def test_responsible_text_is_linked_and_kept(world, plan):
    text = "Kommunen i samverkan med polis, räddningstjänst, socialtjänst och handels"
    activity = services.create_activity(actor=world.coordinator, focus_area=plan.public_space,
                                        title=SAFETY_WALKS, responsible_text=text)
    assert activity.responsible_text == text
    assert set(activity.responsible_organizations.all()) == {
        world.municipality_org, world.police_org, plan.orgs["RTJ"], world.social_services}


def test_explicit_responsible_organizations_win(world, plan):
    activity = services.create_activity(
        actor=world.coordinator, focus_area=plan.public_space, title=SAFETY_WALKS,
        responsible_text="Kommunen i samverkan med polis",
        responsible_organizations=[plan.orgs["KS"]],
        contributions=[{"party": "municipality", "text": SAFETY_WALKS_MUNICIPALITY}])
    assert list(activity.responsible_organizations.all()) == [plan.orgs["KS"]]


def test_timing_text_is_parsed_unless_dates_are_given(world, plan):
    parsed = services.create_activity(
        actor=world.coordinator, focus_area=plan.public_space, title=COORDINATORS,
        timing_text="Påbörjas 2016 i de utsedda områdena. Innan periodens slut ska också "
                    "handlingsplaner ha skrivits fram i övriga prioriterade områden.")
    assert (parsed.start_date, parsed.end_date) == (dt.date(2016, 1, 1), None)
    given = services.create_activity(
        actor=world.coordinator, focus_area=plan.public_space, title=COORDINATORS,
        timing_text="2016", start_date=dt.date(2016, 3, 1))
    assert (given.start_date, given.end_date) == (dt.date(2016, 3, 1), None)
    unparsed = services.create_activity(
        actor=world.coordinator, focus_area=plan.public_space, title=COORDINATORS,
        timing_text="Kontinuerligt varje fredag och lördag")
    assert (unparsed.start_date, unparsed.end_date) == (None, None)
    assert unparsed.timing_text == "Kontinuerligt varje fredag och lördag"


def test_create_is_one_transaction(world, plan):
    before = (audit_count(), Activity.objects.count(), Contribution.objects.count())
    with pytest.raises(ValidationError):
        services.create_activity(
            actor=world.coordinator, focus_area=plan.public_space, title=SAFETY_WALKS,
            contributions=[{"party": "municipality", "text": SAFETY_WALKS_MUNICIPALITY},
                           {"party": "police", "text": ""}])
    assert (audit_count(), Activity.objects.count(), Contribution.objects.count()) == before
    with pytest.raises(ValidationError):
        services.create_activity(actor=world.coordinator, focus_area=plan.public_space,
                                 title=SAFETY_WALKS,
                                 contributions=[{"party": "region", "text": "Delta"}])
    with pytest.raises(ValidationError):
        services.create_activity(actor=world.coordinator, focus_area=plan.public_space,
                                 title="")
    assert Activity.objects.count() == before[1]


def test_cannot_link_another_municipality(world, plan):
    foreign = create_organization(actor=None, municipality=world.karlshamn,
                                  name="Kommunstyrelsen", abbreviation="KS", kind="committee")
    with pytest.raises(ValidationError):
        services.create_activity(actor=world.coordinator, focus_area=plan.public_space,
                                 title=SAFETY_WALKS, responsible_organizations=[foreign])
    with pytest.raises(ValidationError):
        services.create_activity(
            actor=world.coordinator, focus_area=plan.public_space, title=SAFETY_WALKS,
            contributions=[{"party": "municipality", "text": "Delta", "committees": [foreign]}])
    # Abbreviations are only recognised among the municipality's own organisations.
    activity = services.create_activity(
        actor=world.coordinator, focus_area=plan.public_space, title=SAFETY_WALKS,
        contributions=[{"party": "municipality", "text": "Samordna (KS)"}])
    assert list(activity.contributions.get().committees.all()) == [plan.orgs["KS"]]


def test_update_replaces_contributions(world, plan):
    activity = safety_walks(plan, world.coordinator)
    police = activity.contributions.get(party="police")
    before = audit_count()
    services.update_activity(activity, actor=world.coordinator, contributions=[
        {"id": police.pk, "party": "police", "text": police.text + " Trygghetsvandringar."},
        {"party": "other", "text": "Fastighetsägarna deltar i vandringarna.",
         "organization": plan.orgs["SBN"]},
    ])
    parties = sorted(activity.contributions.values_list("party", flat=True))
    assert parties == ["other", "police"]
    police.refresh_from_db()
    assert police.text.endswith("Trygghetsvandringar.")
    # Relinked: the municipality's committees went with its contribution.
    assert activity.responsible_organizations.count() == 0
    actions = sorted((e.action, e.content_type.model)
                     for e in AuditEntry.objects.order_by("pk")[before:])
    assert actions == [("create", "contribution"), ("delete", "contribution"),
                       ("update", "activity"), ("update", "contribution")]


def test_update_rejects_a_contribution_of_another_activity(world, plan):
    activity = safety_walks(plan, world.coordinator)
    other = safety_walks(plan, world.coordinator).contributions.first()
    with pytest.raises(ValidationError):
        services.update_activity(activity, actor=world.coordinator, contributions=[
            {"id": other.pk, "party": "police", "text": "Delta"}])
    assert activity.contributions.count() == 2


def test_update_relinks_responsible_text_and_timing(world, plan):
    activity = services.create_activity(actor=world.coordinator, focus_area=plan.public_space,
                                         title=SAFETY_WALKS, responsible_text="Kommunen")
    assert list(activity.responsible_organizations.all()) == [world.municipality_org]
    services.update_activity(activity, actor=world.coordinator,
                             responsible_text="Kommunen i samverkan med polis",
                             timing_text="Hösten 2016")
    assert set(activity.responsible_organizations.all()) == {world.municipality_org,
                                                             world.police_org}
    assert (activity.start_date, activity.end_date) == (dt.date(2016, 9, 1),
                                                        dt.date(2016, 11, 30))
    # Unchanged text: the links made by hand stay.
    services.update_activity(activity, actor=world.coordinator,
                             responsible_organizations=[plan.orgs["KS"]])
    services.update_activity(activity, actor=world.coordinator, status="done",
                             responsible_text="Kommunen i samverkan med polis")
    assert list(activity.responsible_organizations.all()) == [plan.orgs["KS"]]


def test_status_and_delete(world, plan):
    activity = safety_walks(plan, world.coordinator)
    services.set_activity_status(activity, actor=world.coordinator, status="done")
    activity.refresh_from_db()
    assert activity.status == "done"
    with pytest.raises(ValidationError):
        services.set_activity_status(activity, actor=world.coordinator, status="finished")
    before = audit_count()
    removed = len(_removed_with(activity))  # its contributions, each with an entry
    services.delete_activity(activity, actor=world.coordinator)
    assert audit_count() == before + 1 + removed
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not Contribution.objects.filter(activity_id=activity.pk).exists()


def test_contribution_services(world, plan):
    activity = services.create_activity(actor=world.coordinator, focus_area=plan.public_space,
                                        title=SAFETY_WALKS)
    contribution = services.create_contribution(actor=world.coordinator, activity=activity,
                                                party="municipality",
                                                text=SAFETY_WALKS_MUNICIPALITY)
    assert contribution.committees.count() == 3
    services.update_contribution(contribution, actor=world.coordinator, text="Samordna (KS)")
    assert Contribution.objects.get(pk=contribution.pk).text == "Samordna (KS)"
    other = services.create_activity(actor=world.coordinator, focus_area=plan.public_space,
                                     title=COORDINATORS)
    with pytest.raises(ValidationError):
        services.update_contribution(contribution, actor=world.coordinator, activity=other)
    services.delete_contribution(contribution, actor=world.coordinator)
    assert activity.contributions.count() == 0


# -- indicators and progress ------------------------------------------------------------


@pytest.mark.parametrize("name, baseline, target, direction, value, expected", [
    # Öka antalet nattvandringsgrupper från 2 till minst 8 grupper.
    ("Antal nattvandringsgrupper", "2", "8", "higher", "5", 0.5),
    ("Antal nattvandringsgrupper", "2", "8", "higher", "8", 1.0),
    ("Antal nattvandringsgrupper", "2", "8", "higher", "1", -1 / 6),
    # Ungas attityd till cannabis, 3,72 -> 4,72 on a scale 1-6 (high = restrictive).
    ("Ungas attityd till cannabis, genomsnittligt skalvärde", "3.72", "4.72", "higher",
     "4.22", 0.5),
    ("Ungas attityd till cannabis, genomsnittligt skalvärde", "3.72", "4.72", "higher",
     "3.47", -0.25),
    # Bryta loss minst 15 unga individer från riskfaktorerna.
    ("Unga individer som brutits loss från riskfaktorerna", "0", "15", "higher", "6", 0.4),
    # En trygghetsvandring per prioriterat område (fyra områden): 0 -> 4.
    ("Genomförda trygghetsvandringar i de prioriterade områdena", "0", "4", "higher", "3",
     0.75),
    # Trygghetsindex 4-6 -> 0-2, lower is better: the bounds in the goal's direction, 6 -> 2.
    ("Trygghetsindex i de prioriterade områdena", "6", "2", "lower", "3", 0.75),
    ("Trygghetsindex i de prioriterade områdena", "6", "2", "lower", "1.67", 1.0825),
])
def test_progress_of_the_seed_indicators(world, plan, name, baseline, target, direction,
                                         value, expected):
    indicator = services.create_indicator(
        actor=world.coordinator, focus_area=plan.public_space, name=name,
        baseline_value=Decimal(baseline), target_value=Decimal(target), direction=direction)
    assert indicator.progress() is None  # not measured yet
    services.add_measurement(actor=world.coordinator, indicator=indicator,
                             measured_on=dt.date(2016, 12, 31), value=baseline)
    measurement = services.add_measurement(actor=world.coordinator, indicator=indicator,
                                           measured_on=dt.date(2017, 12, 31), value=value)
    assert indicator.progress() == pytest.approx(expected)
    assert measurement.value == Decimal(value)


def test_indicator_subjects(world, plan):
    activity = safety_walks(plan, world.coordinator)
    on_activity = services.create_indicator(
        actor=world.coordinator, activity=activity,
        name="Genomförda trygghetsvandringar i de prioriterade områdena",
        goal_kind="production", baseline_value=0, target_value=4)
    assert on_activity.agreement == plan.agreement
    assert on_activity.municipality == world.eskilstuna
    assert on_activity.subject == activity
    with pytest.raises(ValidationError):
        services.create_indicator(actor=world.coordinator, name="Utan ämne")
    with pytest.raises(ValidationError):  # target equal to baseline
        services.create_indicator(actor=world.coordinator, focus_area=plan.youth,
                                  name="Antal nattvandringsgrupper", baseline_value=2,
                                  target_value=2)
    services.update_indicator(on_activity, actor=world.coordinator, unit="trygghetsvandringar")
    assert on_activity.unit == "trygghetsvandringar"
    measurement = services.add_measurement(actor=world.coordinator, indicator=on_activity,
                                           measured_on=dt.date(2017, 5, 1), value=2)
    services.update_measurement(measurement, actor=world.coordinator, value=Decimal("3"))
    assert on_activity.latest_measurement().value == 3
    services.delete_measurement(measurement, actor=world.coordinator)
    services.delete_indicator(on_activity, actor=world.coordinator)
    assert not activity.indicators.exists()


def test_may_add_measurement(world, plan):
    from .factories import field_workers

    theirs = services.create_indicator(
        actor=world.coordinator, activity=field_workers(plan, world.coordinator),
        name="Unga individer som brutits loss från riskfaktorerna", baseline_value=0,
        target_value=15)
    on_focus_area = services.create_indicator(
        actor=world.coordinator, focus_area=plan.youth,
        name="Unga individer som brutits loss från riskfaktorerna", baseline_value=0,
        target_value=15)
    assert services.may_add_measurement(world.contributor, theirs)
    assert not services.may_add_measurement(world.contributor, on_focus_area)
    assert services.may_add_measurement(world.coordinator, on_focus_area)
    assert not services.may_add_measurement(world.reader, theirs)
    assert not services.may_add_measurement(world.other_municipality_user, theirs)
