"""Shared setup of the database benchmarks: the throw-away PostgreSQL database
``samverkan_bench`` on 127.0.0.1, Django on top of it, the machine's description."""
from __future__ import annotations

import contextlib
import datetime
import os
import platform
import subprocess
import sys
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
