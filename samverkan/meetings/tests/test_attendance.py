"""Attendance per meeting, and how often each member organisation took part."""
import datetime as dt

import pytest

from samverkan.meetings import services
from samverkan.meetings.attendance import forum_attendance

from .conftest import PLACE


@pytest.fixture
def three_held_meetings(world, kug):
    """Three held KUG meetings: the municipality at all, the police at two, social services
    at none; a Kfast-like guest organisation never; plus a planned meeting not counted."""
    actor = world.coordinator
    meetings = []
    chair, police, security, social, hr = kug.members
    for day, present in [(dt.date(2025, 2, 12), [chair, police]),
                         (dt.date(2025, 5, 20), [security]),
                         (dt.date(2025, 9, 10), [chair, police, security])]:
        meeting = services.create_meeting(actor=actor, forum=kug.forum, date=day, place=PLACE,
                                          status="held", with_proposed_agenda=False)
        ids = [a.pk for a in meeting.attendances.filter(member__in=present)]
        services.record_attendance(meeting, actor=actor, present=ids)
        meetings.append(meeting)
    planned = services.create_meeting(actor=actor, forum=kug.forum, date=dt.date(2025, 11, 12),
                                      with_proposed_agenda=False)
    services.record_attendance(planned, actor=actor,
                               present=planned.attendances.values_list("pk", flat=True))
    return meetings


def test_attendance_statistics_per_organisation(world, kug, three_held_meetings):
    rows = {r.organization: r for r in forum_attendance(kug.forum, world.reader)}
    assert rows[world.municipality_org].present == 3
    assert rows[world.municipality_org].members == 3
    assert rows[world.police_org].present == 2 and rows[world.police_org].percent == 67
    assert rows[world.social_services].present == 0
    assert all(r.held == 3 for r in rows.values())


def test_guest_organisations_count_too(world, kug, three_held_meetings):
    services.add_attendance(actor=world.coordinator, meeting=three_held_meetings[0],
                            guest_name="Kommunpolis", organization=world.police_org,
                            present=True)
    services.add_attendance(actor=world.coordinator, meeting=three_held_meetings[1],
                            guest_name="Kommunpolis", organization=world.police_org,
                            present=True)
    rows = {r.organization: r for r in forum_attendance(kug.forum, world.reader)}
    assert rows[world.police_org].present == 3  # meetings, not people


def test_attendance_rules(world, kug):
    from django.core.exceptions import ValidationError

    meeting = services.create_meeting(actor=world.coordinator, forum=kug.ksg,
                                      date=dt.date(2025, 3, 1), with_proposed_agenda=False)
    with pytest.raises(ValidationError):  # a KUG member is not a member of KSG
        services.add_attendance(actor=world.coordinator, meeting=meeting,
                                member=kug.members[0])
    with pytest.raises(ValidationError):  # neither a member nor a guest's name
        services.add_attendance(actor=world.coordinator, meeting=meeting, guest_name=" ")


def test_record_attendance_audits_only_changes(world, kug):
    from samverkan.audit.models import AuditEntry

    meeting = services.create_meeting(actor=world.coordinator, forum=kug.forum,
                                      date=dt.date(2025, 3, 1), with_proposed_agenda=False)
    ids = list(meeting.attendances.values_list("pk", flat=True))
    before = AuditEntry.objects.count()
    assert services.record_attendance(meeting, actor=world.coordinator, present=ids[:2]) == 2
    assert services.record_attendance(meeting, actor=world.coordinator, present=ids[:2]) == 0
    assert AuditEntry.objects.count() == before + 2


def test_forum_attendance_page_and_partial(world, kug, three_held_meetings, client):
    from django.urls import reverse

    client.force_login(world.reader)
    url = reverse("meetings:forum_attendance", args=[kug.forum.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lokalpolisområde Eskilstuna" in html and "2 / 3" in html and "67 %" in html
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "2 / 3" in partial.content.decode()
    client.force_login(world.other_municipality_user)
    assert client.get(url).status_code == 404
