"""The plans pages and the shared filters (page and API)."""
import datetime as dt

import pytest
from django.urls import reverse

from samverkan.agreements.models import Agreement, FocusArea
from samverkan.core import services as core
from samverkan.core.testing import api_client, audit_count
from samverkan.plans import services
from samverkan.plans.models import Activity, Measurement

from .factories import (
    COORDINATORS,
    FIELD_WORKERS,
    SAFETY_WALKS,
    SAFETY_WALKS_MUNICIPALITY,
    SAFETY_WALKS_POLICE,
    build_plan,
    field_workers,
    safety_walks,
)


@pytest.fixture
def plan(world):
    return build_plan(world)


@pytest.fixture
def activities(world, plan):
    walks = safety_walks(plan, world.coordinator)
    workers = field_workers(plan, world.coordinator)
    coordinators = services.create_activity(
        actor=world.coordinator, focus_area=plan.public_space, title=COORDINATORS,
        status="planned", priority_areas=[plan.areas["Lagersberg"], plan.areas["Fröslunda"]],
        contributions=[{"party": "municipality", "text": COORDINATORS + " (KS; KFN)"}])
    return {"walks": walks, "workers": workers, "coordinators": coordinators}


def titles(response):
    return {a.title for a in response.context["object_list"]}


def api_titles(user, query):
    response = api_client(user).get("/api/v1/activities/" + query)
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


# -- list and filters -------------------------------------------------------------------


def test_list_shows_the_active_agreement_in_swedish(world, plan, activities, client):
    older = core.create(Agreement, actor=world.coordinator, municipality=world.eskilstuna,
                        data={"title": "Samverkansöverenskommelse 2013",
                              "start_date": dt.date(2013, 1, 1),
                              "end_date": dt.date(2015, 12, 31), "status": "expired"})
    older_area = core.create(FocusArea, actor=world.coordinator,
                             data={"agreement": older, "title": "Trygghet i offentlig miljö"})
    services.create_activity(actor=world.coordinator, focus_area=older_area,
                             title="Trygghetsvandringar")
    client.force_login(world.reader)
    response = client.get(reverse("plans:activity_list"))
    assert response.status_code == 200
    assert titles(response) == {SAFETY_WALKS, FIELD_WORKERS, COORDINATORS}
    html = response.content.decode()
    assert "Åtgärd kommun" in html and "Åtgärd polis" in html
    assert ">KFN<" in html and ">TSN<" in html  # committees as tags
    assert "Pågående" in html  # status badge
    assert "Ny aktivitet" not in html  # readers do not create
    response = client.get(reverse("plans:activity_list"), {"agreement": ""})
    assert "Trygghetsvandringar" in titles(response)


@pytest.mark.parametrize("query, expected", [
    ("party=police", {SAFETY_WALKS, FIELD_WORKERS}),
    ("party=municipality", {SAFETY_WALKS, FIELD_WORKERS, COORDINATORS}),
    ("status=planned", {COORDINATORS}),
    ("status=ongoing", {SAFETY_WALKS, FIELD_WORKERS}),
    ("q=fältande", {FIELD_WORKERS}),
])
def test_filters_on_page_and_api(world, plan, activities, client, query, expected):
    client.force_login(world.coordinator)
    assert titles(client.get(reverse("plans:activity_list") + "?" + query)) == expected
    assert api_titles(world.coordinator, "?" + query) == expected


def test_filters_by_committee_area_and_focus_area(world, plan, activities, client):
    client.force_login(world.coordinator)
    url = reverse("plans:activity_list")
    cases = [
        (f"committee={plan.orgs['TSN'].pk}", {SAFETY_WALKS}),
        (f"committee={plan.orgs['KFN'].pk}", {SAFETY_WALKS, COORDINATORS}),
        (f"committee={world.social_services.pk}", {FIELD_WORKERS}),
        (f"area={plan.areas['Skiftinge'].pk}", {SAFETY_WALKS}),
        (f"area={plan.areas['Lagersberg'].pk}", {SAFETY_WALKS, FIELD_WORKERS, COORDINATORS}),
        (f"focus_area={plan.youth.pk}", {FIELD_WORKERS}),
        (f"responsible={plan.orgs['KS'].pk}", {SAFETY_WALKS, COORDINATORS}),
        (f"focus_area={plan.public_space.pk}&committee={plan.orgs['KS'].pk}&status=planned",
         {COORDINATORS}),
    ]
    for query, expected in cases:
        assert titles(client.get(url + "?" + query)) == expected, query
        assert api_titles(world.coordinator, "?" + query) == expected, query


def test_filter_choices_stay_in_the_municipality(world, plan, activities, client):
    from samverkan.organizations.services import create_organization

    create_organization(actor=None, municipality=world.karlshamn, name="Kommunstyrelsen "
                        "Karlshamn", abbreviation="KSK", kind="committee")
    client.force_login(world.coordinator)
    html = client.get(reverse("plans:activity_list")).content.decode()
    assert "Kommunstyrelsen Karlshamn" not in html and "KSK" not in html
    # Another municipality's user cannot filter by (or learn about) Eskilstuna's records.
    client.force_login(world.other_municipality_user)
    response = client.get(reverse("plans:activity_list"),
                          {"committee": plan.orgs["KS"].pk})
    assert response.status_code == 200 and not response.context["object_list"]


# -- activity page and form -------------------------------------------------------------


def test_activity_page_shows_everything(world, plan, activities, client):
    walks = activities["walks"]
    services.update_activity(walks, actor=world.coordinator,
                             responsible_text="Kommunen i samverkan med polis",
                             timing_text="Påbörjas 2016 i de utsedda områdena.")
    indicator = services.create_indicator(
        actor=world.coordinator, activity=walks,
        name="Genomförda trygghetsvandringar i de prioriterade områdena",
        goal_kind="production", baseline_value=0, target_value=4)
    services.add_measurement(actor=world.coordinator, indicator=indicator,
                             measured_on=dt.date(2017, 12, 31), value=3)
    client.force_login(world.coordinator)
    response = client.get(walks.get_absolute_url())
    html = response.content.decode()
    for text in (SAFETY_WALKS, "(KS, KFN, TSN)", "Leder, driftar tillsammans med",
                 "Kommunen i samverkan med polis", "Påbörjas 2016", "Tolkat som 2016-01-01 – …",
                 "Media, FB etc", "Skiftinge", indicator.name, "--value: 75", "75 %",
                 "Historik", reverse("plans:activity_update", args=[walks.pk]),
                 reverse("plans:activity_delete", args=[walks.pk])):
        assert text in html, text
    client.force_login(world.reader)
    html = client.get(walks.get_absolute_url()).content.decode()
    assert "Historik" not in html
    assert reverse("plans:activity_update", args=[walks.pk]) not in html


def test_create_form_writes_activity_and_three_contributions(world, plan, client):
    client.force_login(world.coordinator)
    url = reverse("plans:activity_create") + f"?focus_area={plan.public_space.pk}"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("title", "municipality_action", "police_action", "other_action", "status"):
        assert f'name="{name}"' in html, name
    before = audit_count()
    response = client.post(url, {
        "title": SAFETY_WALKS, "focus_area": plan.public_space.pk, "status": "ongoing",
        "municipality_action": SAFETY_WALKS_MUNICIPALITY,
        "police_action": SAFETY_WALKS_POLICE,
        "other_action": "Fastighetsägare deltar i trygghetsvandringarna.",
        "other_organization": plan.orgs["SBN"].pk,
        "timing_text": "2016-2018", "confidentiality": "internal",
        "priority_areas": [plan.areas["Årby"].pk],
    })
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(title=SAFETY_WALKS)
    assert response["Location"] == activity.get_absolute_url()
    assert sorted(activity.contributions.values_list("party", flat=True)) == [
        "municipality", "other", "police"]
    municipality = activity.contributions.get(party="municipality")
    assert {o.abbreviation for o in municipality.committees.all()} == {"KS", "KFN", "TSN"}
    assert activity.contributions.get(party="other").organization == plan.orgs["SBN"]
    assert (activity.start_date, activity.end_date) == (dt.date(2016, 1, 1),
                                                        dt.date(2018, 12, 31))
    assert list(activity.priority_areas.all()) == [plan.areas["Årby"]]
    assert audit_count() == before + 4


def test_edit_form_changes_contributions(world, plan, activities, client):
    walks = activities["walks"]
    client.force_login(world.coordinator)
    url = reverse("plans:activity_update", args=[walks.pk])
    page = client.get(url).content.decode()
    assert SAFETY_WALKS_POLICE in page  # the police action is in its field
    before = audit_count()
    response = client.post(url, {
        "title": SAFETY_WALKS, "focus_area": plan.public_space.pk, "status": "done",
        "municipality_action": "", "police_action": SAFETY_WALKS_POLICE + " Varje vår.",
        "confidentiality": "internal",
        "responsible_organizations": [plan.orgs["KS"].pk],
        "priority_areas": [a.pk for a in plan.areas.values()],
    })
    assert response.status_code == 302, response.context["form"].errors
    walks.refresh_from_db()
    assert walks.status == "done"
    assert list(walks.contributions.values_list("party", flat=True)) == ["police"]
    assert walks.contributions.get().text.endswith("Varje vår.")
    assert list(walks.responsible_organizations.all()) == [plan.orgs["KS"]]
    # activity updated, municipality contribution deleted, police contribution updated
    assert audit_count() == before + 3
    entry = walks_update_entry(walks)
    assert entry.changes["before"]["status"] == "ongoing"
    assert entry.changes["after"]["status"] == "done"


def walks_update_entry(activity):
    from samverkan.audit.services import history

    return history(activity).filter(action="update").first()


def test_form_errors_are_swedish(world, plan, client):
    client.force_login(world.coordinator)
    url = reverse("plans:activity_create") + f"?focus_area={plan.public_space.pk}"
    response = client.post(url, {"title": "", "focus_area": plan.public_space.pk,
                                 "status": "planned", "confidentiality": "internal",
                                 "start_date": "2017-01-01", "end_date": "2016-01-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Det här fältet är obligatoriskt." in html
    assert "Aktiviteten måste sluta efter att den börjar." in html
    assert not Activity.objects.exists()


def test_reader_gets_403_on_edit_and_create(world, plan, activities, client):
    client.force_login(world.reader)
    walks = activities["walks"]
    assert client.get(reverse("plans:activity_update", args=[walks.pk])).status_code == 403
    assert client.post(reverse("plans:activity_update", args=[walks.pk]),
                       {"title": "X"}).status_code == 403
    assert client.get(reverse("plans:activity_create")
                      + f"?focus_area={plan.public_space.pk}").status_code == 403
    assert client.post(reverse("plans:activity_status", args=[walks.pk]),
                       {"status": "done"}).status_code == 403
    client.force_login(world.other_municipality_user)
    assert client.get(reverse("plans:activity_update", args=[walks.pk])).status_code == 404
    assert client.get(reverse("plans:activity_create")
                      + f"?focus_area={plan.public_space.pk}").status_code == 404


def test_status_button_and_delete(world, plan, activities, client):
    workers = activities["workers"]
    client.force_login(world.contributor)  # SN is responsible
    response = client.post(reverse("plans:activity_status", args=[workers.pk]),
                           {"status": "done"})
    assert response.status_code == 302
    workers.refresh_from_db()
    assert workers.status == "done"
    client.force_login(world.coordinator)
    response = client.post(reverse("plans:activity_delete", args=[workers.pk]))
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=workers.pk).exists()


# -- indicators -------------------------------------------------------------------------


def test_indicator_create_page_and_detail(world, plan, activities, client):
    walks = activities["walks"]
    client.force_login(world.coordinator)
    url = reverse("plans:indicator_create") + f"?activity={walks.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "name": "Genomförda trygghetsvandringar i de prioriterade områdena",
        "goal_kind": "production", "unit": "trygghetsvandringar", "direction": "higher",
        "baseline_value": "0", "target_value": "4", "confidentiality": "internal"})
    assert response.status_code == 302, response.context["form"].errors
    indicator = walks.indicators.get()
    assert indicator.agreement == plan.agreement
    response = client.post(reverse("plans:measurement_create", args=[indicator.pk]),
                           {"measured_on": "2017-12-31", "value": "3",
                            "source": "Uppföljning i styrgruppen"})
    assert response.status_code == 302
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert "indicator-chart" in html and "vendor/chartjs/chart.umd.min.js" in html
    assert "Måluppfyllelse 75 %" in html
    assert "Prestation" in html


def test_indicator_decimal_comma(world, plan, client):
    client.force_login(world.coordinator)
    url = reverse("plans:indicator_create") + f"?focus_area={plan.youth.pk}"
    response = client.post(url, {
        "name": "Ungas attityd till cannabis, genomsnittligt skalvärde",
        "goal_kind": "effect", "direction": "higher", "baseline_value": "3,72",
        "target_value": "4,72", "scale_min": "1", "scale_max": "6",
        "confidentiality": "internal"})
    assert response.status_code == 302, response.context["form"].errors
    indicator = plan.youth.indicators.get()
    assert str(indicator.baseline_value) == "3.7200"
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert "3,72" in html and "4,72" in html


def test_indicator_api_reports_progress(world, plan):
    indicator = services.create_indicator(
        actor=world.coordinator, focus_area=plan.public_space,
        name="Antal nattvandringsgrupper", baseline_value=2, target_value=8,
        target_text="minst 8")
    services.add_measurement(actor=world.coordinator, indicator=indicator,
                             measured_on=dt.date(2017, 12, 31), value=5)
    row = api_client(world.reader).get(f"/api/v1/indicators/{indicator.pk}/").json()
    assert row["progress"] == 0.5 and row["latest_value"] == "5.0000"


def test_contributor_measures_through_the_page(world, plan, activities, client):
    theirs = services.create_indicator(
        actor=world.coordinator, activity=activities["workers"],
        name="Unga individer som brutits loss från riskfaktorerna", baseline_value=0,
        target_value=15)
    other = services.create_indicator(
        actor=world.coordinator, activity=activities["walks"],
        name="Genomförda trygghetsvandringar i de prioriterade områdena", baseline_value=0,
        target_value=4)
    client.force_login(world.contributor)
    assert "Lägg till ett mätvärde" in client.get(theirs.get_absolute_url()).content.decode()
    assert "Lägg till ett mätvärde" not in client.get(other.get_absolute_url()).content.decode()
    data = {"measured_on": "2017-12-31", "value": "6"}
    assert client.post(reverse("plans:measurement_create", args=[theirs.pk]),
                       data).status_code == 302
    assert client.post(reverse("plans:measurement_create", args=[other.pk]),
                       data).status_code == 403
    assert Measurement.objects.filter(indicator=theirs).count() == 1
    assert not Measurement.objects.filter(indicator=other).exists()


def test_api_writes_nested_contributions(world, plan):
    api = api_client(world.coordinator)
    response = api.post("/api/v1/activities/", {
        "focus_area": plan.public_space.pk, "title": SAFETY_WALKS, "status": "ongoing",
        "contributions": [{"party": "municipality", "text": SAFETY_WALKS_MUNICIPALITY},
                          {"party": "police", "text": SAFETY_WALKS_POLICE}]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    committees = {c["party"]: c["committees"] for c in body["contributions"]}
    assert sorted(committees["municipality"]) == sorted(
        plan.orgs[a].pk for a in ("KS", "KFN", "TSN"))
    assert sorted(body["responsible_organizations"]) == sorted(committees["municipality"])
    police = next(c for c in body["contributions"] if c["party"] == "police")
    response = api.patch(f"/api/v1/activities/{body['id']}/", {"contributions": [
        {"id": police["id"], "party": "police", "text": "Trafikkontroller och synlighet."}]},
        format="json")
    assert response.status_code == 200, response.content
    assert [c["text"] for c in response.json()["contributions"]] == [
        "Trafikkontroller och synlighet."]


def test_a_change_made_meanwhile_only_to_a_contribution_refuses_the_activity_form(
        world, plan, activities, client):
    """The activity form's version holds the contributions its user may read (optimistic
    locking, core.versioning.compose): A opens the form, B changes only the police action, A's
    save is refused with the change shown and B's text is kept. A contribution A cannot read
    (restricted to the police) neither shows in A's version nor makes A's save stale."""
    from samverkan.core import versioning
    from samverkan.core.tests.test_versioning import form_values, open_form

    walks = activities["walks"]
    url = reverse("plans:activity_update", args=[walks.pk])
    hidden = services.create_contribution(actor=world.police_officer, activity=walks,
                                          party="police", text="Spaning i området (intern).")
    services.update_contribution(hidden, actor=world.police_officer,
                                 confidentiality="restricted",
                                 restricted_to=[world.police_org])
    client.force_login(world.coordinator)
    opened = open_form(client, url)
    assert f"plans.contribution.{hidden.pk}" not in opened[versioning.FIELD_NAME]
    assert "Spaning i området" not in client.get(url).content.decode()  # nor in the form

    # A contribution A cannot read changes: A's save goes through.
    services.update_contribution(hidden, actor=world.police_officer,
                                 text="Spaning i området, ändrad (intern).")
    data = dict(opened, status="done")
    assert client.post(url, data).status_code == 302
    hidden.refresh_from_db()
    assert hidden.text == "Spaning i området, ändrad (intern)."  # untouched by A's save

    # B changes only the police action A can read: A's save from the old form is refused.
    opened = open_form(client, url)
    police = walks.contributions.visible_to(world.coordinator).get(party="police")
    services.update_contribution(police, actor=world.police_officer,
                                 text="Polisen leder vandringarna, också på hösten.")
    data = dict(opened, status="planned", municipality_action="Kommunen bjuder in.")
    response = client.post(url, data)
    assert response.status_code == 200
    text = " ".join(response.context["form"].non_field_errors())
    assert "Någon annan har ändrat" in text and "police_officer" in text
    assert "Åtgärd (Polis) – Åtgärd: " in text, text
    assert "→ ”Polisen leder vandringarna, också på hösten.”" in text, text
    police.refresh_from_db()
    walks.refresh_from_db()
    assert police.text.endswith("också på hösten.") and walks.status == "done"
    # The form now carries the new version: saving again is a deliberate choice.
    again = form_values(response.content)
    assert again[versioning.FIELD_NAME] == response.context["form"].current_version
    assert client.post(url, again).status_code == 302
    walks.refresh_from_db()
    assert walks.status == "planned"


def test_a_new_activity_without_focus_area_names_each_priority_area_with_its_period(
        world, plan, client):
    """The same places recur from one agreement to the next: with no focus area chosen, the
    areas of every agreement are offered, each named with its agreement's period."""
    client.force_login(world.coordinator)
    agreement = plan.public_space.agreement
    period = f"{agreement.start_date:%Y}–{agreement.end_date:%Y}"
    page = client.get(reverse("plans:activity_create")).content.decode()
    assert f"Lagersberg ({period})" in page
    with_focus = client.get(reverse("plans:activity_create")
                            + f"?focus_area={plan.public_space.pk}").content.decode()
    assert "Lagersberg" in with_focus and f"Lagersberg ({period})" not in with_focus
