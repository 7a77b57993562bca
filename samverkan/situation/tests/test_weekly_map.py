"""The weekly map's own request (``situation:weekly_map``): the week's incidents, the residents'
voice and the other apps' layers as JSON, built for the requesting user exactly as the page
is -- the same municipality, ``?week=`` and ``?area=``, read through ``visible_to`` -- while
the page itself renders without the points (docs/performance.md)."""
from __future__ import annotations

import json

import pytest
from django.urls import reverse
from shapely.geometry import box

from samverkan.core.choices import Confidentiality
from samverkan.situation import services

from .test_picture import WEEK, add, at

pytestmark = pytest.mark.django_db

URL = reverse("situation:weekly_map")


@pytest.fixture
def incidents(world):
    services.ensure_default_categories(world.eskilstuna, actor=world.coordinator)
    open_one = add(world, "klotter", at(WEEK, 1, 22), place_name="Järntorget")
    far = add(world, "klotter", at(WEEK, 2, 22), dx=5_000, place_name="Långt bort")
    secret = add(world, "klotter", at(WEEK, 3, 22), place_name="Hemligt ställe",
                 confidentiality=Confidentiality.RESTRICTED)
    services.update_incident(secret, actor=world.coordinator, restricted_to=[world.police_org])
    add(world, "klotter", at(WEEK.shift(-1), 3, 22), place_name="Förra veckan")
    return {"open": open_one, "far": far, "secret": secret}


def _places(client, **params) -> set[str]:
    response = client.get(URL, {"week": WEEK.param, **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return {p["place"] for p in response.json()["points"]}


def test_the_page_renders_without_points_and_names_the_maps_request(world, incidents, client):
    client.force_login(world.coordinator)
    page = client.get(reverse("situation:weekly"), {"week": WEEK.param}).content.decode()
    start = page.index('id="weekly-map-data"')
    inline = json.loads(page[page.index(">", start) + 1:page.index("</script>", start)])
    assert "points" not in inline and "layers" not in inline
    assert "Långt bort" not in page  # the points' places are not in the HTML
    assert inline["pointsUrl"] == f"{URL}?week={WEEK.param}"
    assert "2 händelser med känd plats denna vecka" in page  # still counted on the page
    assert _places(client) == {"Järntorget", "Långt bort"}


def test_restricted_incidents_only_for_the_named_organisations(world, incidents, client):
    client.force_login(world.coordinator)  # the municipality's organisation: not named
    assert "Hemligt ställe" not in _places(client)
    client.force_login(world.police_officer)
    assert _places(client) == {"Järntorget", "Långt bort", "Hemligt ställe"}


def test_keeps_to_the_area(world, incidents, client):
    lat, lon = incidents["open"].lat, incidents["open"].lon
    area, _ = services.save_area(actor=None, municipality=world.eskilstuna, name="Torget",
                                 kind="district",
                                 geometry_wgs84=box(lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01))
    services.assign_areas(world.eskilstuna)
    client.force_login(world.coordinator)
    assert _places(client, area=area.pk) == {"Järntorget"}
    page = client.get(reverse("situation:weekly"), {"week": WEEK.param, "area": area.pk})
    assert f"area={area.pk}" in page.content.decode()


def test_another_municipality_is_404(world, incidents, client):
    karlshamn_area, _ = services.save_area(actor=None, municipality=world.karlshamn,
                                           name="Centrum", kind="district",
                                           geometry_wgs84=box(14.85, 56.16, 14.87, 56.18))
    client.force_login(world.coordinator)
    assert client.get(URL, {"week": WEEK.param, "area": karlshamn_area.pk}).status_code == 404
    # Karlshamn's coordinator gets Karlshamn's map, never Eskilstuna's incidents or areas.
    client.force_login(world.other_municipality_user)
    assert _places(client) == set()
    eskilstuna_area, _ = services.save_area(actor=None, municipality=world.eskilstuna,
                                            name="Norr", kind="district",
                                            geometry_wgs84=box(16.4, 59.3, 16.6, 59.4))
    assert client.get(URL, {"week": WEEK.param, "area": eskilstuna_area.pk}).status_code == 404
    # Without any municipality: 404; without logging in: to the login page.
    client.force_login(world.no_role_user)
    assert client.get(URL, {"week": WEEK.param}).status_code == 404
    client.logout()
    assert client.get(URL, {"week": WEEK.param}).status_code == 302
