"""Test data from the seeds: Eskilstuna's town-centre hot spots (seed 000: Fristadstorget,
Järntorget, J.A. Selanders gata) and its priority areas."""
import datetime
from zoneinfo import ZoneInfo

from shapely.geometry import box

from samverkan.situation import services

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FRISTADSTORGET = (59.37120, 16.50980)
JARNTORGET = (59.36790, 16.50820)
SELANDERS_GATA = (59.36950, 16.51470)
# A rectangle around the town centre (WGS 84 lon/lat), holding the three places above.
CENTRUM = box(16.500, 59.364, 16.520, 59.375)


def categories(world):
    return {c.slug: c for c in services.ensure_default_categories(world.eskilstuna,
                                                                  actor=world.coordinator)}


def centrum(world):
    return services.create_area(actor=world.coordinator, municipality=world.eskilstuna,
                                name="Centrum", kind="district",
                                **services.area_fields_from_geometry(CENTRUM))


def incident(world, *, category="klotter", place=FRISTADSTORGET, actor=None,
             when=datetime.datetime(2024, 5, 3, 23, 40, tzinfo=STOCKHOLM), **extra):
    cats = categories(world)
    return services.report_incident(
        actor=actor or world.coordinator, municipality=world.eskilstuna,
        category=cats[category], occurred_at=when, lat=place[0], lon=place[1],
        description=extra.pop("description", "Klotter på fasaden vid torget."), **extra)
