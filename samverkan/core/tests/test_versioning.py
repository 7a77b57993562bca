"""Optimistic locking (samverkan.core.versioning): a save from a stale form or with a stale
If-Match is refused with what changed, and nothing is lost."""
import pytest
from bs4 import BeautifulSoup
from django.template.loader import get_template
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.viewsets import ViewSetMixin

from samverkan.core import versioning
from samverkan.core.api import VersionedUpdateMixin
from samverkan.core.forms import VersionedFormMixin
from samverkan.core.testing import api_client
from samverkan.core.views import ScopedUpdateView
from samverkan.organizations.models import Organization


def open_form(client, url):
    """The edit page's form as a browser would post it back: every field with its value."""
    response = client.get(url)
    assert response.status_code == 200
    return form_values(response.content)


def form_values(html) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    form = next(f for f in soup.find_all("form")
                if f.find(attrs={"name": versioning.FIELD_NAME}))
    data: dict = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name:
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = [o.get("value", "") for o in field.find_all("option") if o.has_attr(
                "selected")]
            if field.has_attr("multiple"):
                data[name] = chosen
            else:
                data[name] = chosen[0] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") != "submit":
            data[name] = field.get("value", "")
    return data


@pytest.fixture
def org(world):
    return world.social_services


def edit_url(org):
    return reverse("organizations:organization_update", args=[org.pk])


def test_the_second_save_from_a_stale_page_is_refused_and_the_first_is_kept(world, client,
                                                                                 org):
    other = api_client().__class__()  # a second browser
    client.force_login(world.coordinator)
    other.force_login(world.police_officer)
    first = open_form(client, edit_url(org))
    second = open_form(other, edit_url(org))
    assert first[versioning.FIELD_NAME] == second[versioning.FIELD_NAME]

    first["name"] = "Socialförvaltningen"
    assert client.post(edit_url(org), first).status_code == 302

    second["email"] = "social@eskilstuna.se"
    response = other.post(edit_url(org), second)
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text(" ")
    assert "Någon annan har ändrat" in text and "sedan du öppnade formuläret" in text
    assert "Namn: ”Socialnämnden” → ”Socialförvaltningen”" in text
    assert "coordinator" in text  # who changed it
    org.refresh_from_db()
    assert (org.name, org.email) == ("Socialförvaltningen", "")  # the first save is kept
    # Nothing the second user typed is lost: the form shows their values again ...
    again = form_values(response.content)
    assert again["email"] == "social@eskilstuna.se"
    # ... and now carries the new version: saving again keeps their version, on purpose.
    assert again[versioning.FIELD_NAME] == versioning.version_of(org)
    assert other.post(edit_url(org), again).status_code == 302
    org.refresh_from_db()
    assert (org.name, org.email) == ("Socialnämnden", "social@eskilstuna.se")


def test_saves_from_current_forms_go_through(world, client, org):
    client.force_login(world.coordinator)
    for name in ("Socialnämnden 1", "Socialnämnden 2"):
        data = open_form(client, edit_url(org))
        data["name"] = name
        assert client.post(edit_url(org), data).status_code == 302
        org.refresh_from_db()
        assert org.name == name
    # A form without the token (opened before this feature) still saves.
    data = open_form(client, edit_url(org))
    del data[versioning.FIELD_NAME]
    data["name"] = "Socialnämnden 3"
    assert client.post(edit_url(org), data).status_code == 302


def test_a_changed_access_restriction_is_a_new_version(world, org):
    before = versioning.version_of(org)
    org.restricted_to.set([world.police_org])
    assert versioning.version_of(org) != before
    org.restricted_to.set([])
    assert versioning.version_of(org) == before


def test_a_change_between_the_form_check_and_the_write_is_caught_under_the_lock(world, org):
    opened = versioning.version_of(org)
    Organization.objects.filter(pk=org.pk).update(email="x@eskilstuna.se")  # no audit entry
    with pytest.raises(versioning.StaleVersion) as caught:
        versioning.check(org, opened)
    # The opened state is the creation's audit entry: the change is shown even though the
    # write itself left no entry.
    assert [str(c) for c in caught.value.changes] == ["E-post: (tomt) → ”x@eskilstuna.se”"]
    # A version the audit log does not hold is refused all the same, and says so.
    with pytest.raises(versioning.StaleVersion) as caught:
        versioning.check(org, "0" * 20)
    assert caught.value.changes is None
    assert "Vad som ändrades kan inte visas" in " ".join(caught.value.messages)
    assert versioning.check(org, versioning.version_of(org))  # the current one passes


def detail(org):
    return f"/api/v1/organizations/{org.pk}/"


def test_api_sends_the_version_and_refuses_a_stale_if_match(world, org):
    alice, bob = api_client(world.coordinator), api_client(world.police_officer)
    response = alice.get(detail(org))
    tag = response["ETag"]
    assert tag == versioning.etag(versioning.version_of(org))
    assert bob.get(detail(org))["ETag"] == tag

    response = alice.patch(detail(org), {"name": "Socialförvaltningen"}, format="json",
                           HTTP_IF_MATCH=tag)
    assert response.status_code == 200
    new_tag = response["ETag"]
    assert new_tag != tag and new_tag == versioning.etag(versioning.version_of(org))

    response = bob.patch(detail(org), {"email": "social@eskilstuna.se"}, format="json",
                         HTTP_IF_MATCH=tag)
    assert response.status_code == 412
    body = response.json()
    assert "Någon annan har ändrat" in body["detail"]
    assert body["current_version"] == new_tag.strip('"')
    assert {"field": "name", "label": "Namn", "before": "”Socialnämnden”",
            "after": "”Socialförvaltningen”"} in body["changes"]
    assert body["changed_by"] == "coordinator"
    org.refresh_from_db()
    assert (org.name, org.email) == ("Socialförvaltningen", "")

    full = {k: v for k, v in bob.get(detail(org)).json().items() if v is not None}
    full["email"] = "social@eskilstuna.se"
    assert bob.put(detail(org), full, format="json",
                   HTTP_IF_MATCH=tag).status_code == 412  # a stale PUT too
    response = bob.put(detail(org), full, format="json", HTTP_IF_MATCH=new_tag)
    assert response.status_code == 200, response.json()
    org.refresh_from_db()
    assert org.email == "social@eskilstuna.se"
    assert bob.delete(detail(org), HTTP_IF_MATCH=tag).status_code == 412
    assert Organization.objects.filter(pk=org.pk).exists()


def test_api_without_if_match_and_with_a_star(world, org, settings):
    client = api_client(world.coordinator)
    assert client.patch(detail(org), {"name": "A"}, format="json").status_code == 200
    assert client.patch(detail(org), {"name": "B"}, format="json",
                        HTTP_IF_MATCH="*").status_code == 200
    assert client.patch(detail(org), {"name": "C"}, format="json",
                        HTTP_IF_MATCH=f'W/"x", {client.get(detail(org))["ETag"]}'
                        ).status_code == 200
    settings.API_REQUIRE_IF_MATCH = True
    response = client.patch(detail(org), {"name": "D"}, format="json")
    assert response.status_code == 428 and "If-Match" in response.json()["detail"]
    org.refresh_from_db()
    assert org.name == "C"


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_edit_page_and_every_writable_api_record_carries_the_version():
    """Every class-based edit page's form carries `_version` (VersionedFormMixin), every
    viewset that updates records sends ETag and takes If-Match, and the schema says so."""
    edit_pages, viewsets = [], []
    for route, callback in _patterns(get_resolver()):
        view_class = getattr(callback, "view_class", None)
        if view_class is not None and issubclass(view_class, ScopedUpdateView):
            edit_pages.append(route)
            assert issubclass(view_class.form_class, VersionedFormMixin), route
            # ... and its template renders the hidden field.
            source = get_template(view_class.template_name).template.source
            assert any(s in source for s in ("hidden_fields", "core/_form.html",
                                             "core/_form_fields.html")), route
        cls = getattr(callback, "cls", None)
        actions = getattr(callback, "actions", None) or {}
        if cls is not None and issubclass(cls, ViewSetMixin) and \
                {"update", "partial_update"} & set(actions.values()):
            viewsets.append(route)
            assert issubclass(cls, VersionedUpdateMixin), route
    assert len(edit_pages) >= 25 and len(viewsets) >= 40

    schema = SchemaGenerator().get_schema(request=None, public=True)
    checked = 0
    for path, operations in schema["paths"].items():
        for method in ("put", "patch"):
            operation = operations.get(method)
            if operation is None:
                continue
            names = {p["name"] for p in operation.get("parameters", [])}
            assert "If-Match" in names, (method, path)
            assert "412" in operation["responses"], (method, path)
            assert "ETag" in operation["responses"]["200"].get("headers", {}), (method, path)
            checked += 1
    assert checked >= 80


def test_function_views_check_again_under_the_lock(world, org):
    """`form.locked_version()` (the function-based edit pages): a save that lands after the
    form's own check is still refused, and the form takes the new version."""
    from samverkan.core.views import add_validation_error
    from samverkan.organizations.forms import OrganizationForm

    opened = versioning.version_of(org)
    data = {"name": "Socialnämnden", "abbreviation": "SN", "kind": org.kind, "aliases": "",
            "email": "sn@eskilstuna.se", "confidentiality": "internal",
            versioning.FIELD_NAME: opened}
    form = OrganizationForm(data, instance=Organization.objects.get(pk=org.pk),
                            user=world.coordinator, municipality=world.eskilstuna)
    assert form.is_valid(), form.errors
    Organization.objects.filter(pk=org.pk).update(name="Socialförvaltningen")
    with pytest.raises(versioning.StaleVersion) as caught, form.locked_version():
        raise AssertionError("not reached")
    add_validation_error(form, caught.value)
    assert "Namn: ”Socialnämnden” → ”Socialförvaltningen”" in " ".join(form.non_field_errors())
    assert form.data[versioning.FIELD_NAME] == versioning.version_of(org)
    org.refresh_from_db()
    assert org.email == ""
