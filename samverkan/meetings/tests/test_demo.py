"""The meetings demo (`samverkan.meetings.demo`): the strategic council KUG of Eskilstuna
2024-2027 (seed 001) met four weeks ago, with attendance, agenda, minutes, a decision that
added an activity to the plan and an open action item; its next meeting is planned with the
proposed agenda."""
import datetime as dt

import pytest

from samverkan.audit.models import AuditEntry
from samverkan.followup import demo as followup_demo
from samverkan.followup.tests.test_demo import load_demo_base
from samverkan.meetings import demo
from samverkan.meetings.choices import (
    ActionItemStatus,
    AgendaSource,
    DecisionEffect,
    MeetingStatus,
)
from samverkan.meetings.models import Meeting
from samverkan.plans.models import Activity

TODAY = dt.date(2025, 10, 14)


@pytest.fixture
def loaded(db):
    agreement = load_demo_base()
    current = followup_demo.load(actor=None, today=TODAY)
    held, upcoming = demo.load(actor=None, today=TODAY)
    return agreement, current, held, upcoming


def test_the_held_kug_meeting(loaded):
    agreement, _current, held, _upcoming = loaded
    assert held.forum.name == "KUG Tryggt och socialt hållbart Eskilstuna"
    assert held.forum.agreement == agreement
    assert held.status == MeetingStatus.HELD
    assert TODAY - dt.timedelta(days=35) <= held.date < TODAY

    # Attendance: the members the agreement names, from both parties, plus two guests.
    present = held.attendances.filter(present=True).select_related("member", "organization")
    members = [a for a in present if a.member_id]
    assert {a.member.function for a in members} >= {"Direktör för social hållbarhet",
                                                     "Biträdande lokalpolisområdeschef",
                                                     "VD Kfast", "Förvaltningschef"}
    assert {a.organization.name for a in members} >= {"Eskilstuna kommun",
                                                      "Lokalpolisområde Eskilstuna",
                                                      "Socialförvaltningen"}
    assert held.attendances.filter(present=False).exists()
    assert {a.guest_name for a in present if not a.member_id} == {
        "Brottsförebyggande samordnare", "Kommunpolis"}

    # Agenda with minutes for every item; the first item is the last follow-up round.
    items = list(held.agenda_items.order_by("order"))
    assert len(items) == 3 and all(item.minutes for item in items)
    assert items[0].followup_round.label == "Delår 2 2025"
    assert items[2].focus_area.title == "Bekämpa systemhotande brottslighet"


def test_the_decision_created_an_activity_and_the_action_item_is_open(loaded):
    agreement, _current, held, _upcoming = loaded
    decision = held.decisions.get()
    assert decision.effect == DecisionEffect.CREATED
    activity = decision.activity
    assert activity == Activity.objects.get(
        agreement=agreement, title="Informationsinsats: fler ska anmäla brott och vittna")
    assert activity.focus_area.number == 4
    assert activity.sub_goal.text.startswith("Genomfört aktiviteter för att fler ska anmäla")
    assert {o.name for o in activity.responsible_organizations.all()} == {
        "Eskilstuna kommun", "Lokalpolisområde Eskilstuna"}
    assert list(activity.decisions.all()) == [decision]
    assert decision.agenda_item.title == "Fokusområde 4: fler ska anmäla brott och vittna"

    action = held.action_items.get()
    assert action.status == ActionItemStatus.OPEN
    assert action.organization.name == "Eskilstuna kommun" and action.person


def test_the_next_meeting_has_the_proposed_agenda(loaded):
    _agreement, current, held, upcoming = loaded
    assert upcoming.status == MeetingStatus.PLANNED and upcoming.date > TODAY
    assert upcoming.forum == held.forum
    items = list(upcoming.agenda_items.order_by("order"))
    assert [i.source for i in items] == [AgendaSource.CARRIED_OVER, AgendaSource.ROUND,
                                         AgendaSource.DEVIATION]
    assert items[0].carried_action_item == held.action_items.get()
    assert items[1].followup_round == current
    assert items[2].deviation.activity.title.startswith("Nattvandring")
    assert upcoming.attendances.count() == held.forum.members.count()


def test_a_second_run_writes_nothing(loaded):
    entries = AuditEntry.objects.count()
    meetings = Meeting.objects.count()
    followup_demo.load(actor=None, today=TODAY)
    demo.load(actor=None, today=TODAY)
    assert AuditEntry.objects.count() == entries
    assert Meeting.objects.count() == meetings == 2
