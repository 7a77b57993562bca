"""Backup and restore of the database and the uploaded files, with a manifest of row counts
and a checksum per table to prove a restore gave back what was saved.

PostgreSQL: `pg_dump --format=custom` / `pg_restore --clean`; SQLite: SQLite's online backup
(safe while the site runs, WAL included) / the same backup in reverse. Uploaded files
(MEDIA_ROOT): a tar.gz beside the dump.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

DB_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def table_summary() -> dict[str, dict]:
    """{table: {"rows": n, "sha256": ...}} for every table of the database, rows in key
    order, values as text."""
    summary = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")  # noqa: S608 - own table names
            digest = hashlib.sha256()
            rows = 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
                rows += 1
            summary[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return summary


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _pg_env() -> tuple[list[str], dict]:
    s = connection.settings_dict
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    return args, env


def backup(target: Path, *, media: bool = True) -> dict:
    target.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor not in DB_FILES:  # the project supports PostgreSQL and SQLite only
        raise ValueError(f"Backup supports PostgreSQL and SQLite, not {vendor}.")
    dump = target / DB_FILES[vendor]
    if vendor == "postgresql":
        args, env = _pg_env()
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *args],
                       check=True, env=env)
    elif vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(dump)
        with destination:
            connection.connection.backup(destination)
        destination.close()
    manifest = {"created": timezone.now().isoformat(), "vendor": vendor,
                "database": dump.name, "tables": table_summary(), "media": None}
    media_root = Path(settings.MEDIA_ROOT)
    if media and media_root.is_dir():
        with tarfile.open(target / "media.tar.gz", "w:gz") as tar:
            tar.add(media_root, arcname="media")
        manifest["media"] = "media.tar.gz"
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest


def restore(source: Path, *, media: bool = True) -> dict:
    """Restore a backup made by `backup` into the configured database (replacing its
    contents) and MEDIA_ROOT; returns the differences against the manifest (empty: exact)."""
    manifest = json.loads((source / "manifest.json").read_text())
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise ValueError(f"The backup is of {manifest['vendor']}, the database is {vendor}.")
    dump = source / manifest["database"]
    if vendor == "postgresql":
        args, env = _pg_env()
        connections.close_all()
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner",
                        "--single-transaction", *args, str(dump)], check=True, env=env)
    else:
        connection.ensure_connection()
        origin = sqlite3.connect(dump)
        with origin:
            origin.backup(connection.connection)
        origin.close()
    if media and manifest.get("media"):
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.exists():
            shutil.rmtree(media_root)
        media_root.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / manifest["media"]) as tar:
            tar.extractall(media_root.parent, filter="data")
        if media_root.name != "media":
            (media_root.parent / "media").rename(media_root)
    return compare(manifest["tables"], table_summary())


def compare(expected: dict, actual: dict) -> list[str]:
    problems = []
    for table in sorted(set(expected) | set(actual)):
        if expected.get(table) != actual.get(table):
            problems.append(f"{table}: expected {expected.get(table)}, got {actual.get(table)}")
    return problems
