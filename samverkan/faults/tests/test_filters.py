"""The fault-report list's filters: lists of names (categories, handlers, the rules' zones),
and the same ids in the API."""
import pytest
from django.urls import reverse

from samverkan.core.testing import api_client
from samverkan.faults import services

from .conftest import CENTRE, OUTSIDE

pytestmark = pytest.mark.django_db


def test_the_list_filters_by_category_handler_and_zone_chosen_by_name(setup, world, owner,
                                                                       centre, client):
    in_centre = services.submit_report(municipality=world.eskilstuna, category=setup["klotter"],
                                       lat=CENTRE[0], lon=CENTRE[1], description="Torget")
    services.submit_report(municipality=world.eskilstuna, category=setup["belysning"],
                           lat=OUTSIDE[0], lon=OUTSIDE[1], description="Gångvägen")
    client.force_login(world.coordinator)
    url = reverse("faults:report_list")
    page = client.get(url).content.decode()
    assert '<select name="category"' in page and ">Klotter<" in page
    assert '<select name="handler"' in page and ">Kfast<" in page
    # The zones are the areas the rules name (here the centre), not every area.
    assert '<select name="zone"' in page and ">Centrum<" in page
    assert 'type="date" name="received_after"' in page
    # A filter left empty reads "Alla" (all), not Django's dashes.
    assert '<option value="" selected>Alla</option>' in page and "---------" not in page

    for query in ({"category": setup["klotter"].pk}, {"handler": owner.pk},
                  {"zone": centre.pk}):
        listed = client.get(url, query).context["object_list"]
        assert [r.pk for r in listed] == [in_centre.pk], query
        api = api_client(world.coordinator).get("/api/v1/faults/reports/", query)
        assert [r["id"] for r in api.json()["results"]] == [in_centre.pk], query

    # An id that is no choice gets the API's 400 with the field named, not an empty list.
    bad = api_client(world.coordinator).get("/api/v1/faults/reports/", {"category": 999999})
    assert bad.status_code == 400 and "category" in bad.json()
