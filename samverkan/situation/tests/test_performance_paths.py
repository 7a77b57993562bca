"""The fast paths of docs/performance.md behave like the plain ones: the bulk loader (binary
COPY through a staging table, idempotent, one audit entry per municipality), the query
shortcuts of the weekly picture, and the weekly picture's cache (invalidated by every write,
separate for users who may see different incidents)."""
from __future__ import annotations

import datetime

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.core.choices import Confidentiality
from samverkan.situation import bulk, picture, services, weekly
from samverkan.situation.models import Category, Incident
from samverkan.situation.picture import LOCAL_TZ

from .test_picture import WEEK, add, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(world):
    services.ensure_default_categories(world.eskilstuna, actor=world.coordinator)
    return {c.slug: c.pk for c in Category.objects.filter(municipality=world.eskilstuna)}


def columns(categories, ids, *, municipality=None):
    n = len(ids)
    out = {
        "category_id": np.array([categories["klotter"]] * n),
        "occurred_at": np.array(["2025-03-03T21:30:00"] * n, dtype="datetime64[s]"),
        "lat": np.full(n, 59.3712), "lon": np.full(n, 16.5097),
        "precision": np.array(["exact"] * n), "source": np.array(["import"] * n),
        "source_id": np.array(ids),
        "address": ["Järntorget – “torget”"] * n,
    }
    if municipality is not None:
        out["municipality_id"] = np.array(municipality)
    return out


# -- the bulk loader ---------------------------------------------------------------------------


def test_load_is_idempotent_and_audited_once_per_municipality(world, categories):
    n = bulk.load_incidents(world.eskilstuna, columns(categories, ["c1", "c2", "c3"]),
                            actor=world.coordinator, label="events.csv")
    assert n == 3
    # Loading the same rows again, plus one new: only the new one is written.
    again = bulk.load_incidents(world.eskilstuna, columns(categories, ["c1", "c2", "c3", "c4"]),
                                actor=world.coordinator, label="events.csv")
    assert again == 1
    assert Incident.objects.filter(municipality=world.eskilstuna).count() == 4
    assert Incident.objects.get(source_id="c4").address == "Järntorget – “torget”"
    entries = list(AuditEntry.objects.filter(content_type__model="incident",
                                             municipality=world.eskilstuna).order_by("pk"))
    assert len(entries) == 2
    first = entries[0].changes["after"]
    assert first["incidents"] == 3 and first["bulk_load"] == "events.csv"
    assert first["source_ids"] == ["c1", "c3"] and first["sources"] == ["import"]
    assert entries[0].actor == world.coordinator
    assert "events.csv" in entries[0].object_repr
    assert entries[1].changes["after"]["source_ids"] == ["c4", "c4"]


def test_load_with_a_municipality_column_audits_each_municipality(world, categories):
    other = services.ensure_default_categories(world.karlshamn, actor=None)[0]
    cols = columns(categories, ["m1", "m2", "k1"], municipality=["0484", "0484", "1082"])
    cols["category_id"] = np.array([categories["klotter"], categories["klotter"], other.pk])
    assert bulk.load_incidents(None, cols) == 3
    counts = {e.municipality_id: e.changes["after"]["incidents"] for e in
              AuditEntry.objects.filter(content_type__model="incident")}
    assert counts == {"0484": 2, "1082": 1}


def test_binary_copy_keeps_nulls_text_and_times(world, categories):
    when = datetime.datetime(2025, 7, 1, 23, 59, 59, 123456, tzinfo=LOCAL_TZ)
    bulk.load_incidents(world.eskilstuna, {
        "category_id": [categories["hot_vald"], categories["klotter"]],
        "occurred_at": [when, when + datetime.timedelta(days=1)],
        "ended_at": [None, when + datetime.timedelta(days=2)],
        "lat": [float("nan"), 59.37], "lon": [float("nan"), 16.51],
        "place_name": ["Tab\there \\ and\nnew line", ""],
        "is_summary": np.array([True, False]),
        "source_id": ["t1", "t2"],
    })
    first, second = (Incident.objects.get(source_id=s) for s in ("t1", "t2"))
    assert first.occurred_at == when and first.ended_at is None
    assert second.ended_at == when + datetime.timedelta(days=2)
    assert first.lat is None and first.x is None and second.x is not None
    assert first.place_name == "Tab\there \\ and\nnew line"
    assert first.is_summary and not second.is_summary
    assert first.category_id == categories["hot_vald"]
    assert first.confidentiality == Confidentiality.INTERNAL and first.status == "new"


def test_encoded_binary_copy_layout():
    block = bulk.encode_binary_copy([("int8", np.array([1, 2])), ("text", ["å", None])])
    assert block.startswith(b"PGCOPY\n\xff\r\n\x00") and block.endswith(b"\xff\xff")
    rows = block[19:-2]
    # Row 1: 2 fields; 8-byte int 1; 2-byte "å". Row 2: int 2; NULL (length -1).
    assert rows == (b"\x00\x02" + b"\x00\x00\x00\x08" + (1).to_bytes(8, "big")
                    + b"\x00\x00\x00\x02" + "å".encode()
                    + b"\x00\x02" + b"\x00\x00\x00\x08" + (2).to_bytes(8, "big")
                    + b"\xff\xff\xff\xff")


# -- query shortcuts -----------------------------------------------------------------------------


def test_adjacent_periods_are_queried_together():
    weeks = [WEEK, *[WEEK.shift(-k) for k in range(4, 0, -1)], WEEK.same_week_last_year()]
    runs = picture._adjacent_runs([(w.start, w.end) for w in weeks])
    assert runs == [[5], [1, 2, 3, 4, 0]]


def test_time_of_week_over_summer_time_changes(world, categories):
    # Sunday 30 March 2025 02:00 local time became 03:00; 26 October 03:00 became 02:00.
    times = [datetime.datetime(2025, 3, 30, 1, 30, tzinfo=LOCAL_TZ),
             datetime.datetime(2025, 3, 30, 3, 30, tzinfo=LOCAL_TZ),
             datetime.datetime(2025, 10, 26, 2, 30, tzinfo=LOCAL_TZ),
             datetime.datetime(2025, 10, 26, 2, 30, fold=1, tzinfo=LOCAL_TZ)]
    for i, t in enumerate(times):
        add(world, "klotter", t, source_id=f"dst{i}")
    matrix = picture.time_of_week(picture.incidents_for(world.coordinator, world.eskilstuna))
    assert matrix[6, 1] == 1 and matrix[6, 3] == 1 and matrix[6, 2] == 2
    assert matrix.sum() == 4


# -- the weekly picture's cache ------------------------------------------------------------------


@pytest.fixture
def picture_cache(settings, request):
    """A fresh memory cache for this test, with the picture cache on (one process)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"picture-{request.node.name}"}}
    settings.SITUATION_PICTURE_CACHE = True
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def incident_queries(context) -> list[str]:
    return [q["sql"] for q in context.captured_queries if "situation_incident" in q["sql"]]


def test_the_per_process_memory_cache_is_not_used_by_default():
    assert weekly.picture_cache() is None
    with override_settings(CACHES={"default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": "/tmp/samverkan-test-picture-cache"}}):
        assert weekly.picture_cache() is not None
    with override_settings(SITUATION_PICTURE_CACHE=False, CACHES={"default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": "/tmp/samverkan-test-picture-cache"}}):
        assert weekly.picture_cache() is None


def test_cached_picture_is_reused_and_rebuilt_after_a_write(world, categories, picture_cache,
                                                            django_capture_on_commit_callbacks):
    for i in range(3):
        add(world, "klotter", at(WEEK, i, 22), source_id=f"w{i}")
    first = weekly.build_weekly(world.coordinator, world.eskilstuna, WEEK)
    assert first.counts.total.current == 3 and first.cache_key
    with CaptureQueriesContext(connection) as queries:
        again = weekly.build_weekly(world.coordinator, world.eskilstuna, WEEK)
    assert incident_queries(queries) == []
    assert again.counts.total.current == 3 and again.cache_key == first.cache_key

    with django_capture_on_commit_callbacks(execute=True):
        add(world, "klotter", at(WEEK, 4, 22), source_id="w-new")
    after = weekly.build_weekly(world.coordinator, world.eskilstuna, WEEK)
    assert after.counts.total.current == 4 and after.cache_key != first.cache_key

    incident = Incident.objects.get(source_id="w-new")
    services.reject_incident(incident, actor=world.coordinator)
    assert weekly.build_weekly(world.coordinator, world.eskilstuna,
                               WEEK).counts.total.current == 3
    services.update_category(incident.category, actor=world.coordinator, name="Klotter och tags")
    rows = weekly.build_weekly(world.coordinator, world.eskilstuna, WEEK).counts.rows
    assert "Klotter och tags" in [r.name for r in rows]
    bulk.load_incidents(world.eskilstuna, columns(categories, ["b1", "b2"]) | {
        "occurred_at": np.array([np.datetime64(at(WEEK, 1).astimezone(datetime.UTC)
                                               .replace(tzinfo=None), "s")] * 2)})
    assert weekly.build_weekly(world.coordinator, world.eskilstuna,
                               WEEK).counts.total.current == 5


def test_restricted_incidents_give_each_organisation_its_own_picture(world, categories,
                                                                      picture_cache):
    add(world, "klotter", at(WEEK, 1, 22), source_id="open")
    secret = add(world, "klotter", at(WEEK, 2, 22), source_id="secret",
                 confidentiality=Confidentiality.RESTRICTED)
    services.update_incident(secret, actor=world.coordinator, restricted_to=[world.police_org])
    police = weekly.build_weekly(world.police_officer, world.eskilstuna, WEEK)
    municipality = weekly.build_weekly(world.coordinator, world.eskilstuna, WEEK)
    assert police.counts.total.current == 2
    assert municipality.counts.total.current == 1
    assert police.cache_key != municipality.cache_key


def test_weekly_page_html_follows_a_new_incident(world, categories, picture_cache, client,
                                                 django_capture_on_commit_callbacks):
    add(world, "klotter", at(WEEK, 1, 22), source_id="p1")
    client.force_login(world.coordinator)
    url = reverse("situation:weekly")
    first = client.get(url, {"week": WEEK.param}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        add(world, "klotter", at(WEEK, 2, 22), source_id="p2", place_name="Fristadstorget")
    page = client.get(url, {"week": WEEK.param}).content.decode()
    assert page != first and "2 händelser med känd plats denna vecka" in page
    # ... and so does the map's own request (its points are cached under the same version).
    points = client.get(reverse("situation:weekly_map"), {"week": WEEK.param}).json()["points"]
    assert "Fristadstorget" in [p["place"] for p in points]


def test_cache_keys_differ_by_week_options_and_language(world, categories, picture_cache):
    from django.utils import translation

    key = weekly._cache_key(world.coordinator, world.eskilstuna, WEEK, None, 200, 12)
    assert key != weekly._cache_key(world.coordinator, world.eskilstuna, WEEK.shift(-1), None,
                                    200, 12)
    assert key != weekly._cache_key(world.coordinator, world.eskilstuna, WEEK, None, 100, 12)
    with translation.override("en"):
        assert key != weekly._cache_key(world.coordinator, world.eskilstuna, WEEK, None,
                                        200, 12)
