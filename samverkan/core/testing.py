"""Shared test helpers: the people of the story and one way to test every model's access.

`World` holds Eskilstuna (the home municipality of the demo) with a coordinator, a police
officer, a contributor in a department, a reader, a user with no role, and a coordinator in
another municipality (Karlshamn). `ScopedModelAccessTests` checks a model the same way as every
other: anonymous, no role, wrong municipality (404), allowed, forbidden write (403), and
exactly one audit entry per write.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from samverkan.audit.models import AuditEntry
from samverkan.core.choices import Role
from samverkan.organizations.choices import OrganizationKind
from samverkan.organizations.models import Municipality, Organization
from samverkan.organizations.reference import ensure_reference_data
from samverkan.organizations.services import add_membership, create_organization

PASSWORD = "samverkan-test-pw"


@dataclass
class World:
    eskilstuna: Municipality
    karlshamn: Municipality
    municipality_org: Organization
    police_org: Organization
    social_services: Organization
    karlshamn_org: Organization
    coordinator: object
    police_officer: object
    contributor: object
    reader: object
    no_role_user: object
    other_municipality_user: object


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)


def build_world() -> World:
    ensure_reference_data()
    eskilstuna = Municipality.objects.get(code="0484")
    karlshamn = Municipality.objects.get(code="1082")
    system = None
    municipality_org = create_organization(
        actor=system, municipality=eskilstuna, name="Eskilstuna kommun", abbreviation="",
        kind=OrganizationKind.MUNICIPALITY, aliases="kommunen")
    police_org = create_organization(
        actor=system, municipality=eskilstuna, name="Lokalpolisområde Eskilstuna",
        abbreviation="LPO", kind=OrganizationKind.POLICE, aliases="polis, polisen")
    social_services = create_organization(
        actor=system, municipality=eskilstuna, name="Socialnämnden", abbreviation="SN",
        kind=OrganizationKind.COMMITTEE, aliases="socialtjänst, socialtjänsten")
    karlshamn_org = create_organization(
        actor=system, municipality=karlshamn, name="Karlshamns kommun",
        kind=OrganizationKind.MUNICIPALITY)
    users = {}
    for username, org, role in [
        ("coordinator", municipality_org, Role.COORDINATOR),
        ("police_officer", police_org, Role.COORDINATOR),
        ("contributor", social_services, Role.CONTRIBUTOR),
        ("reader", municipality_org, Role.READER),
        ("other_municipality_user", karlshamn_org, Role.COORDINATOR),
    ]:
        users[username] = make_user(username)
        add_membership(actor=system, user=users[username], organization=org, role=role)
    users["no_role_user"] = make_user("no_role_user")
    return World(eskilstuna=eskilstuna, karlshamn=karlshamn, municipality_org=municipality_org,
                 police_org=police_org, social_services=social_services,
                 karlshamn_org=karlshamn_org, **users)


def api_client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def audit_count() -> int:
    return AuditEntry.objects.count()


class ScopedModelAccessTests:
    """Mix into a pytest class per model. Define:

    - ``api_base``: the API list URL, e.g. "/api/v1/agreements/"
    - ``make(self, world)``: create one record in Eskilstuna through the services
    - ``create_payload(self, world)``: a valid API create body for a coordinator
    - ``update_payload(self, obj, world)``: a valid API PATCH body
    - optionally ``page_url(self, obj)``: the record's page (None if it has none)
    - optionally ``creator``: "coordinator" or "police_officer" etc. (default coordinator)
    """

    api_base: str = ""
    creator: str = "coordinator"

    def page_url(self, obj):
        return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None

    def detail(self, obj):
        return f"{self.api_base}{obj.pk}/"

    # -- reading -------------------------------------------------------------------------------
    def test_anonymous_gets_nothing(self, world, client):
        obj = self.make(world)
        assert api_client().get(self.detail(obj)).status_code in (401, 403)
        assert api_client().get(self.api_base).status_code in (401, 403)
        url = self.page_url(obj)
        if url:
            response = client.get(url)
            assert response.status_code == 302 and "/login/" in response["Location"]

    def test_user_without_role_gets_404(self, world, client):
        obj = self.make(world)
        assert api_client(world.no_role_user).get(self.detail(obj)).status_code == 404
        listing = api_client(world.no_role_user).get(self.api_base)
        assert listing.status_code == 200 and listing.json()["count"] == 0
        url = self.page_url(obj)
        if url:
            client.force_login(world.no_role_user)
            assert client.get(url).status_code == 404

    def test_other_municipality_gets_404(self, world, client):
        obj = self.make(world)
        user = world.other_municipality_user
        assert api_client(user).get(self.detail(obj)).status_code == 404
        assert api_client(user).patch(self.detail(obj), {}, format="json").status_code == 404
        assert api_client(user).delete(self.detail(obj)).status_code == 404
        ids = [row["id"] for row in api_client(user).get(self.api_base).json()["results"]]
        assert obj.pk not in ids
        url = self.page_url(obj)
        if url:
            client.force_login(user)
            assert client.get(url).status_code == 404

    def test_reader_sees_but_cannot_change(self, world, client):
        obj = self.make(world)
        reader = api_client(world.reader)
        assert reader.get(self.detail(obj)).status_code == 200
        ids = [row["id"] for row in reader.get(self.api_base).json()["results"]]
        assert obj.pk in ids
        before = audit_count()
        assert reader.patch(self.detail(obj), self.update_payload(obj, world),
                            format="json").status_code == 403
        assert reader.delete(self.detail(obj)).status_code == 403
        assert reader.post(self.api_base, self.create_payload(world),
                           format="json").status_code == 403
        assert audit_count() == before
        url = self.page_url(obj)
        if url:
            client.force_login(world.reader)
            assert client.get(url).status_code == 200

    def test_restricted_record_hidden_from_other_organisations(self, world):
        obj = self.make(world)
        obj.confidentiality = "restricted"
        obj.save()
        obj.restricted_to.set([world.police_org])
        assert api_client(world.police_officer).get(self.detail(obj)).status_code == 200
        assert api_client(world.reader).get(self.detail(obj)).status_code == 404

    # -- writing -------------------------------------------------------------------------------
    def test_create_writes_one_audit_entry(self, world):
        user = getattr(world, self.creator)
        before = audit_count()
        response = api_client(user).post(self.api_base, self.create_payload(world),
                                         format="json")
        assert response.status_code == 201, response.content
        assert audit_count() == before + 1
        entry = AuditEntry.objects.first()
        assert entry.action == "create" and entry.object_id == str(response.json()["id"])
        assert entry.actor == user
        assert entry.municipality_id == world.eskilstuna.code

    def test_update_writes_one_audit_entry(self, world):
        obj = self.make(world)
        before = audit_count()
        response = api_client(getattr(world, self.creator)).patch(
            self.detail(obj), self.update_payload(obj, world), format="json")
        assert response.status_code == 200, response.content
        assert audit_count() == before + 1
        entry = AuditEntry.objects.first()
        assert entry.action == "update" and entry.object_id == str(obj.pk)
        assert entry.changes["before"] != entry.changes["after"]

    def test_delete_writes_one_audit_entry(self, world):
        from samverkan.core.services import _removed_with

        obj = self.make(world)
        before = audit_count()
        # One entry for the record, and one for each record removed with it.
        removed = len(_removed_with(obj))
        response = api_client(getattr(world, self.creator)).delete(self.detail(obj))
        assert response.status_code == 204, response.content
        assert audit_count() == before + 1 + removed
        assert AuditEntry.objects.first().action == "delete"
        assert not type(obj).objects.filter(pk=obj.pk).exists()


class PageModelAccessTests:
    """`ScopedModelAccessTests` for a model without an API of its own (the yearly picture's
    texts, the weekly picture's mailing log): the same checks through its page, its form and
    `visible_to`. Mix into a pytest class per model. Define:

    - ``make(self, world)``: create one record in Eskilstuna through the services
    - ``page_url(self, obj)``: the page that shows the record (None if none does) and
      ``shown(self, obj)``: a text of the record that the page shows
    - ``write_url(self, obj)`` and ``write_data(self, obj)``: the form that changes the record
      (or makes another of the same kind), as a coordinator would send it
    - ``changed(self, obj)``: whether the record (reloaded) or its kind changed since ``make``
    """

    def _sees(self, user, obj, client) -> bool:
        listed = type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()
        url = self.page_url(obj)
        if url is None:
            return listed
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        response = client.get(url)
        on_page = response.status_code == 200 and self.shown(obj) in response.content.decode()
        assert listed == on_page, (listed, on_page)
        return on_page

    def test_anonymous_gets_nothing(self, world, client):
        obj = self.make(world)
        assert not self._sees(None, obj, client)
        before = audit_count()
        response = client.post(self.write_url(obj), self.write_data(obj))
        assert response.status_code == 302 and "/login/" in response["Location"]
        assert audit_count() == before and not self.changed(obj)

    def test_user_without_role_gets_nothing(self, world, client):
        obj = self.make(world)
        assert not self._sees(world.no_role_user, obj, client)
        before = audit_count()
        client.force_login(world.no_role_user)
        assert client.post(self.write_url(obj), self.write_data(obj)).status_code in (403, 404)
        assert audit_count() == before and not self.changed(obj)

    def test_other_municipality_gets_nothing(self, world, client):
        obj = self.make(world)
        assert not self._sees(world.other_municipality_user, obj, client)
        client.force_login(world.other_municipality_user)
        client.post(self.write_url(obj), self.write_data(obj))  # their own municipality's
        assert not self.changed(obj)
        assert not type(obj).objects.filter(municipality=world.eskilstuna).exclude(
            pk=obj.pk).exists()

    def test_reader_sees_but_cannot_change(self, world, client):
        obj = self.make(world)
        assert self._sees(world.reader, obj, client)
        before = audit_count()
        client.force_login(world.reader)
        assert client.post(self.write_url(obj), self.write_data(obj)).status_code == 403
        assert audit_count() == before and not self.changed(obj)

    def test_restricted_record_hidden_from_other_organisations(self, world, client):
        obj = self.make(world)
        obj.confidentiality = "restricted"
        obj.save()
        obj.restricted_to.set([world.police_org])
        assert self._sees(world.police_officer, obj, client)
        assert not self._sees(world.reader, obj, client)
        assert not self._sees(world.coordinator, obj, client)

    def test_write_writes_one_audit_entry(self, world, client):
        obj = self.make(world)
        before = audit_count()
        client.force_login(world.coordinator)
        response = client.post(self.write_url(obj), self.write_data(obj))
        assert response.status_code == 302, response.content.decode()[:2000]
        assert audit_count() == before + 1
        entry = AuditEntry.objects.first()
        assert entry.actor == world.coordinator and entry.action in ("create", "update")
        assert entry.municipality_id == world.eskilstuna.code
        assert self.changed(obj)
