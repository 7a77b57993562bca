"""Coordinators and administrators manage their municipality's members: invitations with a
one-time link, roles, deactivation, lockouts; and password reset by e-mail."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from samverkan.accounts.models import Invitation
from samverkan.core.choices import Role
from samverkan.core.testing import PASSWORD
from samverkan.organizations.models import Membership
from samverkan.organizations.services import add_membership

pytestmark = pytest.mark.django_db


def _invite(client, world, run_jobs, django_capture_on_commit_callbacks, **extra):
    data = {"email": "ny@eskilstuna.se", "organization": world.social_services.pk,
            "role": Role.CONTRIBUTOR, "title": "Fältsekreterare", **extra}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/members/", data)
    run_jobs()
    return response


def test_coordinator_invites_and_the_link_works_once(client, world, run_jobs,
                                                    django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    response = _invite(client, world, run_jobs, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ny@eskilstuna.se"]
    link = re.search(r"https?://\S+/account/invitation/\S+/", mail.outbox[0].body).group(0)
    path = link.split("//", 1)[1].split("/", 1)[1]
    path = "/" + path
    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and "Socialnämnden" in page.content.decode()
    weak = client.post(path, {"username": "nyanstalld", "first_name": "Ny", "last_name": "Person",
                              "password1": "123", "password2": "123"})
    assert "lösenord" in weak.content.decode().lower()
    assert not get_user_model().objects.filter(username="nyanstalld").exists()
    done = client.post(path, {"username": "nyanstalld", "first_name": "Ny",
                              "last_name": "Person", "password1": "Ett-långt-lösen-42",
                              "password2": "Ett-långt-lösen-42"})
    assert done.status_code == 302
    user = get_user_model().objects.get(username="nyanstalld")
    membership = Membership.objects.get(user=user)
    assert membership.organization == world.social_services
    assert membership.role == Role.CONTRIBUTOR and membership.title == "Fältsekreterare"
    client.logout()
    assert client.get(path).status_code == 404


def test_coordinator_cannot_make_administrators(client, world, run_jobs,
                                               django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    response = _invite(client, world, run_jobs, django_capture_on_commit_callbacks,
                       role=Role.ADMINISTRATOR)
    assert response.status_code == 200 and not Invitation.objects.exists()


def test_readers_and_other_municipalities_cannot_manage(client, world):
    client.force_login(world.reader)
    assert client.get("/account/members/").status_code == 403
    client.force_login(world.other_municipality_user)
    membership = Membership.objects.get(user=world.reader)
    assert client.get(f"/account/members/{membership.pk}/").status_code == 404


def test_change_role_and_deactivate(client, world):
    client.force_login(world.coordinator)
    membership = Membership.objects.get(user=world.reader)
    response = client.post(f"/account/members/{membership.pk}/",
                           {"role": Role.CONTRIBUTOR, "title": "Handläggare", "active": ""})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.CONTRIBUTOR and not membership.active
    client.force_login(world.reader)
    assert client.get("/api/v1/organizations/").json()["results"] == []


def test_coordinator_cannot_demote_an_administrator_nor_themself(client, world):
    add_membership(actor=None, user=world.no_role_user, organization=world.municipality_org,
                   role=Role.ADMINISTRATOR)
    client.force_login(world.coordinator)
    admin_membership = Membership.objects.get(user=world.no_role_user)
    assert client.get(f"/account/members/{admin_membership.pk}/").status_code == 403
    own = Membership.objects.get(user=world.coordinator)
    response = client.post(f"/account/members/{own.pk}/",
                           {"role": Role.COORDINATOR, "title": "", "active": ""})
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.active


def test_coordinator_lifts_a_lockout(client, world):
    for _ in range(6):
        client.post("/login/", {"username": world.reader.username, "password": "fel"})
    assert client.post("/login/", {"username": world.reader.username,
                                   "password": PASSWORD}).status_code == 429
    client.force_login(world.coordinator)
    client.post(f"/account/members/unlock/{world.reader.pk}/")
    client.logout()
    assert client.post("/login/", {"username": world.reader.username,
                                   "password": PASSWORD}).status_code == 302


def test_password_reset_by_email(client, reader):
    reader.email = "lasare@eskilstuna.se"
    reader.save()
    page = client.get("/account/password-reset/")
    assert page.status_code == 200 and "Glömt lösenord" in page.content.decode()
    client.post("/account/password-reset/", {"email": "lasare@eskilstuna.se"})
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/account/password-reset/\S+/)", mail.outbox[0].body)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    post_url = form.redirect_chain[-1][0] if form.redirect_chain else path
    short = client.post(post_url, {"new_password1": "abc", "new_password2": "abc"})
    assert short.status_code == 200  # Django's validators refuse it
    done = client.post(post_url, {"new_password1": "Nytt-lösen-2026!",
                                  "new_password2": "Nytt-lösen-2026!"})
    assert done.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password("Nytt-lösen-2026!")


def test_a_stale_membership_form_is_refused_with_what_changed(client, world):
    """Optimistic locking on the membership page: another coordinator's change made after
    this form was opened is neither overwritten nor lost; the form says what changed."""
    from samverkan.core import versioning
    from samverkan.core.tests.test_versioning import form_values, open_form
    from samverkan.organizations.services import update_membership

    membership = Membership.objects.get(user=world.reader)
    url = f"/account/members/{membership.pk}/"
    client.force_login(world.coordinator)
    opened = open_form(client, url)
    update_membership(membership, actor=world.police_officer, title="Utredare")
    response = client.post(url, {**opened, "role": Role.CONTRIBUTOR})
    assert response.status_code == 200
    text = " ".join(response.context["form"].non_field_errors())
    assert "Någon annan har ändrat" in text and "police_officer" in text
    assert "Titel: (tomt) → ”Utredare”" in text, text
    membership.refresh_from_db()
    assert (membership.role, membership.title) == (Role.READER, "Utredare")
    again = form_values(response.content)
    assert again[versioning.FIELD_NAME] == versioning.version_of(membership)
    assert again["role"] == Role.CONTRIBUTOR  # what this user chose stays
    assert client.post(url, again).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.CONTRIBUTOR
