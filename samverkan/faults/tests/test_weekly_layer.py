"""Issue 12: the fault reports as a layer of the weekly page's map (registered with the
situation app's `map_layers`, which never imports the faults app): the reports of the week with
a place, as the reader may see them, with the layer's switch label and the legend; on the page
filtered to one area (?area=), only the reports in that area, as with the incidents."""
import datetime as dt
import json

import pytest
from django.utils import timezone
from shapely.geometry import box

from samverkan.faults import services
from samverkan.faults.weekly import weekly_layer
from samverkan.situation import map_layers
from samverkan.situation import services as situation
from samverkan.situation.picture import Week

from .conftest import CENTRE, OUTSIDE

pytestmark = pytest.mark.django_db

WEEK = Week(2026, 45)  # Monday 2 November 2026


def _report(world, setup, when, place=CENTRE, **extra):
    return services.submit_report(municipality=world.eskilstuna, category=setup["klotter"],
                                  description="Taggar", lat=place[0], lon=place[1],
                                  received_at=when, notify=False, **extra)


def test_faults_register_their_layer():
    assert weekly_layer in map_layers._PROVIDERS


def test_layer_has_the_weeks_reports_with_a_place(world, setup):
    tuesday = timezone.make_aware(dt.datetime(2026, 11, 3, 10, 0))
    in_week = _report(world, setup, tuesday)
    _report(world, setup, tuesday, place=OUTSIDE)
    _report(world, setup, tuesday - dt.timedelta(days=7))  # the week before
    services.submit_report(municipality=world.eskilstuna, category=setup["klotter"],
                           address="Kungsgatan 1", received_at=tuesday, notify=False)
    layer = weekly_layer(world.reader, world.eskilstuna, WEEK)
    assert layer.key == "faults" and layer.label == "Felanmälningar från invånare denna vecka"
    assert len(layer.points) == 2
    assert {(p["lat"], p["lon"]) for p in layer.points} == {CENTRE, OUTSIDE}
    assert any("Klotter" in p["label"] and "2026-11-03" in p["label"] for p in layer.points)
    # Another municipality's user sees none of Eskilstuna's reports.
    assert weekly_layer(world.other_municipality_user, world.eskilstuna, WEEK).points == []
    assert in_week.pk


def _map_data(client, page_url: str) -> dict:
    """The map's own request (its points and layers), at the URL the page gives its map."""
    page = client.get(page_url).content.decode()
    start = page.index('id="weekly-map-data"')
    inline = json.loads(page[page.index(">", start) + 1:page.index("</script>", start)])
    response = client.get(inline["pointsUrl"])
    assert response.status_code == 200
    return response.json()


def test_weekly_map_has_the_layer(world, setup, client):
    """The layer and its label come with the map's request; the map's script draws its
    switch and its legend line (tests/browser/test_fault_layer.py)."""
    _report(world, setup, timezone.make_aware(dt.datetime(2026, 11, 4, 9, 0)))
    client.force_login(world.reader)
    data = _map_data(client, "/situation/weekly/?week=2026-W45")
    faults = [layer for layer in data["layers"] if layer["key"] == "faults"]
    assert len(faults) == 1 and len(faults[0]["points"]) == 1
    assert faults[0]["label"] == "Felanmälningar från invånare denna vecka"


# -- the weekly page filtered to one area (?area=) ---------------------------------------------


def _layer_points(data: dict) -> set[tuple[float, float]]:
    faults = next(layer for layer in data["layers"] if layer["key"] == "faults")
    return {(p["lat"], p["lon"]) for p in faults["points"]}


@pytest.fixture
def north(world):
    """A district around OUTSIDE, not a zone of any rule: only its polygon places reports."""
    area, _ = situation.save_area(actor=None, municipality=world.eskilstuna, name="Norr",
                                  kind="district",
                                  geometry_wgs84=box(16.460, 59.385, 16.480, 59.395))
    return area


def test_layer_keeps_to_the_area(world, setup, centre, north):
    tuesday = timezone.make_aware(dt.datetime(2026, 11, 3, 10, 0))
    inside = _report(world, setup, tuesday)
    outside = _report(world, setup, tuesday, place=OUTSIDE)
    assert inside.zone == centre and outside.zone is None
    everything = weekly_layer(world.reader, world.eskilstuna, WEEK)
    assert {(p["lat"], p["lon"]) for p in everything.points} == {CENTRE, OUTSIDE}
    in_centre = weekly_layer(world.reader, world.eskilstuna, WEEK, area=centre)
    assert [(p["lat"], p["lon"]) for p in in_centre.points] == [CENTRE]
    in_north = weekly_layer(world.reader, world.eskilstuna, WEEK, area=north)
    assert [(p["lat"], p["lon"]) for p in in_north.points] == [OUTSIDE]
    # Through the map_layers protocol, as the page collects the layers.
    collected = [layer for layer in map_layers.collect(world.reader, world.eskilstuna, WEEK,
                                                       north) if layer.key == "faults"]
    assert [(p["lat"], p["lon"]) for p in collected[0].points] == [OUTSIDE]


def test_a_report_filed_in_a_zone_stays_in_it(world, setup, centre):
    """Filed in the centre (its zone), then the centre's polygon is redrawn without the
    report's point: the report was assigned to the area and stays in its layer."""
    _report(world, setup, timezone.make_aware(dt.datetime(2026, 11, 3, 10, 0)))
    moved, created = situation.save_area(actor=None, municipality=world.eskilstuna,
                                         name="Centrum", kind="priority_area",
                                         geometry_wgs84=box(16.530, 59.366, 16.540, 59.376))
    assert not created and moved.pk == centre.pk
    layer = weekly_layer(world.reader, world.eskilstuna, WEEK, area=moved)
    assert [(p["lat"], p["lon"]) for p in layer.points] == [CENTRE]


def test_weekly_page_filtered_to_an_area(world, setup, centre, north, client):
    tuesday = timezone.make_aware(dt.datetime(2026, 11, 3, 10, 0))
    _report(world, setup, tuesday)
    _report(world, setup, tuesday, place=OUTSIDE)
    client.force_login(world.reader)
    url = "/situation/weekly/?week=2026-W45"
    assert _layer_points(_map_data(client, url)) == {CENTRE, OUTSIDE}
    assert _layer_points(_map_data(client, f"{url}&area={centre.pk}")) == {CENTRE}
    assert _layer_points(_map_data(client, f"{url}&area={north.pk}")) == {OUTSIDE}
