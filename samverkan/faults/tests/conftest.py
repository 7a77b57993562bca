import io

import pytest
from PIL import Image
from shapely.geometry import box

from samverkan.faults import services
from samverkan.organizations.choices import OrganizationKind
from samverkan.organizations.services import create_organization
from samverkan.situation import services as situation

# Eskilstuna's centre around Fristadstorget (a rectangle for the tests).
CENTRE = (59.3712, 16.5098)
OUTSIDE = (59.3900, 16.4700)


@pytest.fixture
def centre(world):
    area, _ = situation.save_area(actor=None, municipality=world.eskilstuna, name="Centrum",
                                  kind="priority_area",
                                  geometry_wgs84=box(16.500, 59.366, 16.520, 59.376))
    return area


@pytest.fixture
def owner(world):
    return create_organization(actor=None, municipality=world.eskilstuna, name="Kfast",
                               kind=OrganizationKind.HOUSING_COMPANY)


@pytest.fixture
def setup(world, centre, owner):
    """The default categories, graffiti 24 h in the centre and 48 h elsewhere, offensive
    graffiti 24 h, lighting 5 working days; the centre's graffiti to Kfast."""
    cats = {c.slug: c for c in services.ensure_default_categories(world.eskilstuna,
                                                                  actor=world.coordinator)}
    m, a = world.eskilstuna, world.coordinator
    services.create_deadline_rule(actor=a, municipality=m, category=cats["klotter"], zone=centre,
                                  amount=24, unit="hours")
    services.create_deadline_rule(actor=a, municipality=m, category=cats["klotter"], amount=48,
                                  unit="hours")
    services.create_deadline_rule(actor=a, municipality=m, category=cats["klotter_krankande"],
                                  amount=24, unit="hours")
    services.create_deadline_rule(actor=a, municipality=m, amount=5, unit="working_days")
    services.create_routing_rule(actor=a, municipality=m, zone=centre, organization=owner)
    services.create_routing_rule(actor=a, municipality=m, organization=world.municipality_org)
    return cats


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (59.0, 22.0, 16.0)
    gps[3], gps[4] = "E", (16.0, 30.0, 35.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()
