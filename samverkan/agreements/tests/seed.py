"""Real content from the seed agreements, built through the services (for tests).

Eskilstuna 2024-2027 (signed 27 November 2023, decided by the council 14 December 2023) with
its four focus areas, sub-goals, KUG and the two KSG; Karlshamn 2021-2024 with its lokala Brå and
signatories. Data sources and priority areas are those named in Eskilstuna's earlier agreement.
"""
from __future__ import annotations

import datetime

from samverkan.agreements import services
from samverkan.agreements.choices import (
    AgreementStatus,
    FollowUpKind,
    ForumKind,
    ForumMemberRole,
    PartyRole,
    Strategy,
    Track,
)

ESKILSTUNA_TITLE = "Samverkansöverenskommelse mellan Eskilstuna kommun och Polismyndigheten"
ESKILSTUNA_GOAL = ("Ett tryggt och socialt hållbart Eskilstuna där vi år 2027 tagit betydande "
                   "steg för ett Eskilstuna utan utsatta områden på polisens nationella lista")
ESKILSTUNA_PURPOSE = (
    "Samverkansöverenskommelsen mellan Eskilstuna kommun och Polismyndigheten, "
    "lokalpolisområde Eskilstuna ska ligga till grund för det gemensamma brottsförebyggande "
    "arbetet under perioden år 2024–2027.")
ESKILSTUNA_BACKGROUND = (
    "Ett utsatt område enligt Polismyndigheten är ett ”geografiskt avgränsat område som "
    "karaktäriseras av en låg socioekonomisk status där de kriminella har en inverkan på "
    "lokalsamhället”. Eskilstuna kommun har idag tre områden som polismyndigheten definierat "
    "som utsatta det vill säga som karakteriseras av låg socioekonomisk status och "
    "kriminalitet.\n\nFör att långsiktigt uppnå ett tryggt Eskilstuna behöver samverkan utgå "
    "från en helhet byggd både på polisens definition av utsatta områden och Boverkets "
    "sammanställning av områden med socioekonomiska utmaningar.")
ESKILSTUNA_COMMUNICATION = (
    "Kommun och polis ska utveckla en gemensam och tydlig kommunikation med budskap både om "
    "läget i staden, utvecklingen kopplat till brottslighet och trygghet samt vilka åtgärder "
    "och insatser som genomförs gemensamt.")
ESKILSTUNA_FOLLOWUP = (
    "Samverkansöverenskommelsen och dess beskrivna fokusområden följs löpande i "
    "Koncernutvecklingsgrupp (KUG) Tryggt och socialt hållbart Eskilstuna, och utvärderas "
    "under år 2027 inför framtagande av en ny samverkansöverenskommelse.")

FOCUS_AREAS = [
    ("Stoppa skjutningar och grovt våld", Track.CRIME_PREVENTION, [
        "Förebyggt och motverkat våldet i nätverkskriminella miljöer",
        "Förebyggt och motverkat mäns våld mot kvinnor inklusive hedersrelaterat våld och "
        "förtryck.",
    ]),
    ("Stoppa nyrekrytering av barn och unga i kriminalitet", Track.CRIME_PREVENTION, [
        "Växlat upp och utvecklat samarbete kring individer i eller i riskzon för "
        "kriminalitet.",
        "Implementerat metoder och arbetssätt för att förebygga och hantera normbrytande "
        "beteende.",
        "Stärkt samverkan för meningsfull fritid, trygga vuxenkontakter och framtidstro.",
        "Genomfört uppsökande och tidiga insatser för att stärka föräldrar i sitt "
        "föräldraskap.",
        "Säkerställt nolltolerans mot narkotika på alla skolor i kommunen och motverka "
        "efterfrågan på narkotika bland barn och unga.",
    ]),
    ("Trygga det offentliga rummet", Track.SAFETY_CREATING, [
        "Medvetet arbetat för att öka invånarnas tillit till kommunen och polisen",
        "Gemensamt analyserat platser som grund för brottsförebyggande och "
        "trygghetsskapande insatser.",
    ]),
    ("Bekämpa systemhotande brottslighet", Track.CRIME_PREVENTION, [
        "Motverkat välfärdsbrott",
        "Etablerat tydliga och trygga rutiner för att förebygga och motverka otillåten "
        "påverkan",
        "Genomfört aktiviteter för att fler ska anmäla brott och vittna.",
        "Minskat tillgången på narkotika.",
        "Motverkat näringslivskriminalitet",
        "Förebyggt våldsbejakande extremism",
    ]),
]

KUG_NAME = "Koncernutvecklingsgrupp Tryggt och socialt hållbart Eskilstuna"
KUG_MANDATE = (
    "Gruppen utgör det strategiska råd som föreskrivs i Lag (2023:196) om kommuners ansvar för "
    "brottsförebyggande arbete och är ledningsgrupp för arbetet med "
    "samverkansöverenskommelsen.")

DATA_SOURCES = [
    "Sveriges kommuner och landsting (SKL), öppna jämförelser",
    "Polisens trygghetsmätning",
    "Fastighetsägarnas lokala trygghetsundersökning",
    "Skolans trygghetsmätning",
    "Liv & hälsa",
    "Polisens händelserapports- och brottsstatistikssystem",
]
PRIORITY_AREAS = ["Skiftinge", "Årby", "Fröslunda", "Lagersberg"]


def eskilstuna_agreement(world, *, actor=None, parties=True):
    """The agreement itself with its parties (municipality and police area)."""
    actor = actor or world.coordinator
    return services.create_agreement(
        actor=actor, municipality=world.eskilstuna, title=ESKILSTUNA_TITLE,
        start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2027, 12, 31),
        status=AgreementStatus.ACTIVE, council_decision_date=datetime.date(2023, 12, 14),
        signed_date=datetime.date(2023, 11, 27), purpose=ESKILSTUNA_PURPOSE,
        background=ESKILSTUNA_BACKGROUND, overall_goal=ESKILSTUNA_GOAL,
        communication_strategy=ESKILSTUNA_COMMUNICATION, followup_text=ESKILSTUNA_FOLLOWUP,
        evaluation_year=2027,
        parties=[(world.municipality_org, PartyRole.MUNICIPALITY),
                 (world.police_org, PartyRole.POLICE)] if parties else [])


def eskilstuna_focus_area(world, agreement, index=0, *, actor=None, with_sub_goals=True):
    actor = actor or world.coordinator
    title, track, sub_goals = FOCUS_AREAS[index]
    focus_area = services.create_focus_area(
        actor=actor, agreement=agreement, number=index + 1, title=title, track=track,
        strategy=Strategy.BOTH if index == 1 else "")
    if with_sub_goals:
        for number, text in enumerate(sub_goals, start=1):
            services.add_sub_goal(actor=actor, focus_area=focus_area, number=number, text=text)
    return focus_area


def kug(world, agreement, *, actor=None, with_members=True):
    actor = actor or world.coordinator
    forum = services.create_forum(
        actor=actor, agreement=agreement, name=KUG_NAME, abbreviation="KUG",
        kind=ForumKind.STRATEGIC_COUNCIL, mandate=KUG_MANDATE)
    if with_members:
        services.add_forum_member(actor=actor, forum=forum,
                                  function="Direktör för social hållbarhet",
                                  organization=world.municipality_org,
                                  role=ForumMemberRole.CHAIR)
        services.add_forum_member(actor=actor, forum=forum,
                                  function="Biträdande lokalpolisområdeschef",
                                  organization=world.police_org)
        services.add_forum_member(actor=actor, forum=forum, function="HR-direktör",
                                  organization=world.municipality_org,
                                  role=ForumMemberRole.CO_OPTED)
    return forum


def full_eskilstuna(world, *, actor=None):
    """Everything the overview page shows."""
    actor = actor or world.coordinator
    agreement = eskilstuna_agreement(world, actor=actor)
    for index in range(len(FOCUS_AREAS)):
        eskilstuna_focus_area(world, agreement, index, actor=actor)
    forum = kug(world, agreement, actor=actor)
    for name in ("KSG Trygghet och strategisk stadsdelsutveckling",
                 "KSG Systemhotande brottslighet"):
        ksg = services.create_forum(actor=actor, agreement=agreement, name=name,
                                    kind=ForumKind.COORDINATION_GROUP)
        services.add_forum_member(actor=actor, forum=ksg, function="Kommunpolis",
                                  organization=world.police_org)
    services.add_followup_entry(
        actor=actor, agreement=agreement, kind=FollowUpKind.INTERIM, forum=forum,
        text="Åtgärdsplanen följs upp i samband med delår 2 och helårsrapportering i kommunens "
             "strategiska råd för brottsförebyggande frågor.")
    services.add_followup_entry(actor=actor, agreement=agreement, kind=FollowUpKind.MONTHLY,
                                text="Eventuella avvikelser följs upp månadsvis.")
    services.add_followup_entry(actor=actor, agreement=agreement,
                                kind=FollowUpKind.EVALUATION, year=2027,
                                text="Utvärderas under år 2027 inför framtagande av en ny "
                                     "samverkansöverenskommelse.")
    for name in DATA_SOURCES:
        services.add_data_source(actor=actor, agreement=agreement, name=name)
    for name in PRIORITY_AREAS:
        services.add_priority_area(actor=actor, agreement=agreement, name=name)
    return agreement


def karlshamn_agreement(world):
    """Karlshamn 2021-2024 with its lokala Brå and the two signatories."""
    actor = world.other_municipality_user
    agreement = services.create_agreement(
        actor=actor, municipality=world.karlshamn,
        title="Samverkansöverenskommelse mellan Karlshamns kommun och Polismyndigheten för "
              "ökad trygghet",
        start_date=datetime.date(2021, 1, 1), end_date=datetime.date(2024, 12, 31),
        status=AgreementStatus.EXPIRED, signed_date=datetime.date(2021, 3, 16),
        parties=[(world.karlshamn_org, PartyRole.MUNICIPALITY)])
    services.add_signatory(actor=actor, agreement=agreement, name="Per-Ola Mattsson",
                           title="Kommunstyrelsens ordförande", organization=world.karlshamn_org,
                           signed_on=datetime.date(2021, 3, 16))
    services.add_signatory(actor=actor, agreement=agreement, name="Louise Englund",
                           title="Lokalpolisområdeschef", signed_on=datetime.date(2021, 3, 16))
    services.create_forum(
        actor=actor, agreement=agreement, name="Brottsförebyggande rådet",
        abbreviation="lokala Brå",
        kind=ForumKind.LOCAL_BRA,
        mandate="Brottsförebyggande rådet, lokala Brå, har en viktig roll i att följa upp och se "
                "till att samverkansöverenskommelsen kring det brottsförebyggande arbetet "
                "fullföljs.")
    return agreement
