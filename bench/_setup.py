"""Shared setup of the database benchmarks: the throw-away PostgreSQL database
``samverkan_bench`` on 127.0.0.1, Django on top of it, the machine's description."""
from __future__ import annotations

import contextlib
import datetime
import http.client
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SERVER_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB", "samverkan_bench")
DATABASE_URL = f"{SERVER_URL}/{DB_NAME}"


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def drop_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def django_setup() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()


@contextlib.contextmanager
def gunicorn(database_url: str, port: int, workers: int, threads: int,
             env: dict[str, str] | None = None, args: tuple[str, ...] = ()):
    """gunicorn serving ``samverkan.wsgi`` on 127.0.0.1:``port`` with ``DEBUG`` off and
    persistent database connections, as in production; yields once ``/health/`` answers and
    stops the server (its whole process group) on exit."""
    server_env = {**os.environ, "DATABASE_URL": f"{database_url}?conn_max_age=60",
                  "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "samverkan.settings",
                  **(env or {})}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "samverkan.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--log-level", "warning",
         *args],
        cwd=ROOT, env=server_env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn stopped with status {server.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/health/")
                # 503: up, with a dependency (Redis, say) reported down by the health check.
                if conn.getresponse().status in (200, 503):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer within 60 s")
            time.sleep(0.3)
        yield server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def ensure_categories() -> dict[tuple[str, str], int]:
    """The twelve default categories for every municipality (COPY), as
    {(municipality code, slug): id}."""
    from samverkan.organizations.models import Municipality
    from samverkan.situation.bulk import copy_columns
    from samverkan.situation.choices import DEFAULT_CATEGORIES
    from samverkan.situation.models import Category

    if not Category.objects.exists():
        codes = list(Municipality.objects.values_list("code", flat=True))
        rows = [(c, slug, name, colour, (i + 1) * 10) for c in codes
                for i, (slug, name, colour) in enumerate(DEFAULT_CATEGORIES)]
        copy_columns(Category, {
            "municipality_id": [r[0] for r in rows], "slug": [r[1] for r in rows],
            "name": [r[2] for r in rows], "colour": [r[3] for r in rows],
            "order": [r[4] for r in rows]})
    return {(m, s): pk for m, s, pk in Category.objects.values_list(
        "municipality_id", "slug", "pk")}


def truncate_incidents() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE situation_incidentarea, situation_incident RESTART IDENTITY "
                       "CASCADE")


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in
                      Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem_kb = 0
    pg = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        pg = subprocess.run(["psql", "--version"], capture_output=True, text=True,
                            timeout=10).stdout.strip()
    return {"date": datetime.date.today().isoformat(), "nproc": os.cpu_count(), "cpu": cpu,
            "load_average": [round(v, 2) for v in os.getloadavg()],
            "ram_gb": round(mem_kb / 1024 / 1024, 1), "python": platform.python_version(),
            "postgres": pg}
