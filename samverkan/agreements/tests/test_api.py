"""The agreements API beyond access: nested parties, filters shared with the pages, schema."""
from samverkan.agreements import services
from samverkan.core.testing import api_client

from . import seed


def test_agreement_lists_its_parties(world):
    agreement = seed.eskilstuna_agreement(world)
    body = api_client(world.reader).get(f"/api/v1/agreements/{agreement.pk}/").json()
    assert body["municipality"] == "0484"
    assert body["overall_goal"] == seed.ESKILSTUNA_GOAL
    assert {(p["organization_name"], p["role"]) for p in body["parties"]} == {
        ("Eskilstuna kommun", "municipality"), ("Lokalpolisområde Eskilstuna", "police")}


def test_parties_are_read_only_on_the_agreement(world):
    agreement = seed.eskilstuna_agreement(world, parties=False)
    response = api_client(world.coordinator).patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"parties": [{"organization": world.police_org.pk, "role": "police"}]}, format="json")
    assert response.status_code == 200 and response.json()["parties"] == []
    response = api_client(world.coordinator).post("/api/v1/parties/", {
        "agreement": agreement.pk, "organization": world.police_org.pk, "role": "police"},
        format="json")
    assert response.status_code == 201
    body = api_client(world.coordinator).get(f"/api/v1/agreements/{agreement.pk}/").json()
    assert [p["organization"] for p in body["parties"]] == [world.police_org.pk]


def test_municipality_cannot_change(world):
    agreement = seed.eskilstuna_agreement(world, parties=False)
    response = api_client(world.coordinator).patch(
        f"/api/v1/agreements/{agreement.pk}/", {"municipality": "1082"}, format="json")
    assert response.status_code == 400  # not a municipality the coordinator works in
    agreement.refresh_from_db()
    assert agreement.municipality_id == "0484"


def test_filters(world):
    agreement = seed.full_eskilstuna(world)
    other = seed.karlshamn_agreement(world)
    client = api_client(world.coordinator)
    assert client.get("/api/v1/agreements/", {"status": "active"}).json()["count"] == 1
    assert client.get("/api/v1/agreements/", {"year": 2030}).json()["count"] == 0
    areas = client.get("/api/v1/focus-areas/", {"agreement": agreement.pk}).json()
    assert [a["title"] for a in areas["results"]] == [t for t, _tr, _s in seed.FOCUS_AREAS]
    focus_area = agreement.focus_areas.get(number=2)
    sub_goals = client.get("/api/v1/sub-goals/", {"focus_area": focus_area.pk}).json()
    assert sub_goals["count"] == 5
    kug = agreement.forums.get(abbreviation="KUG")
    chairs = client.get("/api/v1/forum-members/", {"forum": kug.pk, "role": "chair"}).json()
    assert [m["function"] for m in chairs["results"]] == ["Direktör för social hållbarhet"]
    used = client.get("/api/v1/data-sources/", {"agreement": agreement.pk, "used": "true"})
    assert used.json()["count"] == len(seed.DATA_SOURCES)
    # Another municipality's agreement is not a valid filter choice.
    assert client.get("/api/v1/forums/", {"agreement": other.pk}).status_code == 400
    karlshamn = api_client(world.other_municipality_user)
    forums = karlshamn.get("/api/v1/forums/", {"agreement": other.pk}).json()
    assert [f["abbreviation"] for f in forums["results"]] == ["lokala Brå"]
    signatories = karlshamn.get("/api/v1/signatories/").json()["results"]
    assert {s["name"] for s in signatories} == {"Per-Ola Mattsson", "Louise Englund"}


def test_child_parent_cannot_change(world):
    agreement = seed.full_eskilstuna(world)
    other = seed.eskilstuna_agreement(world, parties=False)
    focus_area = agreement.focus_areas.get(number=1)
    response = api_client(world.coordinator).patch(
        f"/api/v1/focus-areas/{focus_area.pk}/", {"agreement": other.pk, "goal": "Mål"},
        format="json")
    assert response.status_code == 200
    focus_area.refresh_from_db()
    assert focus_area.agreement_id == agreement.pk and focus_area.goal == "Mål"


def test_new_focus_area_gets_the_next_number(world):
    agreement = seed.eskilstuna_agreement(world, parties=False)
    seed.eskilstuna_focus_area(world, agreement, 0)
    response = api_client(world.coordinator).post("/api/v1/focus-areas/", {
        "agreement": agreement.pk, "title": seed.FOCUS_AREAS[1][0]}, format="json")
    assert response.status_code == 201 and response.json()["number"] == 2


def test_schema_documents_the_endpoints():
    from django.urls import include, path
    from drf_spectacular.generators import SchemaGenerator

    patterns = [path("api/v1/", include("samverkan.agreements.api_urls"))]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    for name in ("agreements", "parties", "signatories", "priority-areas", "data-sources",
                 "followup-entries", "focus-areas", "sub-goals", "forums", "forum-members"):
        assert f"/api/v1/{name}/" in schema["paths"]
        assert f"/api/v1/{name}/{{id}}/" in schema["paths"]
    agreement = schema["components"]["schemas"]["Agreement"]
    assert agreement["properties"]["parties"]["readOnly"] is True
    assert "/api/v1/parties/" in agreement["properties"]["parties"]["description"]


def test_delete_forum_keeps_followup_wording(world):
    agreement = seed.full_eskilstuna(world)
    kug = agreement.forums.get(abbreviation="KUG")
    entry = agreement.followup_entries.get(forum=kug)
    services.delete_forum(kug, actor=world.coordinator)
    entry.refresh_from_db()
    assert entry.forum is None and "delår 2" in entry.text
