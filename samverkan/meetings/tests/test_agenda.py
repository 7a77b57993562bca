"""The proposed agenda: action items left from earlier meetings, the follow-up round that is
due, and the open deviations; the coordinator then edits it."""
import datetime as dt

import pytest

from samverkan.audit.models import AuditEntry
from samverkan.followup import services as followup
from samverkan.meetings import services
from samverkan.meetings.agenda import propose_agenda
from samverkan.meetings.choices import AgendaSource

from .conftest import PLACE


@pytest.fixture
def cycle(world, kug):
    """A held KUG meeting in May 2025 with open, done and cancelled action items; the Delår 2
    round; an open and a resolved deviation."""
    actor = world.coordinator
    kug.may = services.create_meeting(actor=actor, forum=kug.forum, date=dt.date(2025, 5, 20),
                                      place=PLACE, status="held")
    kug.open_item = services.create_action_item(
        actor=actor, meeting=kug.may, organization=world.police_org, person="Kommunpolis",
        what="Ta fram underlag om narkotika i krogmiljön till KSG.",
        due_date=dt.date(2025, 8, 31))
    kug.done_item = services.create_action_item(
        actor=actor, meeting=kug.may, organization=world.municipality_org,
        what="Bjuda in fler krogar till Krogar mot knark.", status="done")
    services.create_action_item(actor=actor, meeting=kug.may, person="Säkerhetschef",
                                what="Boka trygghetsberedningen.", status="cancelled")
    ksg_meeting = services.create_meeting(actor=actor, forum=kug.ksg,
                                          date=dt.date(2025, 5, 21), status="held")
    services.create_action_item(actor=actor, meeting=ksg_meeting, person="Kommunpolis",
                                what="Veckovis EST-avstämning.")
    kug.delar2 = followup.add_round(actor=actor, agreement=kug.agreement, kind="interim",
                                    label="Delår 2 2025", period_start=dt.date(2025, 1, 1),
                                    period_end=dt.date(2025, 8, 31), forum=kug.forum)
    kug.helar = followup.add_round(actor=actor, agreement=kug.agreement, kind="annual",
                                   label="Helår 2025", period_start=dt.date(2025, 1, 1),
                                   period_end=dt.date(2025, 12, 31), forum=kug.forum)
    followup.add_round(actor=actor, agreement=kug.agreement, kind="monthly",
                       label="Avvikelsekontroll augusti 2025",
                       period_start=dt.date(2025, 8, 1), period_end=dt.date(2025, 8, 31))
    kug.deviation = followup.raise_deviation(
        actor=world.contributor, activity=kug.krogar, kind="late",
        reason="Utbildningen av krogpersonal har inte genomförts enligt tidplan.",
        proposed_action="Ny utbildning under hösten.", opened_on=dt.date(2025, 6, 10))
    resolved = followup.raise_deviation(actor=actor, activity=kug.krogar, kind="blocked",
                                        reason="Avtalet med krogarna var inte förnyat.",
                                        opened_on=dt.date(2025, 3, 1))
    followup.resolve_deviation(resolved, actor=actor, resolution="Avtalet är förnyat.",
                               resolved_on=dt.date(2025, 4, 1))
    return kug


def test_new_meeting_gets_the_proposed_agenda(world, cycle):
    meeting = services.create_meeting(actor=world.coordinator, forum=cycle.forum,
                                      date=dt.date(2025, 9, 10), place=PLACE)
    items = list(meeting.agenda_items.order_by("order"))
    assert [i.source for i in items] == [AgendaSource.CARRIED_OVER, AgendaSource.ROUND,
                                         AgendaSource.DEVIATION]
    assert [i.order for i in items] == [1, 2, 3]
    carried, round_item, deviation_item = items
    assert carried.carried_action_item == cycle.open_item
    assert "Ta fram underlag om narkotika" in carried.title
    assert "Kommunpolis" in carried.description and "2025-05-20" in carried.description
    assert round_item.followup_round == cycle.delar2
    assert round_item.title == "Uppföljning: Delår 2 2025"
    assert deviation_item.deviation == cycle.deviation
    assert deviation_item.activity == cycle.krogar
    assert deviation_item.focus_area == cycle.focus_areas[3]
    assert "Ny utbildning under hösten." in deviation_item.description
    # attendees pre-filled from the forum's members, none marked present yet
    assert meeting.attendances.count() == len(cycle.members)
    assert not meeting.attendances.filter(present=True).exists()


def test_proposal_leaves_out_what_is_done_resolved_elsewhere_or_not_due(world, cycle):
    meeting = services.create_meeting(actor=world.coordinator, forum=cycle.forum,
                                      date=dt.date(2025, 9, 10), with_proposed_agenda=False)
    links = [p.links for p in propose_agenda(meeting)]
    carried = [p["carried_action_item"] for p in links if "carried_action_item" in p]
    assert carried == [cycle.open_item]  # not done, cancelled, nor another forum's items
    rounds = [p["followup_round"] for p in links if "followup_round" in p]
    assert rounds == [cycle.delar2]  # Helår is due in January; monthly checks are left out
    deviations = [p["deviation"] for p in links if "deviation" in p]
    assert deviations == [cycle.deviation]


def test_undone_items_keep_coming_back_until_done(world, cycle):
    actor = world.coordinator
    september = services.create_meeting(actor=actor, forum=cycle.forum,
                                        date=dt.date(2025, 9, 10), status="held")
    november = services.create_meeting(actor=actor, forum=cycle.forum,
                                       date=dt.date(2025, 11, 12), with_proposed_agenda=False)
    assert cycle.open_item in [p.links.get("carried_action_item")
                               for p in propose_agenda(november)]
    services.set_action_item_status(cycle.open_item, actor=actor, status="done")
    assert cycle.open_item not in [p.links.get("carried_action_item")
                                   for p in propose_agenda(november)]
    # the September meeting's own items come back in November
    new = services.create_action_item(actor=actor, meeting=september, person="Kommunpolis",
                                      what="Redovisa läget i krogmiljön.")
    assert new in [p.links.get("carried_action_item") for p in propose_agenda(november)]


def test_proposing_again_adds_only_what_is_missing(world, cycle):
    meeting = services.create_meeting(actor=world.coordinator, forum=cycle.forum,
                                      date=dt.date(2025, 9, 10))
    assert propose_agenda(meeting) == []
    assert services.apply_proposed_agenda(meeting, actor=world.coordinator) == []
    deviation_item = meeting.agenda_items.get(source=AgendaSource.DEVIATION)
    services.remove_agenda_item(deviation_item, actor=world.coordinator)
    assert [p.links["deviation"] for p in propose_agenda(meeting)] == [cycle.deviation]


def test_coordinator_edits_the_agenda(world, cycle):
    actor = world.coordinator
    meeting = services.create_meeting(actor=actor, forum=cycle.forum,
                                      date=dt.date(2025, 9, 10))
    added = services.add_agenda_item(actor=actor, meeting=meeting,
                                     title="Trygga det offentliga rummet: EST-läget",
                                     focus_area=cycle.focus_areas[2])
    assert added.order == 4
    before = AuditEntry.objects.count()
    services.move_agenda_item(added, actor=actor, direction="up")
    assert AuditEntry.objects.count() == before + 2  # the two items that swapped places
    titles = list(meeting.agenda_items.order_by("order").values_list("title", flat=True))
    assert titles[2] == "Trygga det offentliga rummet: EST-läget"
    first = meeting.agenda_items.order_by("order").first()
    services.move_agenda_item(first, actor=actor, direction="up")  # already first: no change
    assert meeting.agenda_items.order_by("order").first() == first
    ids = list(meeting.agenda_items.order_by("-order").values_list("pk", flat=True))
    services.reorder_agenda(meeting, actor=actor, ordered_ids=ids)
    assert list(meeting.agenda_items.order_by("order").values_list("pk", flat=True)) == ids
    services.record_minutes(added, actor=actor, minutes="  EST-läget redovisades.  ")
    added.refresh_from_db()
    assert added.minutes == "EST-läget redovisades."


def test_agenda_item_links_stay_within_the_agreement(world, cycle):
    from django.core.exceptions import ValidationError

    from samverkan.agreements import services as agreements

    other = agreements.create_agreement(
        actor=world.coordinator, municipality=world.eskilstuna,
        title="Samverkansöverenskommelse 2016", start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2019, 12, 31))
    area = agreements.create_focus_area(actor=world.coordinator, agreement=other,
                                        title="Trafik")
    with pytest.raises(ValidationError):
        services.add_agenda_item(actor=world.coordinator, meeting=cycle.may, title="Trafik",
                                 focus_area=area)
