"""Eskilstuna 2024-2027 (seed 001): the agreement with both parties, its four focus areas
and their sub-goals, the strategic council KUG Tryggt och socialt hållbart Eskilstuna with
the functions the agreement names, and an activity from the seed ("Krogar mot knark")."""
import datetime as dt
from types import SimpleNamespace

import pytest

from samverkan.agreements import services as agreements
from samverkan.plans import services as plans

FOCUS_AREAS = [
    ("Stoppa skjutningar och grovt våld", [
        "Förebyggt och motverkat våldet i nätverkskriminella miljöer",
        "Förebyggt och motverkat mäns våld mot kvinnor inklusive hedersrelaterat våld och "
        "förtryck."]),
    ("Stoppa nyrekrytering av barn och unga i kriminalitet", [
        "Växlat upp och utvecklat samarbete kring individer i eller i riskzon för "
        "kriminalitet.",
        "Implementerat metoder och arbetssätt för att förebygga och hantera normbrytande "
        "beteende.",
        "Stärkt samverkan för meningsfull fritid, trygga vuxenkontakter och framtidstro.",
        "Genomfört uppsökande och tidiga insatser för att stärka föräldrar i sitt "
        "föräldraskap.",
        "Säkerställt nolltolerans mot narkotika på alla skolor i kommunen och motverka "
        "efterfrågan på narkotika bland barn och unga."]),
    ("Trygga det offentliga rummet", [
        "Medvetet arbetat för att öka invånarnas tillit till kommunen och polisen",
        "Gemensamt analyserat platser som grund för brottsförebyggande och trygghetsskapande "
        "insatser."]),
    ("Bekämpa systemhotande brottslighet", [
        "Motverkat välfärdsbrott",
        "Etablerat tydliga och trygga rutiner för att förebygga och motverka otillåten "
        "påverkan",
        "Genomfört aktiviteter för att fler ska anmäla brott och vittna.",
        "Minskat tillgången på narkotika.",
        "Motverkat näringslivskriminalitet",
        "Förebyggt våldsbejakande extremism"]),
]

PLACE = "Värjan, Alva Myrdals gata 5"


def build_kug(world):
    """Build once per test (cached on the world)."""
    cached = getattr(world, "_kug", None)
    if cached is not None:
        return cached
    actor = world.coordinator
    k = SimpleNamespace()
    k.agreement = agreements.create_agreement(
        actor=actor, municipality=world.eskilstuna,
        title="Samverkansöverenskommelse mellan Eskilstuna kommun och Polismyndigheten, "
              "lokalpolisområde Eskilstuna 2024–2027",
        start_date=dt.date(2024, 1, 1), end_date=dt.date(2027, 12, 31), status="active",
        council_decision_date=dt.date(2023, 12, 14), signed_date=dt.date(2023, 11, 27),
        evaluation_year=2027,
        parties=[(world.municipality_org, "municipality"), (world.police_org, "police")])
    k.focus_areas, k.sub_goals = [], {}
    for number, (title, goals) in enumerate(FOCUS_AREAS, start=1):
        area = agreements.create_focus_area(actor=actor, agreement=k.agreement, number=number,
                                            title=title)
        k.focus_areas.append(area)
        for goal_number, text in enumerate(goals, start=1):
            k.sub_goals[(number, goal_number)] = agreements.add_sub_goal(
                actor=actor, focus_area=area, number=goal_number, text=text)
    k.forum = agreements.create_forum(
        actor=actor, agreement=k.agreement, name="KUG Tryggt och socialt hållbart Eskilstuna",
        abbreviation="KUG", kind="strategic_council",
        mandate="Gruppen utgör det strategiska råd som föreskrivs i Lag (2023:196) om "
                "kommuners ansvar för brottsförebyggande arbete och är ledningsgrupp för "
                "arbetet med samverkansöverenskommelsen.")
    k.ksg = agreements.create_forum(
        actor=actor, agreement=k.agreement,
        name="KSG Trygghet och strategisk stadsdelsutveckling", abbreviation="KSG",
        kind="coordination_group")
    members = [
        ("Direktör för social hållbarhet", world.municipality_org, "chair"),
        ("Biträdande lokalpolisområdeschef", world.police_org, "member"),
        ("Säkerhetschef", world.municipality_org, "member"),
        ("Förvaltningschef, socialförvaltningen", world.social_services, "member"),
        ("HR-direktör", world.municipality_org, "co_opted"),
    ]
    k.members = [agreements.add_forum_member(actor=actor, forum=k.forum, function=function,
                                             organization=org, role=role)
                 for function, org, role in members]
    k.krogar = plans.create_activity(
        actor=actor, focus_area=k.focus_areas[3], sub_goal=k.sub_goals[(4, 4)],
        title="Krogar mot knark", status="ongoing",
        description="Ett samarbete mellan några av Eskilstunas krogar och restauranger, "
                    "Eskilstuna kommun och polisen för att minska och försvåra användandet av "
                    "narkotika i krogmiljön.",
        responsible_organizations=[world.municipality_org, world.police_org])
    k.meeting = None
    world._kug = k
    return k


@pytest.fixture
def kug(world):
    return build_kug(world)
