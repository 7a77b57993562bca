from samverkan.core.testing import ScopedModelAccessTests
from samverkan.organizations.models import Organization
from samverkan.organizations.services import create_organization


class TestOrganizationAccess(ScopedModelAccessTests):
    api_base = "/api/v1/organizations/"

    def make(self, world):
        return create_organization(actor=world.coordinator, municipality=world.eskilstuna,
                                   name="Kfast", kind="housing_company")

    def create_payload(self, world):
        return {"municipality": "0484", "name": "Barn- och utbildningsnämnden",
                "abbreviation": "BUN", "kind": "committee"}

    def update_payload(self, obj, world):
        return {"aliases": "Kommunfastigheter"}


def test_cannot_create_in_another_municipality(world):
    from samverkan.core.testing import api_client

    response = api_client(world.coordinator).post(
        "/api/v1/organizations/", {"municipality": "1082", "name": "X", "kind": "other"},
        format="json")
    assert response.status_code == 400
    assert not Organization.objects.filter(name="X").exists()


def test_validation_message_is_swedish(world):
    from samverkan.core.testing import api_client

    response = api_client(world.coordinator).post(
        "/api/v1/organizations/", {"municipality": "0484", "name": "", "kind": "nonsense"},
        format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["name"] == ["Det här fältet får inte vara blankt."]
    assert "är inte ett giltigt val" in body["kind"][0]
