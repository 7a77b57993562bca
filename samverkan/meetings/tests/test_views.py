"""The pages a coordinator uses before and during a meeting."""
import datetime as dt

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.followup import services as followup
from samverkan.meetings import services
from samverkan.meetings.models import Decision, Meeting
from samverkan.plans.models import Activity

from .conftest import PLACE

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meeting(world, kug):
    followup.raise_deviation(actor=world.coordinator, activity=kug.krogar, kind="late",
                             reason="Utbildningen av krogpersonal har inte genomförts enligt "
                                    "tidplan.", opened_on=dt.date(2025, 6, 10))
    return services.create_meeting(actor=world.coordinator, forum=kug.forum,
                                   date=dt.date(2025, 9, 10), place=PLACE)


def test_list_shows_upcoming_and_past(world, kug, client):
    today = dt.date.today()
    services.create_meeting(actor=world.coordinator, forum=kug.forum,
                            date=today + dt.timedelta(days=20), place=PLACE,
                            with_proposed_agenda=False)
    services.create_meeting(actor=world.coordinator, forum=kug.forum,
                            date=today - dt.timedelta(days=20), status="held",
                            with_proposed_agenda=False)
    client.force_login(world.reader)
    response = client.get(reverse("meetings:meeting_list"), {"forum": kug.forum.pk})
    assert response.status_code == 200
    assert len(response.context["upcoming"]) == 1 and len(response.context["past"]) == 1
    assert "Kommande möten" in response.content.decode()
    client.force_login(world.other_municipality_user)
    assert not client.get(reverse("meetings:meeting_list")).context["upcoming"]


def test_new_meeting_with_proposed_agenda(world, kug, client):
    followup.raise_deviation(actor=world.coordinator, activity=kug.krogar, kind="late",
                             reason="Utbildningen av krogpersonal har inte genomförts.",
                             opened_on=dt.date(2025, 6, 10))
    client.force_login(world.coordinator)
    url = reverse("meetings:meeting_create")
    assert client.get(url, {"forum": kug.forum.pk}).status_code == 200
    preview = client.get(reverse("meetings:agenda_preview"),
                         {"forum": kug.forum.pk, "date": "2025-09-10"}, **HX)
    assert "Krogar mot knark" in preview.content.decode()
    response = client.post(url, {"forum": kug.forum.pk, "date": "2025-09-10",
                                 "start_time": "13:00", "end_time": "15:00", "place": PLACE,
                                 "confidentiality": "internal", "prefill_attendance": "on",
                                 "with_proposed_agenda": "on"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.agenda_items.count() == 1
    assert meeting.attendances.count() == len(kug.members)
    client.force_login(world.reader)
    assert client.get(url).status_code == 403


def test_meeting_page_for_coordinator_and_reader(world, kug, meeting, client):
    client.force_login(world.coordinator)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Dagordning och minnesanteckningar" in html
    assert "Krogar mot knark" in html and "Spara anteckningarna" in html
    assert "Direktör för social hållbarhet" in html
    client.force_login(world.reader)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert "Spara anteckningarna" not in response.content.decode()
    item = meeting.agenda_items.first()
    assert client.post(reverse("meetings:agenda_item_minutes", args=[item.pk]),
                       {f"item{item.pk}-minutes": "x"}).status_code == 403
    client.force_login(world.no_role_user)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_editing_during_the_meeting(world, kug, meeting, client):
    client.force_login(world.coordinator)
    # add an item (htmx returns the agenda section)
    response = client.post(reverse("meetings:agenda_item_add", args=[meeting.pk]),
                           {"title": "Trygga det offentliga rummet: EST-läget",
                            "description": ""}, **HX)
    assert response.status_code == 200 and 'id="agenda"' in response.content.decode()
    new = meeting.agenda_items.get(title__startswith="Trygga")
    # move it first
    client.post(reverse("meetings:agenda_item_move", args=[new.pk]), {"direction": "up"}, **HX)
    new.refresh_from_db()
    assert new.order == 1
    # minutes per item
    response = client.post(reverse("meetings:agenda_item_minutes", args=[new.pk]),
                           {f"item{new.pk}-minutes": "EST-läget redovisades av kommunpolisen."},
                           **HX)
    assert "Sparat" in response.content.decode()
    new.refresh_from_db()
    assert new.minutes == "EST-läget redovisades av kommunpolisen."
    # attendance
    chair = meeting.attendances.get(member=kug.members[0])
    response = client.post(reverse("meetings:attendance_record", args=[meeting.pk]),
                           {"present": [str(chair.pk)]})
    assert response.status_code == 302
    chair.refresh_from_db()
    assert chair.present
    client.post(reverse("meetings:attendance_guest", args=[meeting.pk]),
                {"guest_name": "Kommunpolis", "organization": world.police_org.pk,
                 "present": "on"})
    assert meeting.attendances.filter(guest_name="Kommunpolis", present=True).exists()
    # an action item, then done
    response = client.post(reverse("meetings:action_item_create", args=[meeting.pk]),
                           {"what": "Ta fram underlag om narkotika i krogmiljön till KSG.",
                            "organization": world.police_org.pk, "person": "Kommunpolis",
                            "due_date": "2025-10-31", "agenda_item": new.pk,
                            "status": "open"})
    assert response.status_code == 302
    action = meeting.action_items.get()
    response = client.post(reverse("meetings:action_item_status", args=[action.pk]),
                           {"status": "done"}, **HX)
    assert 'id="action-items"' in response.content.decode()
    action.refresh_from_db()
    assert action.status == "done"
    # mark the meeting held
    client.post(reverse("meetings:meeting_status", args=[meeting.pk]), {"status": "held"})
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_decision_form_creates_an_activity(world, kug, meeting, client):
    client.force_login(world.coordinator)
    url = reverse("meetings:decision_create", args=[meeting.pk])
    item = meeting.agenda_items.first()
    assert client.get(url, {"item": item.pk}).status_code == 200
    # missing title: a Swedish error, nothing written
    before = AuditEntry.objects.count()
    response = client.post(url, {"text": "KUG beslutar att starta nattvandring.",
                                 "effect": "created", "new_focus_area": kug.focus_areas[1].pk})
    assert response.status_code == 200
    assert "Ge den nya aktiviteten ett namn." in response.content.decode()
    assert AuditEntry.objects.count() == before
    response = client.post(url, {
        "text": "KUG beslutar att starta nattvandring i samverkan med föreningslivet.",
        "agenda_item": item.pk, "effect": "created",
        "new_focus_area": kug.focus_areas[1].pk, "new_sub_goal": kug.sub_goals[(2, 3)].pk,
        "new_title": "Nattvandring: möta ungdomar som är ute sent på kvällen",
        "new_timing_text": "Hösten 2025",
        "new_responsible_organizations": [world.social_services.pk]})
    assert response.status_code == 302
    decision = Decision.objects.get()
    activity = Activity.objects.get(title__startswith="Nattvandring")
    assert decision.activity == activity and decision.agenda_item == item
    assert AuditEntry.objects.count() == before + 2
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Nattvandring: möta ungdomar" in page
    # a change decision
    response = client.post(url, {"text": "Krogar mot knark förlängs till 2026.",
                                 "effect": "changed", "change_activity": kug.krogar.pk,
                                 "change_end_date": "2026-12-31"})
    assert response.status_code == 302
    kug.krogar.refresh_from_db()
    assert kug.krogar.end_date == dt.date(2026, 12, 31)


def test_stale_minutes_are_refused_with_what_changed(world, kug, meeting, client):
    """The minutes form carries the item's version (optimistic locking): a save from a page
    opened before someone else saved the minutes is refused, says what changed, and keeps
    both the stored minutes and what this user typed; saving again is deliberate."""
    from bs4 import BeautifulSoup

    from samverkan.core import versioning

    item = services.add_agenda_item(actor=world.coordinator, meeting=meeting,
                                    title="Krogar mot knark")
    url = reverse("meetings:agenda_item_minutes", args=[item.pk])
    client.force_login(world.coordinator)
    page = BeautifulSoup(client.get(meeting.get_absolute_url()).content, "html.parser")
    form = page.find("form", attrs={"action": url})
    field = f"item{item.pk}-{versioning.FIELD_NAME}"
    opened = form.find("input", attrs={"name": field})["value"]
    services.record_minutes(item, actor=world.police_officer, minutes="Polisen redovisade.")

    data = {f"item{item.pk}-minutes": "Kommunen redovisade.", field: opened}
    response = client.post(url, data, **HX)
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text(" ")
    assert "Någon annan har ändrat" in text and "police_officer" in text
    assert "Minnesanteckningar: (tomt) → ”Polisen redovisade.”" in text, text
    assert "Kommunen redovisade." in text  # the user's text stays in the form
    item.refresh_from_db()
    assert item.minutes == "Polisen redovisade."
    new = BeautifulSoup(response.content, "html.parser").find(
        "input", attrs={"name": field})["value"]
    assert new == versioning.version_of(item)
    assert client.post(url, {**data, field: new}, **HX).status_code == 200
    item.refresh_from_db()
    assert item.minutes == "Kommunen redovisade."
    # Without htmx: the refusal comes back as a message on the meeting page.
    response = client.post(url, data, follow=True)
    assert "Någon annan har ändrat" in response.content.decode()
    item.refresh_from_db()
    assert item.minutes == "Kommunen redovisade."
