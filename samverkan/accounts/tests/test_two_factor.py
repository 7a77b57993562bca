"""Two-step verification (django-otp): set up with an authenticator app, confirm each login,
recovery codes, the installation's rule and the reusable checks."""
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from samverkan.accounts import otp
from samverkan.core.choices import Confidentiality, Role
from samverkan.core.testing import PASSWORD
from samverkan.organizations.services import add_membership

from .helpers import code_for, enrol

pytestmark = pytest.mark.django_db


def _login(client, user):
    return client.post("/login/", {"username": user.username, "password": PASSWORD})


def test_anyone_can_turn_it_on_with_an_app_and_gets_recovery_codes(client, reader, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code delays the next try (tested below)
    client.force_login(reader)
    page = client.get("/account/two-factor/setup/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Slå på tvåstegsverifiering" in text and "data:image/svg+xml;base64," in text
    device = TOTPDevice.objects.get(user=reader, confirmed=False)
    wrong = client.post("/account/two-factor/setup/", {"code": "000000"})
    assert "Koden stämde inte" in wrong.content.decode()
    done = client.post("/account/two-factor/setup/", {"code": code_for(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert StaticDevice.objects.get(user=reader).token_set.count() == 10


def test_each_login_asks_for_the_code(client, reader, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device, _codes = enrol(reader)
    response = _login(client, reader)
    assert response.status_code == 302
    page = client.get("/agreements/")
    assert page.status_code == 302 and page["Location"].startswith("/account/two-factor/verify/")
    verify = client.get(page["Location"])
    assert "Tvåstegsverifiering" in verify.content.decode()
    bad = client.post(page["Location"], {"code": "123456"})
    assert "Koden stämde inte" in bad.content.decode()
    good = client.post(page["Location"], {"code": code_for(device)})
    assert good.status_code == 302 and good["Location"] == "/agreements/"
    assert client.get("/agreements/").status_code == 200


def test_a_recovery_code_works_once(client, reader):
    _device, codes = enrol(reader)
    _login(client, reader)
    response = client.post("/account/two-factor/verify/?next=/agreements/", {"code": codes[0]})
    assert response["Location"] == "/agreements/"
    client.logout()
    _login(client, reader)
    again = client.post("/account/two-factor/verify/", {"code": codes[0]})
    assert again.status_code == 200 and "Koden stämde inte" in again.content.decode()


def test_session_api_needs_the_second_factor_too(client, reader):
    enrol(reader)
    _login(client, reader)
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 403
    assert "andra faktor" in response.json()["detail"]


def test_rule_requires_administrators_to_set_it_up(client, world, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["administrators"]
    admin = world.no_role_user
    add_membership(actor=None, user=admin, organization=world.municipality_org,
                   role=Role.ADMINISTRATOR)
    _login(client, admin)
    response = client.get("/agreements/")
    assert response["Location"].startswith("/account/two-factor/setup/")
    # A coordinator is not forced by this rule.
    other = APIClient()
    other.post("/login/", {"username": world.coordinator.username, "password": PASSWORD})
    assert other.get("/agreements/").status_code == 200


def test_rule_requires_members_of_organisations_holding_restricted_records(world, settings):
    from samverkan.agreements.models import Agreement

    settings.TWO_FACTOR_REQUIRED_FOR = ["restricted"]
    assert not otp.second_factor_required(world.police_officer)
    agreement = Agreement.objects.create(
        municipality=world.eskilstuna, title="Polisens lägesbild", start_date="2025-01-01",
        end_date="2027-12-31", confidentiality=Confidentiality.RESTRICTED)
    agreement.restricted_to.add(world.police_org)
    assert otp.second_factor_required(world.police_officer)
    assert not otp.second_factor_required(world.reader)


def test_superusers_required_by_default_rule(django_user_model, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["superusers", "administrators", "restricted"]
    root = django_user_model.objects.create_superuser("root", "r@example.se", PASSWORD)
    assert otp.second_factor_required(root)


def test_required_user_cannot_turn_it_off(client, world, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["coordinators"]
    device, _ = enrol(world.coordinator)
    _login(client, world.coordinator)
    client.post("/account/two-factor/verify/", {"code": code_for(device)})
    response = client.post("/account/two-factor/disable/", follow=True)
    assert "kan inte stängas av" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.coordinator).exists()


def test_optional_user_turns_it_off(client, reader):
    device, _ = enrol(reader)
    _login(client, reader)
    client.post("/account/two-factor/verify/", {"code": code_for(device)})
    client.post("/account/two-factor/disable/")
    assert not TOTPDevice.objects.filter(user=reader).exists()
    assert client.get("/agreements/").status_code == 200


def test_reusable_checks(rf: RequestFactory, reader):
    from django.contrib.sessions.backends.db import SessionStore

    @otp.verified_second_factor_required
    def view(request):
        return HttpResponse("ok")

    request = rf.get("/secret/")
    request.session = SessionStore()
    request.user = reader
    reader.is_verified = lambda: False
    response = view(request)
    assert response.status_code == 302 and "/account/two-factor/setup/" in response["Location"]
    reader.is_verified = lambda: True
    assert view(request).content == b"ok"
    assert otp.HasVerifiedSecondFactor().has_permission(request, None)
    reader.is_verified = lambda: False
    assert not otp.HasVerifiedSecondFactor().has_permission(request, None)


def test_token_endpoint_asks_for_the_code(client, reader):
    device, _ = enrol(reader)
    body = {"username": reader.username, "password": PASSWORD, "scope": "read"}
    response = client.post("/api/v1/auth/token/", body)
    assert response.status_code == 400 and "otp" in response.json()
    response = client.post("/api/v1/auth/token/", {**body, "otp": code_for(device)})
    assert response.status_code == 201
    data = response.json()
    assert data["second_factor"] is True and data["key"].startswith("sv_")


def test_wrong_codes_slow_down_guessing(client, reader):
    device, _ = enrol(reader)
    _login(client, reader)
    client.post("/account/two-factor/verify/", {"code": "000000"})
    # Right away even the right code is refused: django-otp's throttle doubles the wait.
    response = client.post("/account/two-factor/verify/", {"code": code_for(device)})
    assert response.status_code == 200
