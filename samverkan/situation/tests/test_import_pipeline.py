"""The import pipeline (issue 10): a first import into a new municipality, errors in several
columns reported in full and grouped, and a killed import process leaving nothing behind."""
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from samverkan.audit.models import AuditEntry
from samverkan.organizations.models import County, Municipality
from samverkan.situation.importers import import_incidents
from samverkan.situation.models import Category, Incident
from samverkan.situation.sample_files import HEADER, incident_rows, write_incident_csv

ROOT = Path(settings.BASE_DIR)

# Karlshamn's centre in SWEREF 99 TM: a municipality with no data before the import.
KARLSHAMN = (478_500.0, 6_228_000.0)


def test_first_import_into_a_municipality_without_data(world, tmp_path):
    # Every municipality has the default EST categories (migration), so the first file works.
    assert Category.objects.filter(municipality=world.karlshamn).count() == 12
    path = tmp_path / "karlshamn.csv"
    rows = incident_rows(500, centre=KARLSHAMN, sigma=800.0, prefix="kh-")
    path.write_text(HEADER + "\n" + "\n".join(rows.tolist()) + "\n", encoding="utf-8")
    result = import_incidents(path, fmt="csv", municipality=world.karlshamn,
                              actor=world.other_municipality_user)
    assert result.errors == [] and (result.created, result.rows) == (500, 500)
    assert Incident.objects.filter(municipality=world.karlshamn).count() == 500
    # One audit entry for the whole import: who, the file, the counts, the id range.
    entry = AuditEntry.objects.get(municipality=world.karlshamn,
                                   object_repr__contains="karlshamn.csv")
    assert entry.actor == world.other_municipality_user
    assert entry.changes["after"]["import"] == "karlshamn.csv"
    assert entry.changes["after"]["incidents"] == 500 and len(entry.changes["after"]["ids"]) == 2


def test_a_new_municipality_gets_the_default_categories(world):
    county = County.objects.get(code="04")
    created = Municipality.objects.create(code="0499", name="Nykommun", county=county)
    names = list(Category.objects.filter(municipality=created).values_list("name", flat=True))
    assert len(names) == 12 and "Klotter" in names
    result = import_incidents(
        b"kategori;tid;adress\nKlotter;2024-05-03 22:15;Storgatan 1\n", fmt="csv",
        municipality=created, actor=None)
    assert result.errors == [] and result.created == 1


def _bad_file(tmp_path) -> Path:
    lines = incident_rows(400, prefix="bad-").tolist()
    for i in range(0, 400, 10):  # 40 rows: a category the municipality does not have
        cells = lines[i].split(";")
        cells[1] = "Inbrott i bil"
        lines[i] = ";".join(cells)
    for i in (3, 7, 11):  # three times that are not times
        cells = lines[i].split(";")
        cells[2] = ["igår kväll", "2024-02-30 10:00", "2024-13-01 10:00"][(i - 3) // 4]
        lines[i] = ";".join(cells)
    cells = lines[5].split(";")  # a point in Paris, and one in Stockholm (not Eskilstuna)
    cells[3], cells[4] = "48.8566", "2.3522"
    lines[5] = ";".join(cells)
    cells = lines[6].split(";")
    cells[3], cells[4] = "59.3293", "18.0686"
    lines[6] = ";".join(cells)
    cells = lines[8].split(";")  # an address longer than 300 characters
    cells[5] = "Lång gata " * 40
    lines[8] = ";".join(cells)
    path = tmp_path / "fel.csv"
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_errors_in_several_columns_are_reported_in_full_and_nothing_is_written(world, tmp_path,
                                                                               capsys):
    path = _bad_file(tmp_path)
    result = import_incidents(path, fmt="csv", municipality=world.eskilstuna, actor=None)
    assert result.created == 0 and Incident.objects.count() == 0
    assert not AuditEntry.objects.filter(object_repr__contains="fel.csv").exists()
    by_column: dict[str, list[int]] = {}
    for error in result.errors:
        by_column.setdefault(error.column, []).append(error.row)
    # Row numbers are the spreadsheet's: the header is row 1.
    assert len(by_column["kategori"]) == 40 and by_column["kategori"][:3] == [2, 12, 22]
    assert by_column["tid"] == [5, 9, 13]
    assert by_column["lat"] == [7, 8] and by_column["adress"] == [10]
    messages = {e.row: e.message for e in result.errors if e.column in ("lat", "tid")}
    assert "utanför Sverige" in messages[7] and "inte i Eskilstuna" in messages[8]
    assert "2024-02-30 10:00" in messages[9]

    # The CLI: --json keeps every error and adds the grouped summary; exit status 1.
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_incidents", str(path), "--municipality", "0484", "--format",
                     "csv", "--json")
    assert exit_status.value.code == 1
    output = json.loads(capsys.readouterr().out)
    assert len(output["errors"]) == len(result.errors) == 40 + 3 + 2 + 1
    first = output["error_summary"][0]
    assert first["column"] == "kategori" and first["count"] == 40
    assert first["rows"] == [2, 12, 22, 32, 42, 52, 62, 72, 82, 92]
    assert "Inbrott i bil" in first["message"] and "Klotter" in first["message"]
    # Without --json a person reads one line per problem.
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("import_incidents", str(path), "--municipality", "0484", "--format",
                     "csv", stderr=err, stdout=StringIO())
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("40 rader, kategori: ") and "(rad 2, 12, 22" in lines[0]
    assert len(lines) == len(output["error_summary"]) + 1


# -- a killed import ---------------------------------------------------------------------------


@pytest.fixture
def fresh_database(tmp_path):
    """A freshly migrated database beside the test database (the killed process must commit
    nothing to a database that other processes see), dropped afterwards."""
    drop = None
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.settings_dict
        name = f"{params['NAME']}_killed"
        server = f"postgres://{params['USER'] or 'postgres'}@{params['HOST'] or '127.0.0.1'}:" \
                 f"{params['PORT'] or 5432}"

        def drop():
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

        drop()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = f"{server}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'killed.sqlite3'}"
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT,
                       env={**os.environ, "DATABASE_URL": url}, check=True, timeout=600)
        yield url
    finally:
        if drop:
            drop()


def _query(url: str, code: str) -> str:
    script = ("import django, json; django.setup()\n"
              "from samverkan.situation.models import Incident\n"
              "from samverkan.audit.models import AuditEntry\n" + code)
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=120,
                          capture_output=True, text=True,
                          env={**os.environ, "DATABASE_URL": url,
                               "DJANGO_SETTINGS_MODULE": "samverkan.settings"}).stdout.strip()


@pytest.mark.slow
def test_a_killed_import_leaves_nothing_behind(db, tmp_path, fresh_database):
    url = fresh_database
    path = write_incident_csv(tmp_path / "stort.csv", 150_000)
    # On a terminal (a pseudo-terminal here) the command shows a progress bar: it tells when
    # the import is well into its transaction.
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_incidents", str(path), "--municipality", "0484",
         "--format", "csv"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=terminal,
        env={**os.environ, "DATABASE_URL": url})
    os.close(terminal)
    seen, percent, deadline = b"", 0, time.monotonic() + 300
    try:
        while percent < 40 and time.monotonic() < deadline and process.poll() is None:
            ready, _w, _x = select.select([controller], [], [], 1.0)
            if ready:
                try:
                    seen += os.read(controller, 4096)
                except OSError:
                    break
                found = re.findall(rb"(\d+)% \[", seen[-400:])
                percent = int(found[-1]) if found else 0
        assert process.poll() is None and percent >= 40, seen[-400:]
        process.send_signal(signal.SIGKILL)  # the process, not a mocked exception
        process.wait(timeout=60)
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert _query(url, "print(Incident.objects.count(), AuditEntry.objects.filter("
                       "object_repr__contains='stort.csv').count())") == "0 0"
    # Nothing is left locked or half-written: the same file imports completely afterwards.
    small = write_incident_csv(tmp_path / "litet.csv", 2_000, prefix="small-")
    done = subprocess.run([sys.executable, "manage.py", "import_incidents", str(small),
                           "--municipality", "0484", "--format", "csv", "--json"], cwd=ROOT,
                          env={**os.environ, "DATABASE_URL": url}, capture_output=True,
                          text=True, timeout=300)
    assert json.loads(done.stdout)["created"] == 2_000
    assert _query(url, "print(Incident.objects.count())") == "2000"


def test_api_import_runs_as_a_job(world, client, run_jobs, django_capture_on_commit_callbacks,
                                  settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    url = "/api/v1/situation/incidents/import/"
    data = (HEADER + "\n" + "\n".join(incident_rows(20, prefix="api-").tolist())).encode()
    client.force_login(world.reader)
    assert client.post(url, {"file": SimpleUploadedFile("a.csv", data), "format": "csv",
                             "municipality": "0484"}).status_code == 403
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("a.csv", data),
                                     "format": "csv", "municipality": "0484"})
    assert response.status_code == 202 and response.json()["status"] == "queued"
    run_jobs()
    job = client.get(f"/api/v1/jobs/{response.json()['id']}/").json()
    assert job["status"] == "succeeded" and job["result"]["created"] == 20
    assert job["result"]["error_summary"] == [] and Incident.objects.count() == 20
    client.force_login(world.other_municipality_user)
    assert client.get(f"/api/v1/jobs/{response.json()['id']}/").status_code == 404
