"""Open311 GeoReport v2 in XML (``.xml``): the structure of the specification's examples
(http://wiki.open311.org/GeoReport_v2) for the service list, a service definition, requests
(list, single, POST), tokens and errors; and the XML holds the same data as the JSON. Parsed
with defusedxml, as a client should."""
import pytest
from defusedxml import ElementTree
from django.core.cache import cache

from samverkan.faults import services
from samverkan.faults.models import FaultReport
from samverkan.faults.open311 import to_xml

from .conftest import CENTRE

# The elements of the specification's examples, in their order.
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type",
                  "keywords", "group"]
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name",
                  "service_code", "description", "agency_responsible", "service_notice",
                  "requested_datetime", "updated_datetime", "expected_datetime", "address",
                  "address_id", "zipcode", "lat", "long", "media_url"]


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_key(setup, world):
    return services.create_open311_client(actor=world.coordinator, municipality=world.eskilstuna,
                                          name="Eskilstuna direkt-appen").api_key


def _xml(response):
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ElementTree.fromstring(response.content)


def _as_text(value):
    """A JSON value as the XML writes it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _same(element, data):
    """``element`` (XML) holds ``data`` (the JSON answer), field by field and in order."""
    if isinstance(data, dict):
        assert [child.tag for child in element] == list(data)
        for child, (_key, value) in zip(element, data.items(), strict=True):
            _same(child, value)
    elif isinstance(data, list):
        assert len(element) == len(data)
        for child, value in zip(element, data, strict=True):
            _same(child, value)
    else:
        assert len(element) == 0
        assert (element.text or None) == (_as_text(data) or None)


def _both(client, url, **kwargs):
    json_answer = client.get(url.replace("{fmt}", "json"), **kwargs)
    xml_answer = client.get(url.replace("{fmt}", "xml"), **kwargs)
    assert json_answer.status_code == xml_answer.status_code
    return json_answer.json(), _xml(xml_answer)


def test_service_list_and_definition(setup, client):
    data, root = _both(client, "/open311/v2/services.{fmt}?jurisdiction_id=0484")
    assert root.tag == "services"
    assert {child.tag for child in root} == {"service"}
    first = root[0]
    assert [e.tag for e in first] == SERVICE_FIELDS
    assert first.findtext("service_code") == "klotter"
    assert first.findtext("metadata") == "false" and first.findtext("type") == "realtime"
    _same(root, data)

    data, root = _both(client, "/open311/v2/services/klotter.{fmt}?jurisdiction_id=0484")
    assert root.tag == "service_definition"
    assert [e.tag for e in root] == ["service_code", "attributes"]
    assert root.findtext("service_code") == "klotter" and len(root.find("attributes")) == 0
    _same(root, data)


def test_file_and_read_requests_in_xml(setup, client, api_key):
    response = client.post("/open311/v2/requests.xml", {
        "jurisdiction_id": "0484", "api_key": api_key, "service_code": "klotter",
        "lat": CENTRE[0], "long": CENTRE[1], "description": "Taggar på busskuren <b>&",
        "email": "boende@example.se", "first_name": "Bo"})
    assert response.status_code == 201, response.content
    root = _xml(response)
    assert root.tag == "service_requests" and [r.tag for r in root] == ["request"]
    created = root[0]
    assert [e.tag for e in created] == ["service_request_id", "token", "service_notice",
                                        "account_id"]
    assert created.find("account_id").text is None  # <account_id/>, as in the example
    report = FaultReport.objects.get(pk=int(created.findtext("service_request_id")))
    assert report.open311_token == created.findtext("token")

    data, root = _both(client, f"/open311/v2/requests/{report.pk}.{{fmt}}")
    assert root.tag == "service_requests" and len(root) == 1
    request = root.find("request")
    assert [e.tag for e in request] == REQUEST_FIELDS
    assert request.findtext("status") == "open"
    assert request.findtext("description") == "Taggar på busskuren <b>&"  # escaped, not markup
    assert float(request.findtext("lat")) == CENTRE[0]
    assert request.findtext("expected_datetime") == data[0]["expected_datetime"]
    assert b"boende@example.se" not in client.get(
        f"/open311/v2/requests/{report.pk}.xml").content
    _same(root, data)

    data, root = _both(client, "/open311/v2/requests.{fmt}?status=open&service_code=klotter")
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [
        str(report.pk)]
    _same(root, data)

    data, root = _both(client, f"/open311/v2/tokens/{report.open311_token}.{{fmt}}")
    assert root.tag == "service_requests"
    _same(root, data)


@pytest.mark.parametrize("url,code", [
    ("/open311/v2/requests/999.{fmt}", 404),
    ("/open311/v2/services/nope.{fmt}", 404),
    ("/open311/v2/services.{fmt}?jurisdiction_id=9999", 404),
    ("/open311/v2/requests.{fmt}?status=maybe", 400),
    ("/open311/v2/requests.{fmt}?start_date=yesterday", 400),
    ("/open311/v2/tokens/nope.{fmt}", 404),
])
def test_read_errors_in_xml(setup, client, url, code):
    data, root = _both(client, url)
    assert root.tag == "errors" and [e.tag for e in root] == ["error"]
    assert [e.tag for e in root[0]] == ["code", "description"]
    assert root[0].findtext("code") == str(code) and root[0].findtext("description")
    _same(root, data)


def test_post_errors_in_xml(setup, client, api_key):
    response = client.post("/open311/v2/requests.xml", {
        "jurisdiction_id": "0484", "api_key": "wrong", "service_code": "klotter",
        "lat": "59.37", "long": "16.5"})
    assert response.status_code == 403
    error = _xml(response).find("error")
    assert error.findtext("code") == "403" and "api_key" in error.findtext("description")
    response = client.post("/open311/v2/requests.xml", {"api_key": api_key,
                                                        "jurisdiction_id": "0484"})
    assert response.status_code == 400 and _xml(response).findtext("error/code") == "400"
    response = client.put("/open311/v2/requests.xml")
    assert response.status_code == 405 and _xml(response).findtext("error/code") == "405"
    assert not FaultReport.objects.exists()


def test_throttled_in_xml(setup, client, settings):
    settings.FAULTS_THROTTLE = {"open311_read": (1, 60)}
    client.get("/open311/v2/services.xml")
    response = client.get("/open311/v2/services.xml")
    assert response.status_code == 429 and _xml(response).findtext("error/code") == "429"


def test_xml_leaves_out_what_xml_cannot_hold():
    root = ElementTree.fromstring(to_xml("service_requests", [
        {"description": "Klotter\x00 på\x1b väggen", "lat": 59.5, "media_url": None,
         "metadata": True}]))
    request = root.find("request")
    assert request.findtext("description") == "Klotter på väggen"
    assert request.findtext("lat") == "59.5" and request.findtext("metadata") == "true"
    assert request.find("media_url").text is None
