"""Personal API tokens: scope, expiry, listing and revoking, attributed in the audit log."""
import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from samverkan.accounts import services
from samverkan.accounts.models import ApiToken
from samverkan.audit.models import AuditEntry
from samverkan.core.choices import Role
from samverkan.core.testing import PASSWORD
from samverkan.organizations.services import add_membership

pytestmark = pytest.mark.django_db


def _client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_obtain_a_token_and_use_it(coordinator):
    response = APIClient().post("/api/v1/auth/token/", {
        "username": coordinator.username, "password": PASSWORD, "scope": "write",
        "days": 7, "name": "Skript"}, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["scope"] == "write" and data["name"] == "Skript"
    expires = datetime.datetime.fromisoformat(data["expires_at"])
    assert abs((expires - timezone.now()).days - 7) <= 1
    token = ApiToken.objects.get(pk=data["id"])
    assert data["key"] not in (token.key_hash, token.prefix)  # only the hash is kept
    assert _client(data["key"]).get("/api/v1/organizations/").status_code == 200


def test_read_token_cannot_write(world):
    _token, key = services.create_token(user=world.coordinator, name="läs", scope="read",
                                        days=1, second_factor=False)
    client = _client(key)
    assert client.get("/api/v1/organizations/").status_code == 200
    response = client.post("/api/v1/organizations/", {"name": "Ny", "kind": "association",
                                                      "municipality": "0484"}, format="json")
    assert response.status_code == 403
    assert "får bara läsa" in response.json()["detail"]


def test_write_token_writes_and_the_audit_log_names_the_token(world):
    token, key = services.create_token(user=world.coordinator, name="Integration",
                                       scope="write", days=1, second_factor=False)
    response = _client(key).post("/api/v1/organizations/", {
        "name": "Föreningen Trygg", "kind": "association", "municipality": "0484"},
        format="json")
    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.filter(object_repr__startswith="Föreningen Trygg").get()
    assert entry.actor == world.coordinator
    assert entry.changes["api_token"]["id"] == token.pk
    assert token.prefix in entry.actor_repr
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_expired_and_revoked_tokens_are_refused(world):
    token, key = services.create_token(user=world.reader, name="x", scope="read", days=1,
                                       second_factor=False)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    response = _client(key).get("/api/v1/organizations/")
    assert response.status_code == 401 and "gått ut" in response.json()["detail"]
    token2, key2 = services.create_token(user=world.reader, name="y", scope="read", days=1,
                                         second_factor=False)
    services.revoke_token(token2, actor=world.reader)
    assert _client(key2).get("/api/v1/organizations/").status_code == 401
    assert _client("sv_nonsense").get("/api/v1/organizations/").status_code == 401


def test_owner_lists_and_revokes_but_others_do_not_see_them(world):
    token, _key = services.create_token(user=world.reader, name="mine", scope="read", days=5,
                                        second_factor=False)
    owner = APIClient()
    owner.force_authenticate(world.reader)
    assert [t["id"] for t in owner.get("/api/v1/tokens/").json()["results"]] == [token.pk]
    stranger = APIClient()
    stranger.force_authenticate(world.other_municipality_user)
    assert stranger.get("/api/v1/tokens/").json()["results"] == []
    assert stranger.delete(f"/api/v1/tokens/{token.pk}/").status_code == 404
    # A coordinator is not an administrator: no access to others' tokens.
    coordinator = APIClient()
    coordinator.force_authenticate(world.coordinator)
    assert coordinator.get(f"/api/v1/tokens/{token.pk}/").status_code == 404
    assert owner.delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.is_active


def test_municipality_administrator_revokes_a_members_token(world):
    add_membership(actor=None, user=world.no_role_user, organization=world.municipality_org,
                   role=Role.ADMINISTRATOR)
    token, _key = services.create_token(user=world.reader, name="theirs", scope="write",
                                        days=5, second_factor=False)
    admin = APIClient()
    admin.force_authenticate(world.no_role_user)
    assert token.pk in [t["id"] for t in admin.get("/api/v1/tokens/").json()["results"]]
    assert admin.delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
    token.refresh_from_db()
    assert token.revoked_by == world.no_role_user


def test_tokens_page_makes_shows_once_and_revokes(client, reader):
    client.force_login(reader)
    response = client.post("/account/tokens/", {"name": "Excel", "scope": "read", "days": 30})
    text = response.content.decode()
    assert "Kopiera den nu" in text and "sv_" in text
    token = ApiToken.objects.get(user=reader)
    assert "sv_" not in client.get("/account/tokens/").content.decode().split("Nycklar")[0]
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_days_are_bounded(reader):
    response = APIClient().post("/api/v1/auth/token/", {
        "username": reader.username, "password": PASSWORD, "days": 100000}, format="json")
    assert response.status_code == 400
