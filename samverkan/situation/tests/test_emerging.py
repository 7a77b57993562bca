"""Emerging hot spots and map accuracy from the database: the SQL space-time cube equals the
cube counted in Python from the same generated incidents, the command's JSON contract, access."""
from __future__ import annotations

import datetime
import io
import json

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samverkan.analysis import emerging_hotspots, sweref99tm_to_wgs84
from samverkan.situation import bulk, emerging, picture, services
from samverkan.situation.models import Category, Incident

SIZE = 200
ORIGIN = (2928, 32905)  # Eskilstuna's town centre in 200 m cells
STOCKHOLM = picture.LOCAL_TZ


def generated(seed: int = 3, months: int = 14):
    """A 12 x 12 grid of 200 m cells, a Poisson background and a cluster that grows every
    month; one incident per count at a random point of its cell, mid-month."""
    rng = np.random.default_rng(seed)
    cube = rng.poisson(1.2, size=(months, 12, 12))
    cube[:, 3:6, 3:6] += np.linspace(2, 9, months).astype(int).reshape(-1, 1, 1)
    t, j, i = np.nonzero(cube)
    reps = cube[t, j, i]
    t, j, i = np.repeat(t, reps), np.repeat(j, reps), np.repeat(i, reps)
    x = (i + ORIGIN[0] + rng.uniform(0.05, 0.95, i.size)) * SIZE
    y = (j + ORIGIN[1] + rng.uniform(0.05, 0.95, j.size)) * SIZE
    lat, lon = sweref99tm_to_wgs84(x, y)
    when = [datetime.datetime(2024 + (m // 12), m % 12 + 1, 15, 12, tzinfo=STOCKHOLM)
            for m in range(months)]
    return cube, t, lat, lon, when


@pytest.fixture
def loaded(world):
    services.ensure_default_categories(world.eskilstuna, actor=world.coordinator)
    klotter = Category.objects.get(municipality=world.eskilstuna, slug="klotter")
    cube, t, lat, lon, when = generated()
    bulk.load_incidents(world.eskilstuna, {
        "category_id": np.full(t.size, klotter.pk),
        "occurred_at": [when[k] for k in t.tolist()],
        "lat": np.round(lat, 7), "lon": np.round(lon, 7),
        "precision": np.full(t.size, "exact"), "source": np.full(t.size, "import"),
        "source_id": np.array([f"g{k}" for k in range(t.size)]),
    })
    return cube


def test_sql_cube_equals_python_cube(world, loaded):
    qs = picture.incidents_for(world.coordinator, world.eskilstuna)
    spans = emerging.periods("month", datetime.date(2024, 1, 1), datetime.date(2025, 2, 28))
    assert len(spans) == 14 and spans[0].label == "2024-01" and spans[-1].label == "2025-02"
    t, ix, iy, n = emerging.cube_counts(qs, spans, SIZE)
    cube = np.zeros_like(loaded)
    np.add.at(cube, (t, iy - ORIGIN[1], ix - ORIGIN[0]), n)
    assert (cube == loaded).all()
    em = emerging.emerging(qs, "month", datetime.date(2024, 1, 1), datetime.date(2025, 2, 28),
                           SIZE)
    jj, ii = np.mgrid[0:12, 0:12]
    tt = np.repeat(np.arange(14), 144)
    reference = emerging_hotspots(tt, np.tile(ii.ravel() + ORIGIN[0], 14),
                                  np.tile(jj.ravel() + ORIGIN[1], 14), loaded.ravel(), 14, SIZE)
    assert [(c.x, c.y, c.category) for c in em.result.cells] == [
        (c.x, c.y, c.category) for c in reference.cells]
    at = {(int(c.x // SIZE) - ORIGIN[0], int(c.y // SIZE) - ORIGIN[1]): c.category
          for c in em.result.cells}
    assert at[(4, 4)] == "intensifying_hot"


def test_weeks_follow_local_time(world):
    spans = emerging.periods("week", datetime.date(2025, 3, 26), datetime.date(2025, 4, 2))
    assert [p.label for p in spans] == ["2025-W13", "2025-W14"]
    assert spans[0].start.utcoffset() == datetime.timedelta(hours=1)  # winter time
    assert spans[1].start.utcoffset() == datetime.timedelta(hours=2)  # summer time
    with pytest.raises(ValueError):
        emerging.periods("day", datetime.date(2025, 1, 1), datetime.date(2025, 2, 1))


def _run(*args) -> str:
    out = io.StringIO()
    call_command("emerging_hotspots", *args, stdout=out)
    return out.getvalue()


def test_command_json_contract(world, loaded):
    data = json.loads(_run("--municipality", "0484", "--period", "month", "--from",
                           "2024-01-01", "--to", "2025-02-28", "--cell-size", "200", "--json"))
    assert set(data) == {"cells", "periods"} and data["periods"] == 14
    assert data["cells"]
    for cell in data["cells"]:
        assert set(cell) == {"x", "y", "lat", "lon", "category", "trend_z", "trend_p"}
        assert cell["x"] % 200 == 0 and 59.3 < cell["lat"] < 59.45
    only = json.loads(_run("--municipality", "0484", "--period", "month", "--from",
                           "2024-01-01", "--to", "2025-02-28", "--category",
                           "intensifying_hot", "--json"))
    assert only["cells"] and {c["category"] for c in only["cells"]} == {"intensifying_hot"}
    text = _run("--municipality", "0484", "--period", "month", "--from", "2024-01-01",
                "--to", "2025-02-28")
    assert "intensifying_hot" in text and "2024-01" in text


def test_command_sees_what_the_user_sees(world, loaded):
    data = json.loads(_run("--municipality", "0484", "--period", "month", "--from",
                           "2024-01-01", "--to", "2025-02-28", "--json", "--user",
                           world.other_municipality_user.username))
    assert data == {"cells": [], "periods": 14}


def test_command_errors(world):
    with pytest.raises(CommandError, match="municipality"):
        _run("--municipality", "9999", "--period", "week", "--from", "2025-01-01", "--to",
             "2025-03-01")
    with pytest.raises(CommandError, match="before"):
        _run("--municipality", "0484", "--period", "week", "--from", "2025-03-01", "--to",
             "2025-01-01")
    with pytest.raises(CommandError):
        _run("--municipality", "0484", "--period", "year", "--from", "2025-01-01", "--to",
             "2025-03-01")
    few = _run("--municipality", "0484", "--period", "week", "--from", "2025-01-01", "--to",
               "2025-01-20")
    assert "at least 10" in few


def test_map_accuracy_from_the_database(world, loaded):
    qs = picture.incidents_for(world.coordinator, world.eskilstuna)
    start = datetime.datetime(2024, 1, 1, tzinfo=STOCKHOLM)
    mid = datetime.datetime(2024, 12, 1, tzinfo=STOCKHOLM)
    end = datetime.datetime(2025, 1, 1, tzinfo=STOCKHOLM)
    acc = emerging.accuracy(qs, start, mid, end, SIZE, map_first="2024-01",
                            map_last="2024-11", next_label="2024-12").accuracy
    assert acc.next_incidents == int(loaded[11].sum())
    assert acc.pai is not None and acc.pai > 2 and acc.better_than_chance
    assert Incident.objects.count() == int(loaded.sum())


def test_hotspots_command_from_the_database(world, loaded):
    out = io.StringIO()
    call_command("hotspots", "--municipality", "0484", "--cell-size", "200", "--json",
                 stdout=out)
    data = json.loads(out.getvalue())
    assert data["n_incidents"] == int(loaded.sum())
    out = io.StringIO()
    call_command("hotspots", "--country", "--from", "2025-01-01", "--cell-size", "200",
                 "--json", stdout=out)
    assert json.loads(out.getvalue())["n_incidents"] == int(loaded[12:].sum())


def test_weekly_layer_and_yearly_section(world, loaded, client):
    from django.urls import reverse

    client.force_login(world.coordinator)
    response = client.get(reverse("situation:weekly_emerging"), {"week": "2025-W05"})
    assert response.status_code == 200
    data = response.json()
    # Weeks are too thin (one day a month has incidents): months over two years instead.
    assert data["kind"] == "month" and data["meaningful"]
    kinds = {f["properties"]["category"] for f in data["layer"]["features"]}
    # 24 months of which the first 10 are empty: the cluster is hot only since 2024.
    assert "consecutive_hot" in kinds
    assert {row["category"] for row in data["legend"]} == kinds
    page = client.get(reverse("situation:weekly"), {"week": "2025-W05"}).content.decode()
    assert 'id="emerging"' in page and "emerging_map.js" in page

    yearly = client.get(reverse("situation:yearly"), {"year": "2024"}).content.decode()
    assert 'id="yearly-emerging-map"' in yearly and "yearly-emerging-data" in yearly
    pdf = client.get(reverse("situation:yearly_export"), {"year": "2025", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("situation:yearly_export"), {"year": "2025"})
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert client.get(reverse("situation:yearly_export"),
                      {"year": "2025", "format": "odt"}).status_code == 404


def test_weekly_layer_counts_only_what_the_user_sees(world, loaded, client):
    from django.urls import reverse

    client.force_login(world.other_municipality_user)
    data = client.get(reverse("situation:weekly_emerging"), {"week": "2025-W05"}).json()
    assert data["layer"]["features"] == [] and not data["meaningful"]
    client.logout()
    assert client.get(reverse("situation:weekly_emerging")).status_code == 302


def test_api(world, loaded):
    from samverkan.core.testing import api_client

    url = "/api/v1/situation/emerging-hotspots/"
    query = {"municipality": "0484", "period": "month", "from": "2024-01-01",
             "to": "2025-02-28", "cell_size": 200}
    data = api_client(world.reader).get(url, query).json()
    assert data["periods"] == 14 and data["meaningful"] and data["cells"]
    assert set(data["cells"][0]) == {"x", "y", "lat", "lon", "category", "trend_z", "trend_p"}
    only = api_client(world.reader).get(url, {**query, "category": "intensifying_hot"}).json()
    assert {c["category"] for c in only["cells"]} == {"intensifying_hot"}
    assert api_client(world.other_municipality_user).get(url, query).status_code == 404
    assert api_client().get(url, query).status_code in (401, 403)
    bad = api_client(world.reader).get(url, {**query, "period": "day", "cell_size": 7})
    assert bad.status_code == 400 and {"period"} <= set(bad.json())
    assert api_client(world.reader).get(url, {**query, "to": "2023-01-01"}).status_code == 400
