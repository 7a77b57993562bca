"""The compliance page: Lag (2023:196) duties and Brå's five steps, answered from the data."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.agreements import services as agreements
from samverkan.audit.models import AuditEntry
from samverkan.followup import services as followup
from samverkan.meetings import services
from samverkan.meetings.choices import ComplianceKey
from samverkan.meetings.compliance import compliance_by_step, compliance_lines

from .conftest import PLACE


def _lines(agreement, today):
    from django.contrib.auth import get_user_model

    reader = get_user_model().objects.filter(is_superuser=True).first() or \
        get_user_model().objects.create_superuser("compliance-reader", password="x-x-x-x-x")
    return {line.key: line for line in compliance_lines(agreement, reader, today=today)}


@pytest.fixture
def today():
    return timezone.localdate()


def test_fresh_agreement_shows_what_is_missing(world, kug, today):
    lines = _lines(kug.agreement, today)
    assert set(lines) == set(ComplianceKey.values)
    assert lines["coordinator_named"].met  # the world has a coordinator
    assert lines["action_plan_adopted"].met  # active, with "Krogar mot knark"
    for key in ("situation_picture", "agreement_signed", "strategic_council_met",
                "minutes_kept", "followup_reported", "pledges_reported", "own_preparations"):
        assert not lines[key].met, key
    assert "2023-11-27" in lines["agreement_signed"].evidence  # signed, signatories unknown
    assert not lines["pledges_reported"].from_data
    assert lines["strategic_council_met"].law and not lines["minutes_kept"].law
    groups = compliance_by_step(list(lines.values()))
    assert [g.step for g in groups] == ["initiate", "own_preparations", "joint_preparations",
                                        "implementation", "followup"]
    assert all(line.url for line in lines.values() if line.from_data)


def test_lines_met_from_the_data(world, kug, today):
    from samverkan.situation.yearly import save_yearly_picture

    actor = world.coordinator
    agreements.add_signatory(actor=actor, agreement=kug.agreement,
                             name="Kommunstyrelsens ordförande",
                             organization=world.municipality_org,
                             signed_on=dt.date(2023, 11, 27))
    agreements.add_signatory(actor=actor, agreement=kug.agreement,
                             name="Lokalpolisområdeschef", organization=world.police_org,
                             signed_on=dt.date(2023, 11, 27))
    meeting = services.create_meeting(actor=actor, forum=kug.forum,
                                      date=today - dt.timedelta(days=30), place=PLACE,
                                      status="held", with_proposed_agenda=False)
    item = services.add_agenda_item(actor=actor, meeting=meeting, title="Krogar mot knark",
                                    activity=kug.krogar)
    lines = _lines(kug.agreement, today)
    assert lines["agreement_signed"].met
    assert lines["strategic_council_met"].met
    assert not lines["minutes_kept"].met and str(meeting) in lines["minutes_kept"].evidence
    services.record_minutes(item, actor=actor, minutes="Läget i krogmiljön redovisades.")
    round_ = followup.add_round(actor=actor, agreement=kug.agreement, kind="interim",
                                label=f"Delår 2 {today.year}",
                                period_start=dt.date(today.year, 1, 1),
                                period_end=dt.date(today.year, 8, 31), forum=kug.forum)
    followup.close_round(round_, actor=actor)
    save_yearly_picture(actor=actor, municipality=world.eskilstuna, year=today.year,
                        analysis="Narkotikabrotten i krogmiljön har ökat.")
    lines = _lines(kug.agreement, today)
    for key in ("minutes_kept", "followup_reported", "situation_picture"):
        assert lines[key].met and lines[key].data_met, key
    assert f"Delår 2 {today.year}" in lines["followup_reported"].evidence
    # a meeting older than 12 months does not count
    later = today + dt.timedelta(days=400)
    assert not _lines(kug.agreement, later)["strategic_council_met"].met


def test_ticked_by_hand_records_who_and_when(world, kug, today, client):
    url = reverse("meetings:compliance_check", args=[kug.agreement.pk, "pledges_reported"])
    client.force_login(world.reader)
    assert client.post(url, {"pledges_reported-checked": "on"}).status_code == 403
    client.force_login(world.coordinator)
    before = AuditEntry.objects.count()
    response = client.post(url, {"pledges_reported-checked": "on",
                                 "pledges_reported-note": "Redovisat på eskilstuna.se"})
    assert response.status_code == 302
    assert AuditEntry.objects.count() == before + 1
    line = _lines(kug.agreement, today)["pledges_reported"]
    assert line.met and line.check.checked_by == world.coordinator
    assert line.check.checked_at is not None
    page = client.get(reverse("meetings:compliance", args=[kug.agreement.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Redovisat på eskilstuna.se" in html and "coordinator" in html
    # unticking clears who and when
    client.post(url, {"pledges_reported-note": ""})
    line = _lines(kug.agreement, today)["pledges_reported"]
    assert not line.met and line.check.checked_by is None
    client.force_login(world.other_municipality_user)
    assert client.get(reverse("meetings:compliance",
                              args=[kug.agreement.pk])).status_code == 404
