"""Bulk loading with COPY (PostgreSQL) or bulk_create (SQLite): the same rows either way."""
from __future__ import annotations

import datetime

import numpy as np
import pytest

from samverkan.situation import bulk, services
from samverkan.situation.models import Category, Incident, IncidentArea


@pytest.fixture
def categories(world):
    services.ensure_default_categories(world.eskilstuna, actor=world.coordinator)
    return {c.slug: c.pk for c in Category.objects.filter(municipality=world.eskilstuna)}


def test_load_incidents_from_arrays(world, categories):
    times = np.array(["2025-03-03T21:30:00", "2025-03-04T07:05:00", "2025-03-05T12:00:00"],
                     dtype="datetime64[s]")
    n = bulk.load_incidents(world.eskilstuna, {
        "category_id": np.array([categories["klotter"]] * 3),
        "occurred_at": times,
        "lat": np.array([59.3712, 59.3701, np.nan]),
        "lon": np.array([16.5097, 16.5120, np.nan]),
        "precision": np.array(["exact", "address", "exact"]),
        "address": ["Järntorget", "Tab\there\\and\nnew line", ""],
        "place_name": ["", "", "Fristadstorget"],
        "source": np.array(["import"] * 3),
        "source_id": np.array(["a1", "a2", "a3"]),
    })
    assert n == 3
    rows = {i.source_id: i for i in Incident.objects.filter(municipality=world.eskilstuna)}
    first = rows["a1"]
    assert first.occurred_at == datetime.datetime(2025, 3, 3, 21, 30, tzinfo=datetime.UTC)
    assert first.x == pytest.approx(585_680, abs=200) and first.y == pytest.approx(6_582_290,
                                                                                  abs=200)
    assert first.status == "new" and not first.is_summary and first.created_at is not None
    assert rows["a2"].address == "Tab\there\\and\nnew line"
    assert rows["a3"].lat is None and rows["a3"].x is None
    assert rows["a3"].place_name == "Fristadstorget"
    assert Incident.objects.for_hotspots().count() == 2


def test_reserve_ids_and_area_links(world, categories):
    from shapely.geometry import box

    area, _ = services.save_area(actor=world.coordinator, municipality=world.eskilstuna,
                                 name="Centrum", kind="district",
                                 geometry_wgs84=box(16.49, 59.36, 16.53, 59.38))
    ids = bulk.reserve_ids(Incident, 2)
    assert len(set(ids)) == 2
    bulk.load_incidents(world.eskilstuna, {
        "id": ids, "category_id": [categories["hot_vald"]] * 2,
        "occurred_at": np.array(["2025-01-01T00:00:00"] * 2, dtype="datetime64[s]"),
        "source_id": ["b1", "b2"], "lat": [59.37, 59.37], "lon": [16.51, 16.51]})
    assert bulk.load_incident_areas([(ids[0], area.pk), (ids[1], area.pk)]) == 2
    assert set(IncidentArea.objects.values_list("incident_id", flat=True)) == set(ids)
    assert set(Incident.objects.values_list("pk", flat=True)) == set(ids)


def test_an_imports_area_assignment_in_passes_gives_the_same_links(world, categories,
                                                                   monkeypatch):
    """`assign_new_incidents` reads the imported ids in passes of ASSIGN_CHUNK (bounded
    memory for millions of rows): passes of 2 give the links one pass gives."""
    from shapely.geometry import box

    from samverkan.situation.models import Area

    centre, _ = services.save_area(actor=world.coordinator, municipality=world.eskilstuna,
                                   name="Centrum", kind="district",
                                   geometry_wgs84=box(16.49, 59.36, 16.53, 59.38))
    services.save_area(actor=world.coordinator, municipality=world.eskilstuna, name="Väster",
                       kind="district", geometry_wgs84=box(16.40, 59.36, 16.49, 59.38))
    IncidentArea.objects.all().delete()
    lats = [59.37, 59.37, 59.37, 59.30, 59.37]
    lons = [16.51, 16.45, 16.52, 16.51, 16.50]
    bulk.load_incidents(world.eskilstuna, {
        "category_id": [categories["klotter"]] * 5,
        "occurred_at": np.array(["2025-01-01T00:00:00"] * 5, dtype="datetime64[s]"),
        "source_id": [f"c{i}" for i in range(5)], "lat": lats, "lon": lons})
    IncidentArea.objects.all().delete()
    ids = sorted(Incident.objects.values_list("pk", flat=True))

    def links():
        return sorted(IncidentArea.objects.values_list("incident__source_id", "area__name"))

    assert services.assign_new_incidents(world.eskilstuna, ids[0], ids[-1]) == 4
    whole = links()
    assert whole == [("c0", "Centrum"), ("c1", "Väster"), ("c2", "Centrum"),
                     ("c4", "Centrum")]
    IncidentArea.objects.all().delete()
    monkeypatch.setattr(services, "ASSIGN_CHUNK", 2)
    assert services.assign_new_incidents(world.eskilstuna, ids[0], ids[-1]) == 4
    assert links() == whole
    assert Area.objects.get(pk=centre.pk).name == "Centrum"
