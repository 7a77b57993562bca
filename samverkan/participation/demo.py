"""Demo data of residents' participation, loaded by `manage.py load_demo` (see
`samverkan.demo.loader`).

- From seed 004 (Eskilstuna's agreement 2016), not examples: the citizen dialogue of 2015 in
  Fröslunda and Lagersberg and the concerns the agreement reports from it, word for word where
  the agreement words them; the dialogue's day is not in the source (the demo uses 1 October
  2015 and says so). Seed 004's pledges (Essunga 2019, Strängnäs 2017, Jönköping 2018) are of
  municipalities the demo does not use and are left out.
- Made up, marked as examples: a safety walk in Fröslunda after dark with five observations and
  their measures, the next (planned, public) walk in Årby, and Eskilstuna's pledge "Renare och
  tryggare Fröslunda" with its follow-up of the last tertial ended, written for the demo's
  current follow-up round (`samverkan.followup.demo`, loaded before this one): the round's
  page and report show it in their section "Medborgarlöften".

Idempotent: records are looked up by title before they are written.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from samverkan.organizations.models import Municipality, Organization
from samverkan.plans.models import Activity

from . import services
from .models import Dialogue, Pledge, PledgeFollowUp, SafetyWalk

MUNICIPALITY = "0484"
FROSLUNDA_ROUTE = [[59.3598, 16.5433], [59.3590, 16.5461], [59.3581, 16.5487],
                   [59.3571, 16.5470], [59.3566, 16.5441], [59.3578, 16.5420]]
OBSERVATIONS = [
    ("lighting", "Gångtunneln under Gillbergavägen är mörk, två armaturer trasiga.",
     "Gångtunneln vid Gillbergavägen", 59.3590, 16.5461,
     "Byta armaturerna och sätta ljusare belysning i tunneln.", "Stadsbyggnadsförvaltningen",
     "accepted", ""),
    ("vegetation", "Buskar skymmer sikten längs gångvägen mot skolan.",
     "Gångvägen mot Fröslundaskolan", 59.3581, 16.5487,
     "Beskära buskagen till en meters höjd.", "Kfast", "done", ""),
    ("graffiti", "Klotter på elskåp och på baksidan av butikerna vid torget.",
     "Fröslunda torg", 59.3571, 16.5470,
     "Sanera inom 48 timmar enligt fastighetsägarnätverkets löfte.", "Kfast", "accepted", ""),
    ("littering", "Nedskräpning och överfulla papperskorgar vid busshållplatsen.",
     "Busshållplatsen Fröslunda centrum", 59.3566, 16.5441,
     "Fler papperskorgar och tätare tömning.", "Stadsbyggnadsförvaltningen", "proposed", ""),
    ("traffic", "Mopeder kör på gång- och cykelbanan genom parken.",
     "Parken vid Fröslunda centrum", 59.3578, 16.5420,
     "Bommar vid parkens infarter.", "Stadsbyggnadsförvaltningen", "rejected",
     "Bommar hindrar räddningstjänsten; i stället riktade trafikkontroller (polisen)."),
]
DIALOGUE_CONCERNS = [
    ("lighting", "Många platser i områdena upplevdes ha brister i belysning."),
    ("littering", "Nedskräpning."),
    ("vandalism", "Skadegörelse."),
    ("neighbours", "Konflikter mellan boende."),
    ("lighting", "Många tunnlar och gångstråk upplevdes vara ett problem, särskilt under "
                 "dygnets mörka timmar."),
    ("gangs", "Ungdomsgäng, bestående av mestadels unga killar, som en källa till otrygghet."),
    ("other", "Önskemål fanns från medborgarna att samverkan mellan kommun, polis och "
              "fastighetsägare behöver bli bättre."),
    ("other", "Man föreslog också trygghetsvandringar i områdena."),
    ("police", "Ett annat, tydligt önskemål från medborgarna var synliga och patrullerande "
               "poliser."),
]


def _org(municipality, name):
    return Organization.objects.filter(municipality=municipality, name=name).first()


def load(*, actor, stdout=None, today: dt.date | None = None) -> None:
    municipality = Municipality.objects.get(code=MUNICIPALITY)
    now = timezone.localtime()
    if not SafetyWalk.objects.filter(municipality=municipality,
                                     title="Trygghetsvandring i Fröslunda").exists():
        activity = Activity.objects.filter(municipality=municipality,
                                           title__icontains="trygghetsvandring").first()
        walked = (now - dt.timedelta(days=21)).replace(hour=19, minute=0, second=0,
                                                       microsecond=0)
        walk = services.create_walk(
            actor=actor, municipality=municipality, title="Trygghetsvandring i Fröslunda",
            area="Fröslunda", starts_at=walked, light="dark", route=FROSLUNDA_ROUTE,
            organisers="Eskilstuna kommun (trygghetssamordnaren) och lokalpolisområde "
                       "Eskilstuna",
            invited="Boende i Fröslunda\nLokala Brå\nPolisen (områdespolis)\n"
                    "Stadsbyggnadsförvaltningen\nKfast\nHyresgästföreningen\n"
                    "Fröslundaskolan\nFritidsgården",
            participant_count=16, status="published",
            pre_meeting="Samling 18.30 i Fröslunda bibliotek: syftet, rutten och hur "
                        "iakttagelser antecknas.",
            summary="Fem iakttagelser. Belysningen i gångtunneln och buskagen mot skolan "
                    "prioriteras.",
            published_on=(walked + dt.timedelta(days=14)).date(), activity=activity,
            is_example=True)
        for category, text, place, lat, lon, measure, org, status, reason in OBSERVATIONS:
            o = services.add_observation(actor=actor, walk=walk, category=category, text=text,
                                         place=place, lat=lat, lon=lon)
            responsible = _org(municipality, org)
            services.update_observation(
                o, actor=actor, measure=measure, status=status, rejection_reason=reason,
                responsible_organization=responsible,
                responsible_text="" if responsible else org)
    if not SafetyWalk.objects.filter(municipality=municipality,
                                     title="Trygghetsvandring i Årby").exists():
        services.create_walk(
            actor=actor, municipality=municipality, title="Trygghetsvandring i Årby",
            area="Årby", starts_at=(now + dt.timedelta(days=18)).replace(
                hour=18, minute=30, second=0, microsecond=0), light="dark",
            organisers="Eskilstuna kommun och lokalpolisområde Eskilstuna",
            pre_meeting="Samling 18.00 vid Årby centrum.", confidentiality="public",
            is_example=True)
    if not Dialogue.objects.filter(municipality=municipality,
                                   title="Medborgardialog 2015").exists():
        dialogue = services.create_dialogue(
            actor=actor, municipality=municipality, title="Medborgardialog 2015",
            held_on=dt.date(2015, 10, 1), area="Fröslunda och Lagersberg",
            organiser="Eskilstuna kommun och polisen",
            summary="Ur samverkansöverenskommelsen 2016 (Lägesbild av tryggheten i "
                    "Eskilstuna). Dagen anges inte i källan: demon använder 1 oktober 2015.")
        for category, text in DIALOGUE_CONCERNS:
            services.add_concern(actor=actor, dialogue=dialogue, category=category, text=text,
                                 place="Fröslunda och Lagersberg")
    _load_pledge(municipality, actor=actor, today=today or now.date())


def demo_round(today: dt.date):
    """The follow-up round the demo's reports are written for now (loaded before this app by
    `samverkan.followup.demo`); None when the demo has no Eskilstuna 2024-2027 agreement."""
    from samverkan.followup import demo as followup_demo

    agreement = followup_demo.demo_agreement()
    return followup_demo.demo_current_round(agreement, today) if agreement else None


def tertial_followed_up(round, today: dt.date) -> tuple[str, dt.date]:
    """The tertial a pledge's follow-up in ``round`` reports on, and the day it was written:
    the last tertial of the round's period that has ended by ``today`` (written two weeks
    after it, not after today), else the tertial under way (written today)."""
    start = round.period_start if round else dt.date(today.year, 1, 1)
    end = round.period_end if round else dt.date(today.year, 12, 31)
    ended = None
    for year in range(start.year, end.year + 1):
        for number, (first, last) in enumerate(((1, 4), (5, 8), (9, 12)), start=1):
            t_start = dt.date(year, first, 1)
            t_end = (dt.date(year + (last == 12), last % 12 + 1, 1) - dt.timedelta(days=1))
            if start <= t_start and t_end <= end and t_end < today:
                ended = (number, year, t_end)
    if ended is not None:
        number, year, t_end = ended
        return f"T{number} {year}", min(t_end + dt.timedelta(days=14), today)
    day = min(today, end)
    return f"T{(day.month - 1) // 4 + 1} {day.year}", day


def _load_pledge(municipality, *, actor, today: dt.date) -> None:
    """The example pledge and its follow-up, written for the demo's current follow-up round:
    the round's page and report carry it (`samverkan.participation.rounds`). The pledge runs
    from the start of the round's year, so it runs in the round's period."""
    round = demo_round(today)
    pledge = Pledge.objects.filter(municipality=municipality,
                                   title="Renare och tryggare Fröslunda").first()
    if pledge is None:
        year = round.period_start.year if round else today.year
        pledge = services.create_pledge(
            actor=actor, municipality=municipality, title="Renare och tryggare Fröslunda",
            period_start=dt.date(year, 1, 1), period_end=dt.date(year + 1, 12, 31),
            problem="Boende i Fröslunda upplever nedskräpning, mopeder på gångbanorna och unga "
                    "som samlas i gäng som de största problemen.",
            police_promise="Vi ökar den synliga närvaron i Fröslunda centrum fredag och "
                           "lördag kväll och gör riktade kontroller av mopeder.",
            municipality_promise="Vi städar och tömmer papperskorgar oftare, lagar belysningen "
                                 "i gångtunnlarna och ordnar en trygghetsvandring varje år.",
            signatories="Kommunstyrelsens ordförande\nLokalpolisområdeschef, LPO Eskilstuna",
            signed_on=dt.date(year, 2, 1), confidentiality="public", is_example=True)
    if not pledge.is_example:
        return  # someone's real pledge of the same name: the demo leaves it alone
    if round is not None and not (pledge.period_start <= round.period_end
                                  and round.period_start <= pledge.period_end):
        round = None  # a pledge of an earlier demo that does not run in this round
    if round is not None and PledgeFollowUp.objects.filter(pledge=pledge,
                                                           round__isnull=False).exists():
        return
    if round is None and pledge.followups.exists():
        return
    period, reported_on = tertial_followed_up(round, today)
    services.add_followup(
        actor=actor, pledge=pledge, round=round, period=period, reported_on=reported_on,
        progress="on_track", text="Två städdagar med boende och Kfast; belysningen i "
        "gångtunneln vid Gillbergavägen är lagad; 14 mopedkontroller.",
        reported_to_residents=True, confidentiality="public", is_example=True)
