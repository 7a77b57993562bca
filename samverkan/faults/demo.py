"""Demo of fault reports (Eskilstuna): the rules seed 001 states, a property owners'
network, a few months of synthetic reports, and an Open311 client.

From seed 001 (Eskilstuna kommun's page on graffiti): residents report graffiti and other
faults; "ett antal fastighetsägare har slutit en överenskommelse om att ta bort klotter inom
48 timmar eller redan inom 24 timmar om det handlar om Eskilstuna centrum". Those two deadline
rules and Kfast (the municipal housing company, a party of the 2024–2027 agreement) are real.
Made up, and marked as examples: the other rules (offensive graffiti 24 h, other faults five
working days), the two private property owners, the routing, the reports, their costs, and the
Open311 client. The zone "Eskilstuna centrum" is the situation demo's hand-drawn approximate
polygon. Idempotent: nothing is added when the demo reports exist.
"""
from __future__ import annotations

import datetime
import random

from django.utils import timezone

from samverkan.organizations.choices import OrganizationKind
from samverkan.organizations.models import Municipality, Organization
from samverkan.organizations.services import create_organization
from samverkan.situation.models import Area

from . import services
from .choices import FaultChannel
from .models import DeadlineRule, FaultReport, Open311Client, RoutingRule

MUNICIPALITY = "0484"
SEED_NOTE = ("Seed 001: fastighetsägarnas överenskommelse, klotter bort inom 48 timmar, "
             "24 timmar i Eskilstuna centrum.")
# Made-up members of the property owners' network (marked as examples).
OWNERS = ("Fastighets AB Stadskärnan (exempel)", "Bostads AB Årbyhus (exempel)")
MONTHS = 4
REPORTS = 160

# (place, lat, lon): approximate points from the situation demo's places.
CENTRE = (("Fristadstorget", 59.3714, 16.5098), ("Järntorget", 59.3706, 16.5077),
          ("Kungsgatan", 59.3718, 16.5062), ("Rademachergatan", 59.3725, 16.5086),
          ("Eskilstuna resecentrum", 59.3687, 16.5074), ("Gallerian", 59.3722, 16.5078))
ELSEWHERE = (("Årby centrum", 59.3822, 16.5195), ("Årbygatan", 59.3832, 16.5170),
             ("Gårdarna i Lagersberg", 59.3660, 16.4512),
             ("Busshållplatsen Lagersberg", 59.3670, 16.4600),
             ("Gångtunneln vid Fröslunda centrum", 59.3562, 16.4966),
             ("Skiftinge centrum", 59.3915, 16.5365))
TEXTS = {
    "klotter": ["Taggar på fasaden vid entrén.", "Klotter på elskåpet.",
                "Nytt klotter på busskuren.", "Taggar på väggen i gångtunneln."],
    "klotter_krankande": ["Rasistiskt klotter på väggen vid hållplatsen.",
                          "Kränkande text sprejad på skolans vägg."],
    "skadegorelse": ["Krossad ruta i busskuren.", "Sönderslagen parkbänk.",
                     "Trasig papperskorg, nedriven."],
    "nedskrapning": ["Mycket skräp och glas efter helgen.", "Dumpade sopsäckar vid gången."],
    "belysning": ["Gatlampan är släckt, mörkt på gången.", "Belysningen i tunneln fungerar inte."],
}
WEIGHTS = (("klotter", 50), ("klotter_krankande", 6), ("skadegorelse", 18),
           ("nedskrapning", 14), ("belysning", 12))


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _org(municipality, name, *, actor, kind) -> Organization:
    existing = Organization.objects.filter(municipality=municipality, name=name).first()
    if existing is not None:
        return existing
    return create_organization(actor=actor, municipality=municipality, name=name, kind=kind,
                               is_example="(exempel)" in name)


def load(*, actor, stdout=None, now: datetime.datetime | None = None) -> dict:
    municipality = Municipality.objects.get(code=MUNICIPALITY)
    _say(stdout, "  Felanmälan (Eskilstuna):")
    cats = {c.slug: c for c in services.ensure_default_categories(municipality, actor=actor)}
    centre = Area.objects.filter(municipality=municipality, name="Eskilstuna centrum").first()
    lagersberg = Area.objects.filter(municipality=municipality, name="Lagersberg").first()
    kommun = _org(municipality, "Eskilstuna kommun", actor=actor,
                  kind=OrganizationKind.MUNICIPALITY)
    kfast = _org(municipality, "Kfast", actor=actor, kind=OrganizationKind.HOUSING_COMPANY)
    owners = [_org(municipality, n, actor=actor, kind=OrganizationKind.BUSINESS) for n in OWNERS]
    if not DeadlineRule.objects.filter(municipality=municipality).exists():
        rule = services.create_deadline_rule
        rule(actor=actor, municipality=municipality, category=cats["klotter"], zone=centre,
             amount=24, unit="hours", note=SEED_NOTE)
        rule(actor=actor, municipality=municipality, category=cats["klotter"], amount=48,
             unit="hours", note=SEED_NOTE)
        rule(actor=actor, municipality=municipality, category=cats["klotter_krankande"],
             amount=24, unit="hours", note="Exempel: kränkande klotter alltid inom 24 timmar.",
             is_example=True)
        rule(actor=actor, municipality=municipality, amount=5, unit="working_days",
             note="Exempel: övriga fel inom fem arbetsdagar.", is_example=True)
    if not RoutingRule.objects.filter(municipality=municipality).exists():
        route = services.create_routing_rule
        for slug in ("klotter", "klotter_krankande", "skadegorelse"):
            route(actor=actor, municipality=municipality, category=cats[slug], zone=centre,
                  organization=owners[0], is_example=True)
            route(actor=actor, municipality=municipality, category=cats[slug], zone=lagersberg,
                  organization=kfast, is_example=True)
        route(actor=actor, municipality=municipality, organization=kommun, is_example=True)
    if not Open311Client.objects.filter(municipality=municipality).exists():
        services.create_open311_client(actor=actor, municipality=municipality,
                                       name="Eskilstuna direkt-appen (exempel)",
                                       is_example=True)
    if FaultReport.objects.filter(municipality=municipality,
                                  channel=FaultChannel.DEMO).exists():
        _say(stdout, "    finns redan")
        return {"reports": 0}
    made = _reports(municipality, cats, owners, actor=actor, now=now)
    _say(stdout, f"    {made} felanmälningar (exempel), regler och fastighetsägarnätverk")
    return {"reports": made}


def _reports(municipality, cats, owners, *, actor, now=None) -> int:
    rng = random.Random(12)
    now = now or timezone.now().replace(minute=0, second=0, microsecond=0)
    start = now - datetime.timedelta(days=30 * MONTHS)
    slugs = [s for s, w in WEIGHTS for _ in range(w)]
    made = 0
    for _i in range(REPORTS):
        at = start + datetime.timedelta(minutes=rng.randrange(int((now - start).total_seconds()
                                                                 // 60)))
        at = at.replace(second=0, microsecond=0)
        place, lat, lon = rng.choice(CENTRE if rng.random() < 0.5 else ELSEWHERE)
        lat += rng.uniform(-0.0004, 0.0004)
        lon += rng.uniform(-0.0006, 0.0006)
        slug = rng.choice(slugs)
        report = services.submit_report(
            municipality=municipality, category=cats[slug], lat=round(lat, 6),
            lon=round(lon, 6), address=place, description=rng.choice(TEXTS[slug]),
            channel=FaultChannel.DEMO, received_at=at, is_example=True, notify=False)
        made += 1
        _progress(report, rng, actor=actor, now=now)
    return made


def _progress(report: FaultReport, rng: random.Random, *, actor, now) -> None:
    """Most are fixed in time, some late, some still open, a few closed honestly."""
    due = report.due_at or report.received_at + datetime.timedelta(days=7)
    span = due - report.received_at
    roll = rng.random()
    if roll < 0.06:
        if now - report.received_at > datetime.timedelta(hours=4):
            services.change_status(report, actor=actor, status="not_ours",
                                   forwarded_to="Trafikverket",
                                   at=report.received_at + datetime.timedelta(hours=3))
        return
    if roll < 0.10:
        when = report.received_at + span / 2
        if when < now:
            services.change_status(report, actor=actor, status="closed_not_fixed",
                                   reason="Felet kunde inte hittas på platsen.", at=when)
        return
    ack = report.received_at + span * rng.uniform(0.05, 0.2)
    if ack >= now:
        return
    services.change_status(report, actor=actor, status="acknowledged", at=ack)
    late = rng.random() < 0.15
    fixed = report.received_at + span * (rng.uniform(1.1, 2.5) if late else
                                         rng.uniform(0.3, 0.95))
    if fixed >= now:
        if rng.random() < 0.5:
            services.change_status(report, actor=actor, status="in_progress",
                                   at=ack + (now - ack) / 2)
        return
    cost = None
    if report.category.slug.startswith("klotter"):
        cost = rng.choice([600, 900, 1200, 1800, 2500, 4000])
    services.change_status(report, actor=actor, status="fixed", at=fixed, cost=cost)
