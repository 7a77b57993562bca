"""An EST report sent again with the same Idempotency-Key (a retry after a lost answer) is
stored once (bench/bench_est_load.py relies on it under load)."""
from samverkan.core.testing import api_client, audit_count
from samverkan.situation.models import Incident

from .helpers import FRISTADSTORGET, categories

URL = "/api/v1/situation/incidents/"


def report(world):
    return {"municipality": "0484", "category": categories(world)["klotter"].pk,
            "occurred_at": "2026-12-04T21:30:00+01:00", "lat": FRISTADSTORGET[0],
            "lon": FRISTADSTORGET[1], "description": "Klotter på fasaden."}


def test_a_retry_with_the_same_key_is_stored_once(world):
    client = api_client(world.contributor)
    body = report(world)
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == 201, first.json()
    entries = audit_count()
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Incident.objects.count() == 1 and audit_count() == entries
    # Another key, or no key, is another report.
    assert client.post(URL, body, format="json",
                       HTTP_IDEMPOTENCY_KEY="abc-124").status_code == 201
    assert client.post(URL, body, format="json").status_code == 201
    assert Incident.objects.count() == 3


def test_keys_belong_to_their_reporter_and_bad_keys_get_a_message(world):
    body = report(world)
    mine = api_client(world.contributor).post(URL, body, format="json",
                                              HTTP_IDEMPOTENCY_KEY="k1")
    theirs = api_client(world.coordinator).post(URL, body, format="json",
                                                HTTP_IDEMPOTENCY_KEY="k1")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    bad = api_client(world.contributor).post(URL, body, format="json",
                                             HTTP_IDEMPOTENCY_KEY="två ord")
    assert bad.status_code == 400
    assert "bokstäver, siffror" in bad.json()["Idempotency-Key"][0]
    assert Incident.objects.count() == 2
