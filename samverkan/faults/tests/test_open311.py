"""Open311 GeoReport v2: services, filing with an api_key, reading, tokens, and Open311 error
objects for bad requests."""
import pytest
from django.core.cache import cache

from samverkan.faults import services
from samverkan.faults.models import FaultReport

from .conftest import CENTRE


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_key(setup, world):
    return services.create_open311_client(actor=world.coordinator, municipality=world.eskilstuna,
                                          name="Eskilstuna direkt-appen").api_key


def test_services(setup, client):
    rows = client.get("/open311/v2/services.json?jurisdiction_id=0484").json()
    assert {"service_code": "klotter", "service_name": "Klotter", "metadata": False,
            "type": "realtime"}.items() <= rows[0].items()
    assert client.get("/open311/v2/services/klotter.json?jurisdiction_id=0484").json() == {
        "service_code": "klotter", "attributes": []}
    # One municipality takes reports: the jurisdiction may be left out.
    assert len(client.get("/open311/v2/services.json").json()) == 5


def test_file_and_read_a_request(setup, client, api_key):
    response = client.post("/open311/v2/requests.json", {
        "jurisdiction_id": "0484", "api_key": api_key, "service_code": "klotter",
        "lat": CENTRE[0], "long": CENTRE[1], "description": "Taggar på busskuren",
        "email": "boende@example.se", "first_name": "Bo"})
    assert response.status_code == 201, response.content
    created = response.json()[0]
    report = FaultReport.objects.get(pk=int(created["service_request_id"]))
    assert report.channel == "open311" and report.reporter_name == "Bo"
    row = client.get(f"/open311/v2/requests/{report.pk}.json").json()[0]
    assert row["status"] == "open" and row["service_code"] == "klotter"
    assert row["expected_datetime"] is not None and row["lat"] == CENTRE[0]
    assert "email" not in row and "Bo" not in str(row)
    listed = client.get("/open311/v2/requests.json?status=open&service_code=klotter").json()
    assert [r["service_request_id"] for r in listed] == [str(report.pk)]
    assert client.get(f"/open311/v2/tokens/{created['token']}.json").json() == [
        {"service_request_id": str(report.pk), "token": created["token"]}]
    services.change_status(report, actor=None, status="fixed")
    assert client.get("/open311/v2/requests.json?status=closed").json()[0]["status"] == "closed"


@pytest.mark.parametrize("data,code", [
    ({"service_code": "klotter", "lat": "59.37", "long": "16.5"}, 403),  # no api_key
    ({"api_key": "wrong", "service_code": "klotter", "lat": "59.37", "long": "16.5"}, 403),
    ({"api_key": "KEY", "lat": "59.37", "long": "16.5"}, 400),  # no service_code
    ({"api_key": "KEY", "service_code": "nope", "lat": "59.37", "long": "16.5"}, 404),
    ({"api_key": "KEY", "service_code": "klotter"}, 400),  # no place
    ({"api_key": "KEY", "service_code": "klotter", "lat": "x", "long": "16.5"}, 400),
    ({"api_key": "KEY", "service_code": "klotter", "lat": "40.0", "long": "16.5"}, 400),
    ({"api_key": "KEY", "service_code": "klotter", "address_string": "Torget",
      "email": "inte-en-adress"}, 400),
])
def test_bad_requests_get_open311_errors(setup, client, api_key, data, code):
    data = {k: (api_key if v == "KEY" else v) for k, v in data.items()}
    response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == code
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == code and body[0]["description"]
    assert not FaultReport.objects.exists()


def test_bad_reads_get_open311_errors(setup, client):
    for url, code in [("/open311/v2/requests/999.json", 404),
                      ("/open311/v2/services/nope.json", 404),
                      ("/open311/v2/services.json?jurisdiction_id=9999", 404),
                      ("/open311/v2/requests.json?status=maybe", 400),
                      ("/open311/v2/requests.json?start_date=yesterday", 400),
                      ("/open311/v2/requests.json?service_request_id=a,b", 400),
                      ("/open311/v2/services.csv", 400),  # json and xml only
                      ("/open311/v2/tokens/nope.json", 404)]:
        response = client.get(url)
        assert response.status_code == code, url
        assert response.json()[0]["code"] == code


def test_open311_is_throttled(setup, client, settings):
    settings.FAULTS_THROTTLE = {"open311_read": (3, 60)}
    codes = [client.get("/open311/v2/services.json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
