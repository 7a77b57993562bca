"""The operations schemathesis found answering 500 answer with a client error instead."""
import pytest

from samverkan.core.testing import api_client
from samverkan.organizations.services import create_organization

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def test_deleting_an_organisation_in_use_is_a_conflict(world):
    child = create_organization(actor=None, municipality=world.eskilstuna, name="Fältgruppen",
                                kind="department", parent=world.social_services)
    assert child.parent_id == world.social_services.pk
    response = api_client(world.coordinator).delete(
        f"/api/v1/organizations/{world.social_services.pk}/")
    assert response.status_code == 409
    assert "används" in response.json()["detail"] or "use" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/agreements/?year=0",
                                 "/api/v1/followup-rounds/?year=0",
                                 f"/api/v1/agreements/?year={HUGE}",
                                 f"/api/v1/forums/?limit={HUGE}",
                                 f"/api/v1/forums/?limit=10&offset={HUGE}",
                                 f"/api/v1/activity-reports/?activity={HUGE}",
                                 f"/api/v1/activity-reports/?activity=-{HUGE}"])
def test_out_of_range_numbers_are_client_errors(world, url):
    response = api_client(world.coordinator).get(url)
    assert response.status_code in (200, 400), (url, response.status_code)


def test_an_api_url_no_route_takes_answers_the_apis_json_404(world, client):
    """An id the route's converter does not take (a negative one) is still the API's 404
    with its JSON body (found by test_api_fuzz.py with the status and content type checks);
    pages keep the HTML 404."""
    from samverkan.core.testing import api_client as _api_client

    response = _api_client(world.coordinator).get("/api/v1/agreements/-180/export-plan/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Hittades inte."}
    client.force_login(world.coordinator)
    response = client.get("/plans/no-such-page/")
    assert response.status_code == 404 and "text/html" in response["Content-Type"]
