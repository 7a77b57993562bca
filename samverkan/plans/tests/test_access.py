"""Every plans model is checked the same way: anonymous, no role, another municipality,
reader, restricted, one audit entry per write (samverkan.core.testing)."""
import datetime as dt

import pytest

from samverkan.core.testing import ScopedModelAccessTests, api_client
from samverkan.plans import services

from .factories import (
    SAFETY_WALKS,
    SAFETY_WALKS_POLICE,
    build_plan,
    field_workers,
    safety_walks,
)


@pytest.fixture
def plan(world):
    return build_plan(world)


class PlanAccessTests(ScopedModelAccessTests):
    @pytest.fixture(autouse=True)
    def _plan(self, plan):
        self.plan = plan


class TestActivityAccess(PlanAccessTests):
    api_base = "/api/v1/activities/"

    def make(self, world):
        return safety_walks(self.plan, world.coordinator)

    def create_payload(self, world):
        return {"focus_area": self.plan.public_space.pk, "title": SAFETY_WALKS,
                "status": "ongoing", "timing_text": "2016-2018"}

    def update_payload(self, obj, world):
        return {"status": "done"}


class TestContributionAccess(PlanAccessTests):
    api_base = "/api/v1/contributions/"

    def make(self, world):
        activity = safety_walks(self.plan, world.coordinator)
        return activity.contributions.get(party="police")

    @pytest.fixture(autouse=True)
    def _target(self, world, plan):
        self.target = services.create_activity(actor=world.coordinator,
                                               focus_area=plan.public_space, title=SAFETY_WALKS)

    def create_payload(self, world):
        return {"activity": self.target.pk, "party": "police", "text": SAFETY_WALKS_POLICE}

    def update_payload(self, obj, world):
        return {"text": obj.text + " Trygghetsvandringar samt för särskilda ändamål."}


class TestIndicatorAccess(PlanAccessTests):
    api_base = "/api/v1/indicators/"

    def make(self, world):
        return services.create_indicator(
            actor=world.coordinator, focus_area=self.plan.public_space,
            name="Antal nattvandringsgrupper", goal_kind="production", unit="grupper",
            baseline_value=2, target_value=8, target_text="minst 8")

    def create_payload(self, world):
        return {"focus_area": self.plan.public_space.pk,
                "name": "Trygghetsindex i de prioriterade områdena", "goal_kind": "effect",
                "direction": "lower", "baseline_value": "4", "baseline_text": "4-6",
                "target_value": "2", "target_text": "0-2"}

    def update_payload(self, obj, world):
        return {"data_source": "Tryggare Sveriges kartläggning (2014)"}


class TestMeasurementAccess(PlanAccessTests):
    api_base = "/api/v1/measurements/"

    @pytest.fixture(autouse=True)
    def _indicator(self, world, plan):
        self.indicator = services.create_indicator(
            actor=world.coordinator, focus_area=plan.public_space,
            name="Antal nattvandringsgrupper", baseline_value=2, target_value=8)

    def make(self, world):
        return services.add_measurement(actor=world.coordinator, indicator=self.indicator,
                                        measured_on=dt.date(2017, 6, 30), value=5)

    def create_payload(self, world):
        return {"indicator": self.indicator.pk, "measured_on": "2018-12-31",
                "value": "8", "source": "Uppföljning i styrgruppen"}

    def update_payload(self, obj, world):
        return {"value": "6"}


# -- contributors ----------------------------------------------------------------------


def test_contributor_edits_only_activities_of_their_organisation(world, plan, client):
    theirs = field_workers(plan, world.coordinator)
    other = safety_walks(plan, world.coordinator)
    assert world.social_services in theirs.responsible_organizations.all()
    assert world.social_services not in other.responsible_organizations.all()
    api = api_client(world.contributor)
    assert api.patch(f"/api/v1/activities/{theirs.pk}/", {"status": "done"},
                     format="json").status_code == 200
    assert api.patch(f"/api/v1/activities/{other.pk}/", {"status": "done"},
                     format="json").status_code == 403
    client.force_login(world.contributor)
    assert client.get(f"/plans/activities/{theirs.pk}/edit/").status_code == 200
    assert client.get(f"/plans/activities/{other.pk}/edit/").status_code == 403
    # Editing is not deleting.
    assert api.delete(f"/api/v1/activities/{theirs.pk}/").status_code == 403
    assert client.get(f"/plans/activities/{theirs.pk}/delete/").status_code == 403


def test_contributor_measures_only_indicators_of_their_activities(world, plan):
    theirs = services.create_indicator(
        actor=world.coordinator, activity=field_workers(plan, world.coordinator),
        name="Unga individer som brutits loss från riskfaktorerna", baseline_value=0,
        target_value=15, target_text="minst 15")
    other = services.create_indicator(
        actor=world.coordinator, activity=safety_walks(plan, world.coordinator),
        name="Genomförda trygghetsvandringar i de prioriterade områdena", baseline_value=0,
        target_value=4)
    api = api_client(world.contributor)
    ok = api.post("/api/v1/measurements/", {"indicator": theirs.pk, "measured_on": "2017-12-31",
                                            "value": "6"}, format="json")
    assert ok.status_code == 201, ok.content
    refused = api.post("/api/v1/measurements/", {"indicator": other.pk,
                                                 "measured_on": "2017-12-31", "value": "2"},
                       format="json")
    assert refused.status_code == 403
    assert other.measurements.count() == 0
    # Contributors never change the indicator itself.
    assert api.patch(f"/api/v1/indicators/{theirs.pk}/", {"target_value": "20"},
                     format="json").status_code == 403


def test_contributor_cannot_add_contribution_to_another_activity(world, plan):
    other = safety_walks(plan, world.coordinator)
    response = api_client(world.contributor).post(
        "/api/v1/contributions/", {"activity": other.pk, "party": "other", "text": "Delta"},
        format="json")
    assert response.status_code == 403


def test_api_cannot_link_another_municipality(world, plan):
    from samverkan.organizations.services import create_organization

    foreign = create_organization(actor=None, municipality=world.karlshamn,
                                  name="Karlshamns socialnämnd", abbreviation="SN",
                                  kind="committee")
    response = api_client(world.coordinator).post("/api/v1/activities/", {
        "focus_area": plan.public_space.pk, "title": SAFETY_WALKS,
        "responsible_organizations": [foreign.pk]}, format="json")
    assert response.status_code == 400
    response = api_client(world.other_municipality_user).post("/api/v1/activities/", {
        "focus_area": plan.public_space.pk, "title": SAFETY_WALKS}, format="json")
    assert response.status_code == 400  # the focus area is not theirs to see
