"""Eskilstuna's 2016-2018 agreement and its åtagandeplan (commitment plan) for the plans
tests, built through the services. The texts are the agreement's own."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from samverkan.agreements.models import Agreement, FocusArea, PriorityArea
from samverkan.core import services as core
from samverkan.core.testing import World
from samverkan.organizations.models import Organization
from samverkan.organizations.services import create_organization
from samverkan.plans import services

SAFETY_WALKS = ("Samordna och ge förutsättningar för att trygghetsvandringar genomförs där "
                "behov finns.")
SAFETY_WALKS_MUNICIPALITY = (
    "Samordna och ge förutsättningar för att trygghetsvandringar genomförs där behov finns. "
    "Fokus på de prioriterade områdena. Insatsen bör ske i samverkan med SBN, BUN och "
    "fastighetsägare m fl. (KS, KFN, TSN)")
SAFETY_WALKS_POLICE = ("Leder, driftar tillsammans med [Trygga Eskilstuna] och de lokala "
                       "koordinatorerna")
FIELD_WORKERS = ("Fältande socialsekreterare är utsedda i två specifika områden "
                 "(Lagersberg, Fröslunda).")
COORDINATORS = ("Utse koordinatorfunktion i de prioriterade områdena, Lagersberg och "
                "Fröslunda, för samordning av trygghetsskapande aktiviteter i ett långsiktigt "
                "och hållbart perspektiv.")


@dataclass
class Plan:
    agreement: Agreement
    youth: FocusArea  # 1. Förebygga brott och kriminella gängbildningar bland unga
    public_space: FocusArea  # 3. Trygghet i offentlig miljö
    areas: dict[str, PriorityArea]
    orgs: dict[str, Organization]


def build_plan(world: World) -> Plan:
    actor = world.coordinator
    m = world.eskilstuna
    orgs = {"SN": world.social_services, "LPO": world.police_org,
            "kommun": world.municipality_org}
    for abbreviation, name, kind in [
        ("KS", "Kommunstyrelsen", "committee"),
        ("BUN", "Barn- och utbildningsnämnden", "committee"),
        ("KFN", "Kultur- och fritidsnämnden", "committee"),
        ("TSN", "Torshälla stads nämnd", "committee"),
        ("SBN", "Stadsbyggnadsnämnden", "committee"),
    ]:
        orgs[abbreviation] = create_organization(actor=actor, municipality=m, name=name,
                                                 abbreviation=abbreviation, kind=kind)
    orgs["RTJ"] = create_organization(actor=actor, municipality=m, name="Räddningstjänsten",
                                      kind="authority", aliases="räddningstjänst")
    agreement = core.create(Agreement, actor=actor, municipality=m, data={
        "title": "Samverkansöverenskommelse mellan Polismyndigheten och Eskilstuna kommun",
        "start_date": dt.date(2016, 1, 1), "end_date": dt.date(2018, 12, 31),
        "status": "active"})
    youth = core.create(FocusArea, actor=actor, data={
        "agreement": agreement, "number": 1,
        "title": "Förebygga brott och kriminella gängbildningar bland unga"})
    public_space = core.create(FocusArea, actor=actor, data={
        "agreement": agreement, "number": 3, "title": "Trygghet i offentlig miljö",
        "goal": "Öka tryggheten i Eskilstuna till ett normalvärde 2 i alla områden"})
    areas = {name: core.create(PriorityArea, actor=actor,
                               data={"agreement": agreement, "name": name})
             for name in ("Skiftinge", "Årby", "Fröslunda", "Lagersberg")}
    return Plan(agreement=agreement, youth=youth, public_space=public_space, areas=areas,
                orgs=orgs)


def safety_walks(plan: Plan, actor) -> object:
    """The activity 'Samordna och ge förutsättningar för att trygghetsvandringar ...'."""
    return services.create_activity(
        actor=actor, focus_area=plan.public_space, title=SAFETY_WALKS, status="ongoing",
        contributions=[
            {"party": "municipality", "text": SAFETY_WALKS_MUNICIPALITY},
            {"party": "police", "text": SAFETY_WALKS_POLICE},
        ],
        expected_effect=("En trygghetsvandring/prioriterat område under perioden samt där "
                         "behov finns."),
        communication="Media, FB etc",
        priority_areas=list(plan.areas.values()),
        areas_text="Skiftinge, Årby, Fröslunda, Lagersberg")


def field_workers(plan: Plan, actor) -> object:
    """An activity Socialnämnden (SN) is responsible for."""
    return services.create_activity(
        actor=actor, focus_area=plan.youth, title=FIELD_WORKERS, status="ongoing",
        contributions=[
            {"party": "municipality", "text": FIELD_WORKERS + " (SN)"},
            {"party": "police", "text": "Områdespolis i de prioriterade områdena. Samverkan "
                                        "med fältande socialsekreterare"},
        ],
        expected_effect="Att tidigare upptäcka riskfaktorer.",
        priority_areas=[plan.areas["Lagersberg"], plan.areas["Fröslunda"]])
