"""Writing activity reports: who may write which, deviations, measurements, closed rounds."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samverkan.core.testing import api_client
from samverkan.followup import services
from samverkan.followup.models import ActivityReport, Deviation


def test_contributor_cannot_report_for_another_organisations_activity(plan, world, client):
    # The police are responsible for the NOA activity; the contributor is in SN.
    with pytest.raises(PermissionDenied):
        services.submit_report(actor=world.contributor, round=plan.delar2, activity=plan.noa,
                               organization=world.police_org, status="green")
    # Nor as SN on an activity SN is not responsible for.
    with pytest.raises(PermissionDenied):
        services.submit_report(actor=world.contributor, round=plan.delar2, activity=plan.noa,
                               organization=world.social_services, status="green")
    url = reverse("followup:report_edit", args=[plan.delar2.pk, plan.noa.pk,
                                                world.police_org.pk])
    client.force_login(world.contributor)
    assert client.get(url).status_code == 403
    assert client.post(url, {"status": "green"}).status_code == 403
    response = api_client(world.contributor).post("/api/v1/activity-reports/", {
        "round": plan.delar2.pk, "activity": plan.noa.pk, "organization": world.police_org.pk,
        "status": "green"}, format="json")
    # Refused with a message naming the field (core.access.check_fields).
    assert response.status_code == 400 and "organization" in response.json()
    assert not ActivityReport.objects.exists()


def test_contributor_reports_own_activity_with_deviation_and_measurement(plan, world, client):
    url = reverse("followup:report_edit", args=[plan.delar2.pk, plan.night_walking.pk,
                                                world.social_services.pk])
    client.force_login(world.contributor)
    page = client.get(url)
    assert page.status_code == 200 and "Antal nattvandringsgrupper" in page.content.decode()
    response = client.post(url, {
        "status": "red", "what_was_done": "Nattvandring fredagar i Skiftinge.",
        "collaborated_with": "Fältassistenter, områdespoliser",
        "effects_seen": "", f"indicator_{plan.groups.pk}": "3", "measured_on": "2025-08-31"})
    assert response.status_code == 200
    assert "Gul eller röd status kräver en avvikelse" in response.content.decode()
    response = client.post(url, {
        "status": "red", "what_was_done": "Nattvandring fredagar i Skiftinge.",
        "collaborated_with": "Fältassistenter, områdespoliser",
        "deviation_kind": "blocked",
        "deviation_reason": "Föreningen som nattvandrar saknar vuxna under sommaren.",
        "deviation_proposed_action": "Informationsmöte för föräldrar i Fröslunda.",
        f"indicator_{plan.groups.pk}": "3", "measured_on": "2025-08-31", "hours": "12"})
    assert response.status_code == 302
    report = ActivityReport.objects.get()
    assert (report.status, report.organization, report.submitted_by) == (
        "red", world.social_services, world.contributor)
    deviation = Deviation.objects.get()
    assert deviation.report == report and deviation.kind == "blocked" and deviation.is_open
    assert plan.groups.latest_measurement().value == 3
    # Writing again updates the report and its open deviation instead of adding new ones.
    services.submit_report(actor=world.contributor, round=plan.delar2,
                           activity=plan.night_walking, organization=world.social_services,
                           status="yellow", deviation={"kind": "late", "reason": "Färre vuxna."})
    assert ActivityReport.objects.count() == 1 and Deviation.objects.count() == 1
    assert Deviation.objects.get().kind == "late"


def test_coordinator_writes_any_organisations_report(plan, world):
    report = services.submit_report(actor=world.coordinator, round=plan.delar2,
                                    activity=plan.noa, organization=world.police_org,
                                    status="done", what_was_done="Lägesbild varje vecka.")
    assert report.submitted_by == world.coordinator


def test_api_contributor_writes_own_report_with_deviation(plan, world):
    response = api_client(world.contributor).post("/api/v1/activity-reports/", {
        "round": plan.delar2.pk, "activity": plan.night_walking.pk,
        "organization": world.social_services.pk, "status": "yellow"}, format="json")
    assert response.status_code == 400 and "deviation" in response.json()
    response = api_client(world.contributor).post("/api/v1/activity-reports/", {
        "round": plan.delar2.pk, "activity": plan.night_walking.pk,
        "organization": world.social_services.pk, "status": "yellow",
        "deviation": {"kind": "late", "reason": "Färre vuxna nattvandrare under sommaren."},
        "measurements": [{"indicator": plan.groups.pk, "value": "4",
                          "measured_on": "2025-08-31"}]}, format="json")
    assert response.status_code == 201, response.content
    assert Deviation.objects.get().report_id == response.json()["id"]
    assert plan.groups.latest_measurement().value == 4
    listing = api_client(world.contributor).get("/api/v1/deviations/?state=open").json()
    assert listing["count"] == 1 and listing["results"][0]["age_days"] == 0


def test_closed_round_takes_no_reports(plan, world, client):
    services.close_round(plan.delar2, actor=world.coordinator)
    plan.delar2.refresh_from_db()
    assert plan.delar2.status == "closed" and plan.delar2.closed_by == world.coordinator
    with pytest.raises(ValidationError):
        services.submit_report(actor=world.coordinator, round=plan.delar2, activity=plan.noa,
                               organization=world.police_org, status="green")
    with pytest.raises(ValidationError):
        services.close_round(plan.delar2, actor=world.coordinator)


def test_round_close_through_the_page(plan, world, client):
    url = reverse("followup:round_action", args=[plan.delar2.pk, "close"])
    client.force_login(world.contributor)
    assert client.post(url).status_code == 403
    client.force_login(world.coordinator)
    assert client.post(url).status_code == 302
    plan.delar2.refresh_from_db()
    assert plan.delar2.status == "closed"


def test_expected_and_missing_reports_and_my_reports(plan, world):
    rows = services.expected_reports(plan.delar2)
    assert {(r.activity, r.organization) for r in rows} == {
        (plan.night_walking, world.social_services), (plan.noa, world.police_org)}
    services.submit_report(actor=world.contributor, round=plan.delar2,
                           activity=plan.night_walking, organization=world.social_services,
                           status="green")
    assert [(r.activity, r.organization) for r in services.missing_reports(plan.delar2)] == [
        (plan.noa, world.police_org)]
    mine = services.my_reports(world.contributor, today=dt.date(2025, 9, 1))
    assert [(r.activity, r.is_submitted) for r in mine] == [(plan.night_walking, True)]


def test_deviation_resolve_and_age(plan, world, client):
    deviation = services.raise_deviation(
        actor=world.coordinator, activity=plan.noa, kind="late",
        reason="Underlaget till lägesbilden har inte levererats.",
        opened_on=dt.date(2025, 3, 1))
    assert deviation.age_days(dt.date(2025, 3, 31)) == 30
    client.force_login(world.coordinator)
    page = client.get(reverse("followup:deviation_list"))
    assert "Underlaget till lägesbilden" in page.content.decode()
    response = client.post(reverse("followup:deviation_resolve", args=[deviation.pk]),
                           {"resolution": "Levererat till KUG i april.",
                            "resolved_on": "2025-04-10"})
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert not deviation.is_open and deviation.age_days() == 40
    assert "Underlaget" not in client.get(reverse("followup:deviation_list")).content.decode()
    with pytest.raises(ValidationError):
        services.resolve_deviation(deviation, actor=world.coordinator, resolution="igen")
