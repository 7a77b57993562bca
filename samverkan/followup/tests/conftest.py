"""The Eskilstuna 2024-2027 agreement (seed 001) with its follow-up plan, two activities of
its action plan (one the social services are responsible for, one the police) and the
night-walking indicator."""
import datetime as dt

import pytest

from samverkan.agreements import services as agreements
from samverkan.followup import services
from samverkan.plans import services as plans

FOLLOWUP_TEXT = (
    "Samverkansöverenskommelsen och dess beskrivna fokusområden följs löpande i "
    "Koncernutvecklingsgrupp (KUG) Tryggt och socialt hållbart Eskilstuna, och utvärderas "
    "under år 2027 inför framtagande av en ny samverkansöverenskommelse. I "
    "samverkansöverenskommelsens åtgärdsplan finns både tidplan och uppföljning beskrivet för "
    "respektive aktivitet. Åtgärdsplanen följs upp i samband med delår 2 och "
    "helårsrapportering i kommunens strategiska råd för brottsförebyggande frågor (KUG Tryggt "
    "och socialt hållbart Eskilstuna), med rapportering till kommunens trygghetsberedning. "
    "Eventuella avvikelser följs upp månadsvis.")


class Plan:
    pass


@pytest.fixture
def plan(world):
    actor = world.coordinator
    p = Plan()
    p.agreement = agreements.create_agreement(
        actor=actor, municipality=world.eskilstuna,
        title="Samverkansöverenskommelse mellan Eskilstuna kommun och Polismyndigheten, "
              "lokalpolisområde Eskilstuna 2024–2027",
        start_date=dt.date(2024, 1, 1), end_date=dt.date(2027, 12, 31),
        evaluation_year=2027, followup_text=FOLLOWUP_TEXT)
    p.kug = agreements.create_forum(actor=actor, agreement=p.agreement,
                                    name="KUG Tryggt och socialt hållbart Eskilstuna",
                                    abbreviation="KUG", kind="strategic_council")
    for kind in ("interim", "annual"):
        agreements.add_followup_entry(
            actor=actor, agreement=p.agreement, kind=kind, forum=p.kug,
            text="Åtgärdsplanen följs upp i samband med delår 2 och helårsrapportering i "
                 "kommunens strategiska råd för brottsförebyggande frågor.")
    agreements.add_followup_entry(actor=actor, agreement=p.agreement, kind="monthly",
                                  text="Eventuella avvikelser följs upp månadsvis.")
    agreements.add_followup_entry(
        actor=actor, agreement=p.agreement, kind="evaluation", year=2027, forum=p.kug,
        text="utvärderas under år 2027 inför framtagande av en ny samverkansöverenskommelse")
    p.area1 = agreements.create_focus_area(actor=actor, agreement=p.agreement, number=1,
                                           title="Stoppa skjutningar och grovt våld")
    p.area2 = agreements.create_focus_area(
        actor=actor, agreement=p.agreement, number=2,
        title="Stoppa nyrekrytering av barn och unga i kriminalitet")
    p.night_walking = plans.create_activity(
        actor=actor, focus_area=p.area2,
        title="Nattvandring: möta ungdomar som är ute sent på kvällen", status="ongoing",
        responsible_text="Socialförvaltningen", timing_text="Fredagar och lördagar kvällstid",
        responsible_organizations=[world.social_services])
    p.noa = plans.create_activity(
        actor=actor, focus_area=p.area1,
        title="Bidra till den lokala lägesbilden och till NOA:s inhämtningsuppdrag",
        status="ongoing", responsible_text="Eskilstuna kommun i samverkan med polisen",
        timing_text="Kontinuerligt", responsible_organizations=[world.police_org])
    p.groups = plans.create_indicator(
        actor=actor, activity=p.night_walking, name="Antal nattvandringsgrupper",
        unit="grupper", baseline_value=2, target_value=8, baseline_date=dt.date(2023, 12, 1),
        direction="higher")
    p.delar2 = services.add_round(actor=actor, agreement=p.agreement, kind="interim",
                                  label="Delår 2 2025", period_start=dt.date(2025, 1, 1),
                                  period_end=dt.date(2025, 8, 31), forum=p.kug)
    return p
