import pytest


@pytest.mark.django_db
def test_org_list(world, client):
    client.force_login(world.coordinator)
    r = client.get("/organizations/?kind=committee")
    assert r.status_code == 200, r.content[:500]
    assert "Socialnämnden" in r.content.decode()


def test_an_organisation_is_named_with_its_abbreviation_only_when_it_differs():
    from samverkan.organizations.models import Organization

    assert str(Organization(name="Kfast", abbreviation="Kfast")) == "Kfast"
    assert str(Organization(name="Socialförvaltningen", abbreviation="SN")) == \
        "Socialförvaltningen (SN)"
    assert str(Organization(name="Polisen", abbreviation="")) == "Polisen"
