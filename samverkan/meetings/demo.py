"""Demo data of the meetings, loaded by `manage.py load_demo` after the agreements, the demo
users and the follow-up demo (see `samverkan.demo.loader`).

The strategic council of Eskilstuna 2024-2027 (seed 001), "Koncernutvecklingsgrupp (KUG)
Tryggt och socialt hållbart Eskilstuna", met four weeks ago: attendance from the members the
agreement names plus the coordinator and the municipal police officer as guests, an agenda
with minutes per item, a decision that added an activity to the action plan (the sub-goal
"Genomfört aktiviteter för att fler ska anmäla brott och vittna" had none) and an action item
that is still open. Its next meeting, in three weeks, is planned with the agenda the system
proposes: the action item left from last time, the follow-up round that is due and the open
deviations. Both meetings, with everything in them and the activity the decision adds, are
examples (`is_example`, "Exempel – inte ur överenskommelsen"): the forum and its members are
the agreement's, the meetings are made up.

Idempotent: the meetings are looked up before they are written, so a second run writes
nothing. Every write goes through the services.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from samverkan.agreements.models import Agreement, Forum, SubGoal
from samverkan.followup.choices import RoundKind, RoundStatus
from samverkan.organizations.models import Organization
from samverkan.plans.models import Activity

from . import services
from .choices import AgendaSource, MeetingStatus
from .models import Meeting

MUNICIPALITY = "0484"
AGREEMENT_START = dt.date(2024, 1, 1)
COORDINATOR = "samordnare"
FORUM_NAMES = ("KUG Tryggt och socialt hållbart Eskilstuna",
               "Koncernutvecklingsgrupp (KUG) Tryggt och socialt hållbart Eskilstuna")
PLACE = "Stadshuset Värjan, Alva Myrdals gata 5"
HELD_WEEKS_AGO = 4
NEXT_IN_WEEKS = 3
MEETING_WEEKDAY = 1  # Tuesday

# KUG members (function, organisation) marked present at the held meeting.
PRESENT = [
    ("Direktör för social hållbarhet", "Eskilstuna kommun"),
    ("Biträdande lokalpolisområdeschef", "Lokalpolisområde Eskilstuna"),
    ("Säkerhetschef", "Eskilstuna kommun"),
    ("Kommunikationsdirektör", "Eskilstuna kommun"),
    ("VD Kfast", "Kfast"),
    ("Förvaltningschef", "Socialförvaltningen"),
    ("Förvaltningschef", "Barn- och utbildningsförvaltningen"),
    ("Förvaltningschef", "Kultur- och fritidsförvaltningen"),
]
GUESTS = [
    ("Brottsförebyggande samordnare", "Eskilstuna kommun"),
    ("Kommunpolis", "Lokalpolisområde Eskilstuna"),
]

FOLLOWUP_MINUTES = (
    "Direktören för social hållbarhet redovisade uppföljningen av åtgärdsplanen. Aktiviteterna "
    "inom fokusområde 2 och 3 genomförs enligt plan. Uppföljningen rapporteras till kommunens "
    "trygghetsberedning.")
SITUATION_TITLE = "Lägesbild: våldet i nätverkskriminella miljöer"
SITUATION_MINUTES = (
    "Biträdande lokalpolisområdeschef redogjorde för polisens lägesbild. Kommunen bidrar med "
    "sitt underlag till den lokala lägesbilden och till NOA:s inhämtningsuppdrag. Läget i de "
    "tre områden som polisen definierat som utsatta följs vid varje möte.")
REPORTING_TITLE = "Fokusområde 4: fler ska anmäla brott och vittna"
REPORTING_DESCRIPTION = (
    "Delmålet ”Genomfört aktiviteter för att fler ska anmäla brott och vittna” har ingen "
    "aktivitet i åtgärdsplanen. KSG Systemhotande brottslighet har berett ett förslag.")
REPORTING_MINUTES = (
    "KSG Systemhotande brottslighet föreslog en gemensam informationsinsats om hur man anmäler "
    "brott och lämnar tips till polisen. Underlag finns från LACUS-samarbetets arbetsgrupp om "
    "att fler ska våga anmäla brott.")
DECISION_TEXT = (
    "KUG beslutar att kommunen och polisen genomför en gemensam informationsinsats för att "
    "fler ska anmäla brott och vittna. Aktiviteten läggs till i åtgärdsplanen under "
    "fokusområde 4.")
NEW_ACTIVITY = {
    "title": "Informationsinsats: fler ska anmäla brott och vittna",
    "description": (
        "Kommunen och polisen informerar gemensamt om hur man anmäler brott och lämnar tips "
        "(114 14, polisen.se) och om stödet till den som vittnar."),
    "status": "planned",
    "responsible_text": "Eskilstuna kommun i samverkan med polisen",
    "timing_text": "Under 2027",
    "expected_effect": "Fler brott anmäls och fler vågar vittna.",
    "communication": "eskilstuna.se, polisen.se, sociala medier",
}
ACTION_ITEM = {
    "what": ("Ta fram en gemensam kommunikationsplan för informationsinsatsen om att anmäla "
             "brott och vittna, och redovisa den för KUG."),
    "person": "Kommunikationsdirektör",
    "organization": "Eskilstuna kommun",
}


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _on_weekday(day: dt.date, forward: bool) -> dt.date:
    step = 1 if forward else -1
    while day.weekday() != MEETING_WEEKDAY:
        day += dt.timedelta(days=step)
    return day


def demo_forum() -> Forum | None:
    agreement = (Agreement.objects.filter(municipality_id=MUNICIPALITY,
                                          start_date=AGREEMENT_START).order_by("pk").first())
    if agreement is None:
        return None
    return (agreement.forums.filter(name__in=FORUM_NAMES).first()
            or agreement.forums.filter(abbreviation="KUG").order_by("pk").first())


def _org(name: str) -> Organization | None:
    return Organization.objects.filter(municipality_id=MUNICIPALITY, name=name).first()


def load(*, actor, stdout=None, today: dt.date | None = None) -> tuple[Meeting, Meeting] | None:
    """Load the KUG meetings; returns (the held meeting, the next one)."""
    today = today or timezone.localdate()
    forum = demo_forum()
    if forum is None:
        _say(stdout, "  meetings: no KUG forum in Eskilstuna 2024-2027, nothing loaded")
        return None
    actor = get_user_model().objects.filter(username=COORDINATOR).first() or actor
    held = (forum.meetings.filter(status=MeetingStatus.HELD, date__lt=today)
            .order_by("-date", "-pk").first())
    new = []
    if held is None:
        held = _held_meeting(forum, actor, _on_weekday(
            today - dt.timedelta(weeks=HELD_WEEKS_AGO), forward=False))
        new.append(held)
    upcoming = (forum.meetings.filter(status=MeetingStatus.PLANNED, date__gte=today)
                .order_by("date", "pk").first())
    if upcoming is None:
        upcoming = _next_meeting(forum, actor, _on_weekday(
            today + dt.timedelta(weeks=NEXT_IN_WEEKS), forward=True))
        new.append(upcoming)
    _say(stdout, f"  meetings: {len(new)} KUG meetings written (held {held.date:%Y-%m-%d}, "
                 f"next {upcoming.date:%Y-%m-%d})")
    return held, upcoming


def _held_meeting(forum: Forum, actor, date: dt.date) -> Meeting:
    agreement = forum.agreement
    meeting = services.create_meeting(actor=actor, forum=forum, date=date, place=PLACE,
                                      start_time=dt.time(13), end_time=dt.time(15),
                                      with_proposed_agenda=False, is_example=True)
    # Attendance: the members the agreement names, the coordinator and the police as guests.
    present = []
    for attendance in meeting.attendances.select_related("member", "organization"):
        key = (attendance.member.function if attendance.member else "",
               attendance.organization.name if attendance.organization else "")
        if key in PRESENT:
            present.append(attendance.pk)
    for name, org_name in GUESTS:
        present.append(services.add_attendance(actor=actor, meeting=meeting, guest_name=name,
                                               organization=_org(org_name), present=True).pk)
    services.record_attendance(meeting, actor=actor, present=present)

    # 1. The follow-up round last reported to the council.
    last_round = (agreement.followup_rounds.filter(status=RoundStatus.CLOSED, due_date__lte=date)
                  .exclude(kind=RoundKind.MONTHLY).order_by("-due_date", "-pk").first())
    if last_round is not None:
        item = services.add_agenda_item(
            actor=actor, meeting=meeting, title=f"Uppföljning av åtgärdsplanen: {last_round}",
            source=AgendaSource.ROUND, followup_round=last_round)
        services.record_minutes(item, actor=actor, minutes=FOLLOWUP_MINUTES)

    # 2. The situation picture (focus area 1).
    area1 = agreement.focus_areas.filter(number=1).first()
    item = services.add_agenda_item(
        actor=actor, meeting=meeting, title=SITUATION_TITLE, focus_area=area1,
        activity=Activity.objects.filter(agreement=agreement,
                                         title__startswith="Bidra till den lokala lägesbilden")
        .first())
    services.record_minutes(item, actor=actor, minutes=SITUATION_MINUTES)

    # 3. Focus area 4: a decision that adds an activity, and an action item.
    area4 = agreement.focus_areas.filter(number=4).first()
    item = services.add_agenda_item(actor=actor, meeting=meeting, title=REPORTING_TITLE,
                                    description=REPORTING_DESCRIPTION, focus_area=area4)
    services.record_minutes(item, actor=actor, minutes=REPORTING_MINUTES)
    if area4 is not None:
        sub_goal = SubGoal.objects.filter(focus_area=area4,
                                          text__startswith="Genomfört aktiviteter för att fler "
                                                           "ska anmäla brott").first()
        responsible = [o for o in (_org("Eskilstuna kommun"), _org("Lokalpolisområde Eskilstuna"))
                       if o]
        services.record_decision(actor=actor, meeting=meeting, agenda_item=item,
                                 text=DECISION_TEXT, create_activity={
                                     "focus_area": area4, "sub_goal": sub_goal,
                                     "responsible_organizations": responsible,
                                     **NEW_ACTIVITY})
    services.create_action_item(
        actor=actor, meeting=meeting, agenda_item=item, what=ACTION_ITEM["what"],
        person=ACTION_ITEM["person"], organization=_org(ACTION_ITEM["organization"]),
        due_date=date + dt.timedelta(weeks=HELD_WEEKS_AGO + NEXT_IN_WEEKS - 1))
    services.set_meeting_status(meeting, actor=actor, status=MeetingStatus.HELD)
    return meeting


def _next_meeting(forum: Forum, actor, date: dt.date) -> Meeting:
    """Planned, with the proposed agenda; the follow-up round reports are being written for
    is put on it even when it is due later than the proposal looks ahead."""
    from samverkan.followup import services as followup

    with translation.override(settings.LANGUAGE_CODE):  # the proposed items' titles
        meeting = services.create_meeting(actor=actor, forum=forum, date=date, place=PLACE,
                                          start_time=dt.time(13), end_time=dt.time(15),
                                          is_example=True)
    current = followup.current_round(forum.agreement, date)
    if current is not None and not meeting.agenda_items.filter(followup_round=current).exists():
        services.add_agenda_item(
            actor=actor, meeting=meeting, title=f"Uppföljning: {current.label}",
            description=f"Rapporterna ska vara inne {current.due_date:%Y-%m-%d}.",
            source=AgendaSource.ROUND, followup_round=current)
        order = {AgendaSource.CARRIED_OVER: 0, AgendaSource.ROUND: 1}  # as proposed
        items = sorted(meeting.agenda_items.all(),
                       key=lambda i: (order.get(i.source, 2), i.order, i.pk))
        services.reorder_agenda(meeting, actor=actor, ordered_ids=[i.pk for i in items])
    return meeting
