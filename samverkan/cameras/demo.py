"""Demo of the camera register (Eskilstuna): the rules seed 001 states, three cameras and one
hold.

From seed 001 (Eskilstuna kommun's page on camera surveillance), word for word where quoted:
the legal basis ("uppgift av allmänt intresse och kamerabevakningslagen"), the purpose ("för att
förebygga och förhindra brott"), recordings kept at most 30 days unless needed for a damages
claim, a crime report or a police request, no sound, "ett begränsat antal människor" with
access, the right to stills, and the data protection officer's address dso@eskilstuna.se.
Made up and marked as examples: which places are filmed (the seed does not say), the
balancing of interests, who may view, the hold, the request for stills.
"""
from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from samverkan.core.choices import Confidentiality
from samverkan.organizations.models import Municipality, Organization

from . import services
from .models import Camera, StillRequest

MUNICIPALITY = "0484"
# Seed 001's own words; the page residents read names no seed.
LEGAL_BASIS = "Uppgift av allmänt intresse och kamerabevakningslagen."
PURPOSE = "Förebygga och förhindra brott."
INTRO = ("Eskilstuna kommun kamerabevakar ett antal områden i Eskilstuna för att förebygga och "
         "förhindra brott. Filmer från våra bevakningskameror sparas i normalfallet maximalt 30 "
         "dagar, därefter raderas de. Inget ljud spelas in via våra bevakningskameror.")
CAMERAS = (
    ("Fristadstorget (exempel)", "Fristadstorget, mot Stadshuset", 59.3714, 16.5098),
    ("Järntorget (exempel)", "Järntorget, busshållplatserna", 59.3706, 16.5077),
    ("Resecentrum (exempel)", "Eskilstuna resecentrum, gångtunneln", 59.3687, 16.5074),
)


def load(*, actor, stdout=None) -> dict:
    municipality = Municipality.objects.get(code=MUNICIPALITY)
    if stdout is not None:
        stdout.write("  Kamerabevakning (Eskilstuna):")
    services.save_policy(actor=actor, municipality=municipality,
                         data_protection_officer="dso@eskilstuna.se",
                         # The right to stills and the officer are on the page from the
                         # policy's fields; a contact text would only repeat them.
                         contact="",
                         introduction=INTRO, still_request_days=30,
                         confidentiality=Confidentiality.PUBLIC)
    if Camera.objects.filter(municipality=municipality).exists():
        return {"cameras": 0}
    owner = Organization.objects.filter(municipality=municipality,
                                        name="Eskilstuna kommun").first()
    today = timezone.localdate()
    cameras = [services.create_camera(
        actor=actor, municipality=municipality, name=name, place=place, lat=lat, lon=lon,
        owner=owner, purpose=PURPOSE, legal_basis=LEGAL_BASIS,
        balancing_of_interests=("Exempel: platsen har återkommande skadegörelse och våld "
                                "kvällar och nätter (lägesbilden); kameran täcker bara allmän "
                                "plats, inte entréer eller fönster; inget ljud."),
        records_sound=False, retention_days=30,
        viewers="Exempel: två utsedda säkerhetssamordnare i kommunen; Polisen får kopior på "
                "begäran.",
        recording_since=today - datetime.timedelta(days=75), is_example=True,
        confidentiality=Confidentiality.PUBLIC) for name, place, lat, lon in CAMERAS]
    now = timezone.now()
    night = timezone.make_aware(datetime.datetime.combine(
        today - datetime.timedelta(days=40), datetime.time(22, 0)))
    services.place_hold(actor=actor, camera=cameras[1], starts_at=night,
                        ends_at=night + datetime.timedelta(hours=4), reason="crime_report",
                        reference="Exempel: K-123456-26",
                        keep_until=today + datetime.timedelta(days=60), is_example=True)
    viewer = get_user_model().objects.filter(username="samordnare").first()
    if viewer is not None:
        services.log_access(actor=viewer, camera=cameras[1], kind="export", starts_at=night,
                            ends_at=night + datetime.timedelta(hours=4),
                            reason="Exempel: Polisens begäran om film som bevis",
                            reference="Exempel: K-123456-26", recipient="Polisen")
    services.apply_retention(actor=actor, municipality=municipality, now=now)
    if not StillRequest.objects.filter(municipality=municipality).exists():
        services.receive_still_request(
            actor=actor, municipality=municipality, camera=cameras[0],
            received_on=today - datetime.timedelta(days=3), requester="Exempel: ärende 2026-41",
            recorded_at=now - datetime.timedelta(days=6), place="Fristadstorget",
            is_example=True)
    if stdout is not None:
        stdout.write("    3 kameror (exempel), ett bevarande, en gallringskörning")
    return {"cameras": 3}
