import pytest


@pytest.mark.django_db
def test_org_list(world, client):
    client.force_login(world.coordinator)
    r = client.get("/organizations/?kind=committee")
    assert r.status_code == 200, r.content[:500]
    assert "Socialnämnden" in r.content.decode()
