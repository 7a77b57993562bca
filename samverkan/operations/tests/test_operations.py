"""Health endpoint, structured request logs, backup and restore round trip."""
import json
import logging

import pytest
from django.core.management import call_command

from samverkan.core.testing import build_world
from samverkan.operations import backup as backup_module
from samverkan.operations.logs import JsonFormatter
from samverkan.organizations.models import Organization


@pytest.mark.django_db
def test_health_answers_200_with_the_checks(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["checks"]["database"] == "ok"
    assert body["checks"]["jobs"] == "ok"


@pytest.mark.django_db
def test_health_answers_503_when_a_check_fails(client, monkeypatch):
    def broken():
        raise ConnectionError("down")

    monkeypatch.setattr("samverkan.operations.health._queue", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["jobs"] == "error: ConnectionError"


@pytest.mark.django_db
def test_health_checks_a_configured_shared_cache(client, settings):
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "no_such_table"}}
    from django.core.cache import caches

    caches._settings = None
    try:
        caches.__init__()
        response = client.get("/health/")
    finally:
        caches._settings = None
        caches.__init__()
    assert response.status_code == 503 and "error" in response.json()["checks"]["cache"]


@pytest.mark.django_db
def test_one_structured_line_per_request(client, coordinator, caplog):
    client.force_login(coordinator)
    with caplog.at_level(logging.INFO, logger="samverkan.request"):
        client.get("/agreements/")
    records = [r for r in caplog.records if r.name == "samverkan.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["user_id"] == coordinator.pk and line["status"] == 200
    assert line["path"] == "/agreements/" and line["duration_ms"] >= 0


@pytest.mark.django_db
def test_access_denials_are_security_events(client, reader, caplog):
    client.force_login(reader)
    with caplog.at_level(logging.WARNING, logger="samverkan.security"):
        response = client.get("/account/members/")
    assert response.status_code == 403
    assert any(getattr(r, "event", "") == "access_denied" and r.user_id == reader.pk
               for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "uploads").mkdir(parents=True)
    (settings.MEDIA_ROOT / "uploads" / "plan.xlsx").write_bytes(b"original bytes")
    world = build_world()
    before = backup_module.table_summary()
    assert before["organizations_organization"]["rows"] >= 4

    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["tables"] == before and manifest["media"] == "media.tar.gz"

    # Damage: a record changed, one deleted, a file overwritten.
    Organization.objects.filter(pk=world.karlshamn_org.pk).update(name="Ändrad")
    Organization.objects.filter(pk=world.social_services.pk).delete()
    (settings.MEDIA_ROOT / "uploads" / "plan.xlsx").write_bytes(b"changed")
    assert backup_module.table_summary() != before

    call_command("restore", str(tmp_path / "backup"), "--yes")
    assert backup_module.table_summary() == before
    assert (settings.MEDIA_ROOT / "uploads" / "plan.xlsx").read_bytes() == b"original bytes"
    assert Organization.objects.get(pk=world.karlshamn_org.pk).name == "Karlshamns kommun"
