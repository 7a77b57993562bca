"""Load the demo: the seed agreements entered as a coordinator would, through the services.

Idempotent: records are looked up by their natural keys (organisation name, agreement title
and start, focus area title, ...) and only what is missing is created, so running it again
changes nothing. The other apps' demo data come from `EXTRA_LOADERS` (functions taking
`(*, actor, stdout)`), run after the agreements exist.
"""
from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from samverkan.agreements import services as agreement_services
from samverkan.agreements.models import (
    Agreement,
    Commitment,
    DataSource,
    Definition,
    FocusArea,
    FollowUpEntry,
    Forum,
    ForumMember,
    Party,
    Practice,
    PriorityArea,
    Signatory,
    SubGoal,
)
from samverkan.cameras import demo as cameras_demo
from samverkan.core.choices import Role
from samverkan.evaluation import demo as evaluation_demo
from samverkan.faults import demo as faults_demo
from samverkan.followup import demo as followup_demo
from samverkan.meetings import demo as meetings_demo
from samverkan.organizations.models import Membership, Municipality, Organization
from samverkan.organizations.services import add_membership, create_organization
from samverkan.participation import demo as participation_demo
from samverkan.situation import demo as situation_demo
from samverkan.sspf import demo as sspf_demo
from samverkan.surveys import demo as surveys_demo

DATA = Path(__file__).resolve().parent / "data"
AGREEMENT_FILES = [
    "eskilstuna_2024_2027.json",
    "eskilstuna_2016.json",
    "eskilstuna_2013.json",
    "karlshamn_2021_2024.json",
]
DEMO_PASSWORD = "samverkan-demo"
# (username, first name, last name, municipality, organisation, role, title)
DEMO_USERS = [
    ("samordnare", "Samira", "Samordnare", "0484", "Eskilstuna kommun", Role.COORDINATOR,
     "Brottsförebyggande samordnare"),
    ("kommunpolis", "Kim", "Kommunpolis", "0484", "Lokalpolisområde Eskilstuna",
     Role.COORDINATOR, "Kommunpolis"),
    ("socialtjanst", "Sam", "Socialsekreterare", "0484", "Socialförvaltningen",
     Role.CONTRIBUTOR, "Enhetschef, fältverksamheten"),
    ("vardare", "Vera", "Värdare", "0484", "Kfast", Role.CONTRIBUTOR,
     "Bovärd (EST-rapportör)"),
    ("lasare", "Lars", "Läsare", "0484", "Kommunstyrelsen", Role.READER,
     "Ledamot, trygghetsberedningen"),
    ("karlshamn", "Karin", "Karlshamn", "1082", "Karlshamns kommun", Role.COORDINATOR,
     "Trygghetssamordnare"),
]
# Demo data of the other apps, each `load(*, actor, stdout)`: loaded when the module exists.
# The municipalities the demo loads into, and the accounts it creates.
DEMO_MUNICIPALITIES = {code for _u, _f, _l, code, *_rest in DEMO_USERS}
DEMO_USERNAMES = {username for username, *_rest in DEMO_USERS}


class NotADemoDatabase(Exception):
    """The database holds real work: loading the demo into it would mix the two."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


# The demo app sits on top of the stack: it imports every app's demo data directly.
EXTRA_LOADERS = [situation_demo, evaluation_demo, followup_demo, meetings_demo, surveys_demo,
                 participation_demo, sspf_demo, faults_demo, cameras_demo]


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _organization(municipality, name, *, actor, spec=None, cache):
    if not name:
        return None
    key = (municipality.pk, name)
    if key in cache:
        return cache[key]
    org = Organization.objects.filter(municipality=municipality, name=name).first()
    if org is None:
        spec = spec or {"kind": "other"}
        parent = cache.get((municipality.pk, spec.get("parent"))) if spec.get("parent") else None
        org = create_organization(
            actor=actor, municipality=municipality, name=name,
            abbreviation=spec.get("abbreviation", ""), kind=spec.get("kind", "other"),
            parent=parent, aliases=", ".join(spec.get("aliases", [])))
    cache[key] = org
    return org


def load_agreement(path: Path, *, actor, stdout=None) -> Agreement:
    data = json.loads(path.read_text(encoding="utf-8"))
    municipality = Municipality.objects.get(code=data["municipality"])
    cache: dict = {}
    for spec in data["organizations"]:
        _organization(municipality, spec["name"], actor=actor, spec=spec, cache=cache)

    def org(name):
        return _organization(municipality, name, actor=actor, cache=cache)

    a = data["agreement"]
    agreement = Agreement.objects.filter(municipality=municipality, title=a["title"],
                                         start_date=_date(a["start_date"])).first()
    if agreement is None:
        agreement = agreement_services.create_agreement(
            actor=actor, municipality=municipality, title=a["title"],
            start_date=_date(a["start_date"]), end_date=_date(a["end_date"]),
            status=a["status"], council_decision_date=_date(a.get("council_decision_date")),
            signed_date=_date(a.get("signed_date")), background=a.get("background", ""),
            purpose=a.get("purpose", ""), overall_goal=a.get("overall_goal", ""),
            communication_strategy=a.get("communication_strategy", ""),
            commitments_intro=a.get("commitments_intro", ""),
            followup_text=a.get("followup_text", ""), evaluation_year=a.get("evaluation_year"))
        if stdout:
            stdout.write(f"  + {agreement}")
    for party in a.get("parties", []):
        organization = org(party["organization"])
        if not Party.objects.filter(agreement=agreement, organization=organization).exists():
            agreement_services.add_party(actor=actor, agreement=agreement,
                                         organization=organization, role=party["role"])
    for s in a.get("signatories", []):
        if not Signatory.objects.filter(agreement=agreement, name=s["name"]).exists():
            agreement_services.add_signatory(
                actor=actor, agreement=agreement, name=s["name"], title=s.get("title", ""),
                organization=org(s.get("organization")), signed_on=_date(s.get("signed_on")))
    for area in a.get("priority_areas", []):
        if not PriorityArea.objects.filter(agreement=agreement, name=area["name"]).exists():
            agreement_services.add_priority_area(actor=actor, agreement=agreement,
                                                 name=area["name"],
                                                 description=area.get("description", ""))
    for source in a.get("data_sources", []):
        if not DataSource.objects.filter(agreement=agreement, name=source["name"]).exists():
            agreement_services.add_data_source(actor=actor, agreement=agreement,
                                               name=source["name"], used=source["used"],
                                               note=source.get("note", ""))
    forums = {}
    for f in a.get("forums", []):
        forum = Forum.objects.filter(agreement=agreement, name=f["name"]).first()
        if forum is None:
            forum = agreement_services.create_forum(
                actor=actor, agreement=agreement, name=f["name"],
                abbreviation=f.get("abbreviation", ""), kind=f["kind"],
                cadence_text=f.get("cadence_text", ""),
                meetings_per_year=f.get("meetings_per_year"), mandate=f.get("mandate", ""))
        forums[f["name"]] = forum
        for m in f.get("members", []):
            if not ForumMember.objects.filter(
                    forum=forum, name=m.get("name", ""), function=m.get("function", ""),
                    organization=org(m.get("organization"))).exists():
                agreement_services.add_forum_member(
                    actor=actor, forum=forum, name=m.get("name", ""),
                    function=m.get("function", ""), organization=org(m.get("organization")),
                    role=m.get("role", "member"))
    for entry in a.get("followup_entries", []):
        if not FollowUpEntry.objects.filter(agreement=agreement, text=entry["text"],
                                            kind=entry["kind"],
                                            forum=forums.get(entry.get("forum"))).exists():
            agreement_services.add_followup_entry(
                actor=actor, agreement=agreement, text=entry["text"], kind=entry["kind"],
                times_per_year=entry.get("times_per_year"),
                forum=forums.get(entry.get("forum")), year=entry.get("year"))
    for fa in a.get("focus_areas", []):
        focus_area = FocusArea.objects.filter(agreement=agreement, title=fa["title"]).first()
        if focus_area is None:
            focus_area = agreement_services.create_focus_area(
                actor=actor, agreement=agreement, number=fa.get("number"), title=fa["title"],
                track=fa.get("track", ""), strategy=fa.get("strategy", ""),
                problem_description=fa.get("problem_description", ""), goal=fa.get("goal", ""))
        for sg in fa.get("sub_goals", []):
            if not SubGoal.objects.filter(focus_area=focus_area, text=sg["text"]).exists():
                agreement_services.add_sub_goal(actor=actor, focus_area=focus_area,
                                                number=sg.get("number"), text=sg["text"])
    _load_texts(agreement, a, actor=actor)
    if data.get("plan_file"):
        _import_plan(DATA / data["plan_file"], agreement=agreement, actor=actor, stdout=stdout)
    return agreement


def _load_texts(agreement: Agreement, a: dict, *, actor) -> None:
    """The joint commitments, terms and working methods, word for word from the source."""
    for c in a.get("commitments", []):
        if not Commitment.objects.filter(agreement=agreement, text=c["text"]).exists():
            agreement_services.add_commitment(actor=actor, agreement=agreement,
                                              number=c.get("number"), text=c["text"],
                                              explanation=c.get("explanation", ""))
    focus_areas = {fa.number: fa for fa in FocusArea.objects.filter(agreement=agreement)}
    for d in a.get("definitions", []):
        if not Definition.objects.filter(agreement=agreement, term=d["term"]).exists():
            agreement_services.add_definition(
                actor=actor, agreement=agreement, term=d["term"], text=d["text"],
                source=d.get("source", ""), focus_area=focus_areas.get(d.get("focus_area")))
    for p in a.get("practices", []):
        if not Practice.objects.filter(agreement=agreement, title=p["title"]).exists():
            agreement_services.add_practice(
                actor=actor, agreement=agreement, title=p["title"], text=p["text"],
                responsible_text=p.get("responsible_text", ""), source=p.get("source", ""),
                focus_area=focus_areas.get(p.get("focus_area")))


def _import_plan(path: Path, *, agreement, actor, stdout=None) -> None:
    from samverkan.plans.io.importer import import_plan

    with path.open("rb") as handle:
        result = import_plan(handle, path.name, agreement=agreement, actor=actor)
    if result.errors:
        raise ValueError(f"{path.name}: {result.errors}")
    if stdout:
        stdout.write(f"    plan {path.name}: {result.activities} activities, "
                     f"{result.indicators} indicators")


def ensure_users(*, actor, stdout=None, skip: set[str] = frozenset()
                 ) -> list[tuple[str, str]]:
    """The demo accounts, except in the municipalities in ``skip`` (where real people work: an
    account with a published password must never open their data)."""
    User = get_user_model()
    logins = []
    for username, first, last, code, org_name, role, title in DEMO_USERS:
        if code in skip:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password=DEMO_PASSWORD,
                                             first_name=first, last_name=last,
                                             email=f"{username}@example.se")
        elif not user.is_active:  # closed by `load_demo --remove`, opened again
            user.is_active = True
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["is_active", "password"])
        organization = Organization.objects.get(municipality_id=code, name=org_name)
        if not Membership.objects.filter(user=user, organization=organization).exists():
            add_membership(actor=actor, user=user, organization=organization, role=role,
                           title=title)
        logins.append((username, f"{title}, {organization.name} ({role})"))
    return logins


@transaction.atomic
def load_demo(*, stdout=None, force: bool = False) -> list[tuple[str, str]]:
    """Load the demo. Refuses (NotADemoDatabase) a database that holds real work unless
    ``force``; even then no demo account is created where real people work."""
    from .guard import find_real_data

    real = find_real_data(DEMO_MUNICIPALITIES, DEMO_USERNAMES)
    if real and not force:
        raise NotADemoDatabase(real.lines())
    actor = None  # recorded as "system" in the audit log
    for name in AGREEMENT_FILES:
        load_agreement(DATA / name, actor=actor, stdout=stdout)
    logins = ensure_users(actor=actor, stdout=stdout, skip=real.municipalities_with_people())
    for module in EXTRA_LOADERS:
        module.load(actor=actor, stdout=stdout)
    return logins
