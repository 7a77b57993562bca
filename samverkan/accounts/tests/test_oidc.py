"""Single sign-on with OpenID Connect, against a real provider started in the test
(oidc_provider.py): the login redirect, the provider's redirect back with a code, the token
exchange, the id token's checks, the user and membership mapping, the second factor, logout,
and every refusal as a Swedish page (never a 500)."""
import logging
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from axes.models import AccessLog
from django.contrib.auth import get_user_model
from django.core.cache import cache

from samverkan.accounts.models import IdentityProviderDevice
from samverkan.accounts.oidc import parse_group_map
from samverkan.core.choices import Role
from samverkan.core.testing import PASSWORD
from samverkan.organizations.models import Membership

from .helpers import enrol
from .oidc_provider import Provider

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def provider():
    running = Provider()
    yield running
    running.stop()


@pytest.fixture
def oidc(settings, provider, world):
    provider.reset()
    cache.clear()
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Testkommunens konto"
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
    settings.OIDC_USER_CLAIM = "email"
    settings.OIDC_USER_FIELD = "email"
    settings.OIDC_UNKNOWN_USERS = "refuse"
    settings.OIDC_GROUP_MAP = ""
    settings.OIDC_MFA_AMR = []
    settings.OIDC_MFA_ACR = []
    settings.OIDC_MFA_ASSUMED = False
    settings.OIDC_ALLOW_STAFF = False
    world.coordinator.email = "samordnare@eskilstuna.se"
    world.coordinator.save()
    return provider


def sso_login(client, provider, next_url=None, **callback_extra):
    """Click the button, let the provider answer, follow its redirect back."""
    start = client.get("/oidc/login/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.issuer}/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == "/oidc/callback/"
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    query.update(callback_extra)
    return client.get(back.path, query)


def logged_in_user(client):
    """The user the session logs in (a deactivated user's session logs in nobody)."""
    return get_user_model().objects.filter(pk=client.session.get("_auth_user_id"),
                                           is_active=True).first()


def test_off_by_default_no_button_and_no_endpoints(client, world, settings):
    settings.OIDC_ENABLED = False
    assert "Logga in med" not in client.get("/login/").content.decode()
    assert client.get("/oidc/login/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_login_page_shows_the_provider_button(client, oidc):
    text = client.get("/login/?next=/agreements/").content.decode()
    assert "Logga in med Testkommunens konto" in text
    assert "/oidc/login/?next=%2Fagreements%2F" in text


def test_full_flow_logs_in_the_existing_user_with_mapped_memberships(client, oidc, world,
                                                                     settings, caplog):
    settings.OIDC_GROUP_MAP = (f"grp-police-readers={world.police_org.pk}:reader; "
                               f"grp-coordinators={world.municipality_org.pk}:coordinator")
    oidc.claims = {"sub": "abc-1", "email": "Samordnare@Eskilstuna.se",
                   "groups": ["grp-police-readers", "grp-coordinators", "unrelated"]}
    with caplog.at_level(logging.INFO, logger="samverkan.security"):
        response = sso_login(client, oidc, next_url="/agreements/")
    assert response.status_code == 302 and response["Location"] == "/agreements/"
    assert logged_in_user(client) == world.coordinator
    assert client.get("/agreements/").status_code == 200
    roles = dict(Membership.objects.filter(user=world.coordinator, active=True)
                 .values_list("organization_id", "role"))
    assert roles == {world.municipality_org.pk: Role.COORDINATOR,
                     world.police_org.pk: Role.READER}
    # PKCE, the token exchange and userinfo really happened at the provider.
    assert {"/authorize", "/token", "/userinfo", "/jwks"} <= set(oidc.requests)
    # Recorded like other logins: security log and django-axes' access log.
    login = [r for r in caplog.records if getattr(r, "event", "") == "login"]
    assert login and login[0].method == "oidc" and login[0].user_id == world.coordinator.pk
    assert AccessLog.objects.filter(username=world.coordinator.username).exists()


def test_unknown_user_is_refused_by_default(client, oidc):
    oidc.claims = {"sub": "x", "email": "okand@eskilstuna.se"}
    response = sso_login(client, oidc)
    assert response.status_code == 403
    text = response.content.decode()
    assert "Du har inget konto i Samverkan ännu" in text and "okand@eskilstuna.se" in text
    assert not get_user_model().objects.filter(email="okand@eskilstuna.se").exists()
    assert logged_in_user(client) is None


def test_unknown_user_is_created_when_a_group_maps(client, oidc, world, settings):
    settings.OIDC_UNKNOWN_USERS = "mapped"
    settings.OIDC_GROUP_MAP = f"grp-sn={world.social_services.pk}:contributor"
    oidc.claims = {"sub": "n-1", "email": "ny@eskilstuna.se", "given_name": "Nina",
                   "family_name": "Ny", "groups": ["grp-sn"]}
    assert sso_login(client, oidc).status_code == 302
    user = logged_in_user(client)
    assert (user.email, user.first_name, user.has_usable_password()) == (
        "ny@eskilstuna.se", "Nina", False)
    assert Membership.objects.get(user=user).role == Role.CONTRIBUTOR
    client.logout()
    # Without a mapped group nobody is created.
    oidc.claims = {"sub": "n-2", "email": "ingen@eskilstuna.se", "groups": ["other"]}
    response = sso_login(client, oidc)
    assert response.status_code == 403 and "inget konto" in response.content.decode()
    assert not get_user_model().objects.filter(email="ingen@eskilstuna.se").exists()


def test_create_policy_makes_an_account_without_membership(client, oidc, settings):
    settings.OIDC_UNKNOWN_USERS = "create"
    settings.OIDC_USER_CLAIM = "preferred_username"
    settings.OIDC_USER_FIELD = "username"
    oidc.claims = {"sub": "p-1", "preferred_username": "per.persson@eskilstuna.se"}
    assert sso_login(client, oidc).status_code == 302
    user = logged_in_user(client)
    assert user.username == "per.persson@eskilstuna.se"
    assert not user.memberships.exists()


def test_the_sub_claim_can_identify_the_user(client, oidc, world, settings):
    settings.OIDC_USER_CLAIM = "sub"
    settings.OIDC_USER_FIELD = "username"
    oidc.claims = {"sub": world.reader.username, "email": "whatever@example.org"}
    assert sso_login(client, oidc).status_code == 302
    assert logged_in_user(client) == world.reader


def test_a_removed_group_deactivates_and_a_local_deactivation_stands(client, oidc, world,
                                                                     settings):
    settings.OIDC_GROUP_MAP = f"grp-police={world.police_org.pk}:reader"
    oidc.claims = {"sub": "c", "email": "samordnare@eskilstuna.se", "groups": ["grp-police"]}
    sso_login(client, oidc)
    membership = Membership.objects.get(user=world.coordinator, organization=world.police_org)
    assert membership.active
    client.logout()
    oidc.claims = {**oidc.claims, "groups": []}
    sso_login(client, oidc)
    membership.refresh_from_db()
    assert not membership.active
    # Memberships outside the map are Samverkan's own and stay.
    assert Membership.objects.get(user=world.coordinator,
                                  organization=world.municipality_org).active
    client.logout()
    oidc.claims = {**oidc.claims, "groups": ["grp-police"]}
    sso_login(client, oidc)
    membership.refresh_from_db()
    assert not membership.active  # never re-activated by the provider


def test_a_deactivated_user_cannot_log_in_and_loses_the_session(client, oidc, world):
    oidc.claims = {"sub": "c", "email": "samordnare@eskilstuna.se"}
    assert sso_login(client, oidc).status_code == 302
    world.coordinator.is_active = False
    world.coordinator.save()
    assert client.get("/agreements/").status_code == 302  # the session no longer counts
    response = sso_login(client, oidc)
    assert response.status_code == 403
    assert "Ditt konto i Samverkan är avstängt" in response.content.decode()
    assert logged_in_user(client) is None


def test_superusers_log_in_with_their_password_unless_allowed(client, oidc, world, settings):
    world.coordinator.is_superuser = True
    world.coordinator.save()
    oidc.claims = {"sub": "c", "email": "samordnare@eskilstuna.se"}
    response = sso_login(client, oidc)
    assert response.status_code == 403 and "lösenord" in response.content.decode()
    settings.OIDC_ALLOW_STAFF = True
    assert sso_login(client, oidc).status_code == 302


@pytest.mark.parametrize("case", ["wrong_state", "no_login_started", "replayed_code"])
def test_a_callback_that_belongs_to_no_login_is_refused(client, oidc, case):
    oidc.claims = {"sub": "c", "email": "samordnare@eskilstuna.se"}
    if case == "wrong_state":
        response = sso_login(client, oidc, state="forged-state")
    elif case == "no_login_started":
        response = client.get("/oidc/callback/", {"code": "abc", "state": "def"})
    else:
        start = client.get("/oidc/login/")
        back = urlsplit(requests.get(start["Location"], allow_redirects=False,
                                     timeout=10).headers["Location"])
        query = {k: v[0] for k, v in parse_qs(back.query).items()}
        assert client.get(back.path, query).status_code == 302
        client.logout()
        response = client.get(back.path, query)
    assert response.status_code == 400
    assert "hör inte till en inloggning" in response.content.decode()
    assert logged_in_user(client) is None


@pytest.mark.parametrize(("tamper", "wrong_key", "expected"), [
    ({"nonce": "another-login"}, False, "hör inte till den här inloggningen"),
    ({}, True, "fel signatur"),
    ({"exp": 1_000_000_000, "iat": 999_999_000}, False, "har gått ut"),
    ({"aud": "another-client"}, False, "inte utfärdad för Samverkan"),
    ({"iss": "https://evil.example"}, False, "inte utfärdad för Samverkan"),
])
def test_a_token_that_fails_its_checks_is_refused(client, oidc, tamper, wrong_key, expected):
    oidc.claims = {"sub": "c", "email": "samordnare@eskilstuna.se"}
    oidc.tamper = tamper
    oidc.sign_with_wrong_key = wrong_key
    response = sso_login(client, oidc)
    assert response.status_code == 403
    text = response.content.decode()
    assert "Inloggningen nekades" in text and expected in text
    assert logged_in_user(client) is None


def test_the_providers_own_refusal_and_an_unreachable_provider(client, oidc, settings):
    client.get("/oidc/login/")
    state = next(iter(client.session["oidc_states"]))
    response = client.get("/oidc/callback/", {"error": "access_denied", "state": state,
                                              "error_description": "User cancelled"})
    assert response.status_code == 403 and "User cancelled" in response.content.decode()
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    cache.clear()
    response = client.get("/oidc/login/")
    assert response.status_code == 502
    assert "går inte att nå just nu" in response.content.decode()


def test_groups_overage_is_refused_with_advice(client, oidc, world, settings):
    settings.OIDC_GROUP_MAP = f"g={world.police_org.pk}:reader"
    oidc.claims = {"sub": "c", "email": "samordnare@eskilstuna.se",
                   "_claim_names": {"groups": "src1"}}
    response = sso_login(client, oidc)
    assert response.status_code == 403 and "för många" in response.content.decode()


def test_second_factor_without_trusted_claim_asks_for_local_totp(client, oidc, world,
                                                                 settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["coordinators"]
    oidc.claims = {"sub": "c", "email": "samordnare@eskilstuna.se", "amr": ["pwd", "mfa"]}
    sso_login(client, oidc)
    page = client.get("/agreements/")
    assert page.status_code == 302 and page["Location"].startswith("/account/two-factor/setup/")
    client.logout()
    enrol(world.coordinator)
    sso_login(client, oidc)
    page = client.get("/agreements/")
    assert page.status_code == 302 and page["Location"].startswith("/account/two-factor/verify/")


def test_second_factor_from_the_providers_amr_or_acr_when_trusted(client, oidc, world,
                                                                  settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["coordinators"]
    settings.OIDC_MFA_AMR = ["mfa"]
    settings.OIDC_MFA_ACR = ["urn:test:loa:substantial"]
    # A password alone at the provider: the local step is still asked.
    oidc.claims = {"sub": "c", "email": "samordnare@eskilstuna.se", "amr": ["pwd"]}
    sso_login(client, oidc)
    assert client.get("/agreements/").status_code == 302
    client.logout()
    # The userinfo answer cannot claim it: only the signed id token counts.
    oidc.userinfo_extra = {"amr": ["mfa"]}
    sso_login(client, oidc)
    assert client.get("/agreements/").status_code == 302
    client.logout()
    oidc.userinfo_extra = {}
    for claims in ({"amr": ["pwd", "mfa"]}, {"acr": "urn:test:loa:substantial"}):
        oidc.claims = {"sub": "c", "email": "samordnare@eskilstuna.se", **claims}
        sso_login(client, oidc)
        assert client.get("/agreements/").status_code == 200
        assert client.session["otp_device_id"] == IdentityProviderDevice.objects.get(
            user=world.coordinator).persistent_id
        client.logout()


def test_second_factor_assumed_when_the_provider_enforces_it(client, oidc, world, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["all"]
    settings.OIDC_MFA_ASSUMED = True
    oidc.claims = {"sub": "c", "email": "samordnare@eskilstuna.se"}
    sso_login(client, oidc)
    assert client.get("/agreements/").status_code == 200


def test_logout_ends_the_session_here_and_at_the_provider(client, oidc, world):
    oidc.claims = {"sub": "c", "email": "samordnare@eskilstuna.se"}
    sso_login(client, oidc)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{oidc.issuer}/logout?")
    assert logged_in_user(client) is None
    assert client.get("/agreements/").status_code == 302
    back = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert back.headers["Location"] == "http://testserver/login/"
    ended = oidc.ended_sessions[-1]
    assert ended["client_id"] == oidc.client_id and ended["id_token_hint"].count(".") == 2
    # A password login logs out locally only.
    client.post("/login/", {"username": world.reader.username, "password": PASSWORD})
    assert client.post("/logout/")["Location"] == "/login/"


def test_refusals_do_not_lock_the_address_but_a_lockout_stops_sso(client, oidc, world,
                                                                  settings):
    settings.AXES_FAILURE_LIMIT = 3
    oidc.claims = {"sub": "c", "email": "samordnare@eskilstuna.se"}
    oidc.tamper = {"nonce": "other"}
    for _ in range(4):
        assert sso_login(client, oidc).status_code == 403
    oidc.tamper = {}
    assert client.post("/login/", {"username": world.reader.username,
                                   "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(3):
        client.post("/login/", {"username": "guess", "password": "wrong"})
    response = sso_login(client, oidc)
    assert response.status_code == 429
    assert logged_in_user(client) is None


def test_group_map_is_read_strictly():
    assert parse_group_map("a=1:reader;\n b-c = 2:Coordinator ; a=3:contributor") == {
        "a": [(1, "reader"), (3, "contributor")], "b-c": [(2, "coordinator")]}
    for bad in ("a=1", "a=x:reader", "=1:reader", "a=1:king"):
        with pytest.raises(ValueError):
            parse_group_map(bad)


def test_settings_mistakes_show_at_start_up(settings):
    from samverkan.accounts.checks import oidc_settings

    settings.OIDC_ENABLED = False
    assert oidc_settings() == []
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = ""
    settings.OIDC_UNKNOWN_USERS = "maybe"
    settings.OIDC_GROUP_MAP = "g=12"
    ids = {error.id for error in oidc_settings()}
    assert {"samverkan.E101", "samverkan.E102", "samverkan.E104"} <= ids


# -- the session checked again at the provider (SessionRefresh) -------------------------------

@pytest.fixture
def refreshing(oidc, settings):
    """SessionRefresh in the middleware, as settings.py puts it when OIDC_ENABLED."""
    middleware = list(settings.MIDDLEWARE)
    if "samverkan.accounts.oidc.SessionRefresh" not in middleware:
        middleware.insert(middleware.index("django_otp.middleware.OTPMiddleware") + 1,
                          "samverkan.accounts.oidc.SessionRefresh")
    settings.MIDDLEWARE = middleware
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 600
    return oidc


def _expire(client):
    session = client.session
    session["oidc_id_token_expiration"] = 0  # OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS have passed
    session.save()


def _follow_check(client, response):
    """The page sent the browser to the provider for a silent login; follow it back."""
    assert response.status_code == 302, response
    location = urlsplit(response["Location"])
    assert response["Location"].startswith(f"{client.provider.issuer}/authorize?")
    assert parse_qs(location.query)["prompt"] == ["none"]
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == "/oidc/callback/"
    return client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})


def test_the_session_is_checked_again_at_the_provider_and_memberships_follow(
        client, refreshing, world, settings):
    """After OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS the next page asks the provider again
    (prompt=none): still signed in there, the person stays logged in here and their
    memberships follow the groups the provider now gives."""
    client.provider = refreshing
    settings.OIDC_GROUP_MAP = f"grp-police={world.police_org.pk}:reader"
    refreshing.claims = {"sub": "c", "email": "samordnare@eskilstuna.se",
                         "groups": ["grp-police"]}
    assert sso_login(client, refreshing).status_code == 302
    assert client.get("/agreements/").status_code == 200  # within the interval: no check
    assert refreshing.prompts == [""]
    membership = Membership.objects.get(user=world.coordinator, organization=world.police_org)
    assert membership.active

    refreshing.claims = {**refreshing.claims, "groups": []}  # the group removed there
    _expire(client)
    back = _follow_check(client, client.get("/agreements/"))
    assert back.status_code == 302 and back["Location"] == "/agreements/"
    assert logged_in_user(client) == world.coordinator
    membership.refresh_from_db()
    assert not membership.active  # the change took effect at the check, not at next login
    assert client.get("/agreements/").status_code == 200
    assert refreshing.prompts == ["", "none"]

    # An htmx request is sent on with HX-Redirect, back to the page it came from.
    _expire(client)
    response = client.get("/agreements/", HTTP_HX_REQUEST="true",
                          HTTP_HX_CURRENT_URL="http://testserver/plans/?page=2")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(f"{refreshing.issuer}/authorize?")
    assert client.session["oidc_login_next"] == "/plans/?page=2"
    # The API and POSTs are not sent to the provider.
    assert client.get("/api/v1/agreements/").status_code == 200


@pytest.mark.parametrize("error", ["login_required", "access_denied"])
def test_a_person_removed_or_deactivated_at_the_provider_loses_the_session(
        client, refreshing, world, error, caplog):
    client.provider = refreshing
    refreshing.claims = {"sub": "c", "email": "samordnare@eskilstuna.se"}
    assert sso_login(client, refreshing).status_code == 302
    refreshing.silent_error = error  # removed (or signed out) / disabled at the provider
    _expire(client)
    with caplog.at_level(logging.INFO, logger="samverkan.security"):
        response = _follow_check(client, client.get("/agreements/"))
    assert response.status_code == 403
    assert "inte längre giltig" in response.content.decode()
    assert logged_in_user(client) is None
    assert client.get("/agreements/").status_code == 302  # to the login page
    assert any(getattr(r, "event", "") == "oidc_session_ended" for r in caplog.records)


def test_a_password_login_is_not_checked_at_the_provider(client, refreshing, world):
    client.force_login(world.police_officer, backend="django.contrib.auth.backends.ModelBackend")
    _expire(client)
    assert client.get("/agreements/").status_code == 200
    assert refreshing.prompts == []


def test_the_session_check_is_in_the_middleware_only_when_enabled():
    """settings.py adds SessionRefresh (after django-otp's middleware) only with
    OIDC_ENABLED; OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS comes from the environment."""
    import json
    import os
    import subprocess
    import sys

    code = ("import json; from samverkan import settings as s; print(json.dumps("
            "[s.MIDDLEWARE, s.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS]))")
    for enabled in ("true", "false"):
        env = {**os.environ, "OIDC_ENABLED": enabled,
               "OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS": "300"}
        output = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                capture_output=True, text=True).stdout
        middleware, seconds = json.loads(output.strip().splitlines()[-1])
        assert seconds == 300
        if enabled == "true":
            otp = middleware.index("django_otp.middleware.OTPMiddleware")
            assert middleware[otp + 1] == "samverkan.accounts.oidc.SessionRefresh"
        else:
            assert "samverkan.accounts.oidc.SessionRefresh" not in middleware
