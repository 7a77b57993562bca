"""A decision can create or change an activity of the plan in one step; the activity then
lists the decision."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from samverkan.audit.models import AuditEntry
from samverkan.core.testing import api_client
from samverkan.meetings import services
from samverkan.plans.models import Activity

from .conftest import PLACE


@pytest.fixture
def meeting(world, kug):
    return services.create_meeting(actor=world.coordinator, forum=kug.forum,
                                   date=dt.date(2025, 9, 10), place=PLACE, status="held")


def _render_activity_decisions(activity, user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    return render_to_string("meetings/_activity_decisions.html", {"activity": activity},
                            request=request)


def test_decision_creates_an_activity(world, kug, meeting):
    before = AuditEntry.objects.count()
    decision = services.record_decision(
        actor=world.coordinator, meeting=meeting,
        text="KUG beslutar att starta nattvandring i samverkan med föreningslivet.",
        create_activity={"focus_area": kug.focus_areas[1], "sub_goal": kug.sub_goals[(2, 3)],
                         "title": "Nattvandring: möta ungdomar som är ute sent på kvällen",
                         "timing_text": "Hösten 2025",
                         "responsible_organizations": [world.social_services]})
    activity = decision.activity
    assert decision.effect == "created"
    assert activity.focus_area == kug.focus_areas[1]
    assert activity.sub_goal == kug.sub_goals[(2, 3)]
    assert list(activity.responsible_organizations.all()) == [world.social_services]
    assert activity.start_date == dt.date(2025, 9, 1)  # parsed from "Hösten 2025"
    assert list(activity.decisions.all()) == [decision]
    # one audit entry for the activity, one for the decision
    entries = list(AuditEntry.objects.all()[:AuditEntry.objects.count() - before])
    assert sorted(e.content_type.model for e in entries) == ["activity", "decision"]
    assert all(e.action == "create" and e.actor == world.coordinator for e in entries)
    html = _render_activity_decisions(activity, world.reader)
    assert "KUG beslutar att starta nattvandring" in html
    assert "Skapade en aktivitet" in html


def test_decision_changes_an_activity(world, kug, meeting):
    before = AuditEntry.objects.count()
    decision = services.record_decision(
        actor=world.coordinator, meeting=meeting,
        text="Krogar mot knark förlängs till utgången av 2026.",
        change_activity=(kug.krogar, {"end_date": dt.date(2026, 12, 31), "status": "ongoing"}))
    kug.krogar.refresh_from_db()
    assert kug.krogar.end_date == dt.date(2026, 12, 31)
    assert decision.effect == "changed" and decision.activity == kug.krogar
    assert decision.activity_changes["end_date"] == "2026-12-31"
    assert AuditEntry.objects.count() == before + 2
    assert "Krogar mot knark förlängs" in _render_activity_decisions(kug.krogar,
                                                                     world.coordinator)


def test_decision_is_all_or_nothing(world, kug, meeting):
    """A failing decision leaves no activity behind."""
    before = Activity.objects.count()
    with pytest.raises(ValidationError):
        services.record_decision(actor=world.coordinator, meeting=meeting, text="  ",
                                 create_activity={"focus_area": kug.focus_areas[1],
                                                  "title": "Nattvandring"})
    with pytest.raises(ValidationError):
        services.record_decision(actor=world.coordinator, meeting=meeting, text="Beslut",
                                 change_activity=(kug.krogar, {"row_key": "x"}))
    assert Activity.objects.count() == before


def test_decision_creates_an_activity_through_the_api(world, kug, meeting):
    before = AuditEntry.objects.count()
    response = api_client(world.coordinator).post("/api/v1/decisions/", {
        "meeting": meeting.pk,
        "text": "KUG beslutar att starta nattvandring i samverkan med föreningslivet.",
        "create_activity": {"focus_area": kug.focus_areas[1].pk,
                            "sub_goal": kug.sub_goals[(2, 3)].pk,
                            "title": "Nattvandring: möta ungdomar som är ute sent på kvällen",
                            "responsible_organizations": [world.social_services.pk]},
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["effect"] == "created" and body["activity"]
    activity = Activity.objects.get(pk=body["activity"])
    assert activity.title.startswith("Nattvandring")
    assert AuditEntry.objects.count() == before + 2
    # a recorded decision's effect cannot be rewritten
    patch = api_client(world.coordinator).patch(
        f"/api/v1/decisions/{body['id']}/",
        {"change_activity": {"activity": activity.pk, "status": "done"}}, format="json")
    assert patch.status_code == 400


def test_api_decision_cannot_reach_another_municipality(world, kug, meeting):
    from samverkan.agreements import services as agreements

    other = agreements.create_agreement(
        actor=world.other_municipality_user, municipality=world.karlshamn,
        title="Samverkansöverenskommelse Karlshamn 2021–2024",
        start_date=dt.date(2021, 1, 1), end_date=dt.date(2024, 12, 31))
    area = agreements.create_focus_area(actor=world.other_municipality_user, agreement=other,
                                        title="Trafik")
    before = Activity.objects.count()
    response = api_client(world.coordinator).post("/api/v1/decisions/", {
        "meeting": meeting.pk, "text": "Beslut",
        "create_activity": {"focus_area": area.pk, "title": "Trafik"}}, format="json")
    assert response.status_code == 400
    assert Activity.objects.count() == before


def test_contributor_cannot_create_activities_through_a_decision(world, kug, meeting):
    response = api_client(world.contributor).post("/api/v1/decisions/", {
        "meeting": meeting.pk, "text": "Beslut",
        "create_activity": {"focus_area": kug.focus_areas[1].pk, "title": "Nattvandring"}},
        format="json")
    assert response.status_code == 403
