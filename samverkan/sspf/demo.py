"""Demo of the individual-level collaboration (run by ``load_demo``): the SIG programme that
Eskilstuna's 2016 agreement describes (source: seed 004, "Åtagandeplan för kommun och polis":
"Förankra och implementera en strukturerad metod, för samarbetet mellan kommunen och polisen
kring de unga på individnivå ... Arbetet påbörjas i Fröslunda/Lagersberg ... Att under perioden
bryta loss minst 15 unga individer", and "SIG-grupp för enskilda unga ... Mäta in och utflöde.
Mäta effekter."). The demo has no cases: not even invented young people are put in a system
whose demo logins are public, and every case page needs two-step verification. Idempotent."""
from __future__ import annotations

from django.contrib.auth import get_user_model

from samverkan.organizations.models import Municipality
from samverkan.situation.models import Area

from . import services
from .models import Programme

MUNICIPALITY = "0484"
COORDINATOR = "samordnare"
NAME = "Sociala insatsgrupper (SIG) Fröslunda/Lagersberg"
DESCRIPTION = (
    "Ur samverkansöverenskommelsen 2016 (åtagandeplanen): \"Förankra och implementera en "
    "strukturerad metod, för samarbetet mellan kommunen och polisen kring de unga på "
    "individnivå. [...] Arbetet påbörjas i Fröslunda/Lagersberg\". Effekt: \"Att under perioden "
    "bryta loss minst 15 unga individer från riskfaktorerna som kriminella gängbildningar "
    "innebär.\" SIG-grupp för enskilda unga: \"Ungdomen ska bryta sin kriminella livsstil. Mäta "
    "in och utflöde. Mäta effekter.\"")


def load(*, actor, stdout=None) -> Programme | None:
    municipality = Municipality.objects.filter(code=MUNICIPALITY).first()
    if municipality is None:
        return None
    existing = Programme.objects.filter(municipality=municipality, name=NAME).first()
    if existing is not None:
        return existing
    actor = get_user_model().objects.filter(username=COORDINATOR).first() or actor
    areas = list(Area.objects.filter(municipality=municipality,
                                     name__in=["Fröslunda", "Lagersberg"]))
    programme = services.create_programme(
        actor=actor, municipality=municipality, name=NAME, description=DESCRIPTION,
        target_broken_loose=15, areas=areas)
    if stdout is not None:
        stdout.write(f"  sspf: the programme {NAME} (no cases)")
    return programme
