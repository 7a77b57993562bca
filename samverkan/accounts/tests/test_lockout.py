"""Lockout after repeated failed logins (django-axes) on the login page and the token
endpoint, and API throttling."""
import pytest
from axes.models import AccessAttempt
from django.core.management import call_command

from samverkan.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _fail(client, username, n, **extra):
    for _ in range(n):
        client.post("/login/", {"username": username, "password": "wrong"}, **extra)


def test_twelve_wrong_passwords_lock_the_account_even_for_the_right_one(client, coordinator,
                                                                       settings):
    settings.AXES_FAILURE_LIMIT = 5
    _fail(client, coordinator.username, 12)
    response = client.post("/login/", {"username": coordinator.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "För många misslyckade inloggningar" in text and "administratör" in text


def test_lockout_is_per_account_from_any_address(client, coordinator):
    for i in range(5):
        client.post("/login/", {"username": coordinator.username, "password": "wrong"},
                    REMOTE_ADDR=f"10.0.0.{i + 1}")
    response = client.post("/login/", {"username": coordinator.username.upper(),
                                       "password": PASSWORD}, REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 429


def test_lockout_is_per_address_across_accounts(client, coordinator, reader):
    for i in range(5):
        client.post("/login/", {"username": f"guess{i}", "password": "wrong"},
                    REMOTE_ADDR="10.1.1.1")
    response = client.post("/login/", {"username": reader.username, "password": PASSWORD},
                           REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    # Another address is not affected.
    response = client.post("/login/", {"username": reader.username, "password": PASSWORD},
                           REMOTE_ADDR="10.1.1.2")
    assert response.status_code == 302


def test_fewer_failures_then_success_resets_the_count(client, coordinator):
    _fail(client, coordinator.username, 4)
    assert client.post("/login/", {"username": coordinator.username,
                                   "password": PASSWORD}).status_code == 302
    client.logout()
    _fail(client, coordinator.username, 4)
    assert client.post("/login/", {"username": coordinator.username,
                                   "password": PASSWORD}).status_code == 302


def test_an_administrator_lifts_the_lockout(client, coordinator):
    _fail(client, coordinator.username, 6)
    assert AccessAttempt.objects.exists()
    call_command("axes_reset")
    assert client.post("/login/", {"username": coordinator.username,
                                   "password": PASSWORD}).status_code == 302


def test_token_endpoint_locks_out_too(client, coordinator):
    for attempt in range(5):
        response = client.post("/api/v1/auth/token/", {"username": coordinator.username,
                                                       "password": "wrong"})
        if attempt == 4:  # the fifth failure locks
            assert response.status_code == 429
            continue
        assert response.status_code == 400
        assert response.json()["detail"] == "Fel användarnamn eller lösenord."
    response = client.post("/api/v1/auth/token/", {"username": coordinator.username,
                                                   "password": PASSWORD})
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.json()["detail"]
    # ... and the web login of that account as well.
    assert client.post("/login/", {"username": coordinator.username,
                                   "password": PASSWORD}).status_code == 429


def test_token_endpoint_is_throttled(client, coordinator, settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], token="3/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    # The class keeps the rates it read at import; put back the object it had, not the
    # overridden settings (they are restored only after the test).
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        statuses = [client.post("/api/v1/auth/token/", {"username": "nobody",
                                                        "password": "x"}).status_code
                    for _ in range(4)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
    assert statuses[:3] == [400, 400, 400] and statuses[3] == 429


def test_api_is_throttled_per_user(client, coordinator, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], user="5/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        client.force_login(coordinator)
        statuses = [client.get("/api/v1/organizations/").status_code for _ in range(6)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
    assert statuses[:5] == [200] * 5 and statuses[5] == 429


def test_lockout_is_logged_as_a_security_event(client, coordinator, caplog):
    with caplog.at_level("WARNING", logger="samverkan.security"):
        _fail(client, coordinator.username, 6)
    events = {getattr(r, "event", None) for r in caplog.records}
    assert {"login_failed", "lockout"} <= events


def test_a_login_without_a_request_is_left_to_the_password_check(client, coordinator,
                                                                  settings):
    """The test client's login() (and a shell) authenticate without a request: the password
    decides; the page's lockout still holds for the same account."""
    from django.contrib.auth import authenticate

    assert authenticate(username=coordinator.username, password=PASSWORD) == coordinator
    assert authenticate(username=coordinator.username, password="wrong") is None
    assert client.login(username=coordinator.username, password=PASSWORD)
    client.logout()
    settings.AXES_FAILURE_LIMIT = 3
    _fail(client, coordinator.username, 3)
    response = client.post("/login/", {"username": coordinator.username, "password": PASSWORD})
    assert response.status_code == 429
