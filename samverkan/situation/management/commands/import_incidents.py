"""samverkan import_incidents FILE --municipality KOD --format csv|xlsx|geojson|polisen
[--dry-run] [--json]: all-or-nothing, idempotent; exit status 1 when any row has an error.

The file is read in batches (a million rows in one transaction with bounded memory); on a
terminal a progress bar shows how far it has come (not with --json, nor when the output is
not a terminal)."""
from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from samverkan.core.progress import terminal_progress
from samverkan.organizations.models import Municipality
from samverkan.situation.importers import FORMATS, import_incidents


class Command(BaseCommand):
    help = "Import incidents from a CSV, XLSX, GeoJSON or Police events (polisen) file."
    # The system checks load every URL, view and template (seconds, and a hundred megabytes):
    # they are the web server's business, not a file import's.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipality", help="Four-digit municipality code, e.g. 0484. "
                            "Optional for polisen (each event to its own municipality).")
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("--dry-run", action="store_true",
                            help="Validate and count, write nothing.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, file, municipality, fmt, dry_run, json: bool, **options):
        translation.activate(settings.LANGUAGE_CODE)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        target = None
        if municipality:
            target = Municipality.objects.filter(pk=municipality).first()
            if target is None:
                raise CommandError(f"Unknown municipality code {municipality!r}")
        elif fmt != "polisen":
            raise CommandError("--municipality is required for this format")
        with terminal_progress(enabled=not json, label=path.name) as progress:
            result = import_incidents(path, fmt=fmt, municipality=target, actor=None,
                                      dry_run=dry_run, label=path.name, progress=progress)
        if json:
            self.stdout.write(_dumps(result.as_dict()))
        else:
            self._print(result)
        if result.errors:
            raise SystemExit(1)

    def _print(self, result):
        data = result.as_dict()
        prefix = "Provkörning, inget sparat: " if result.dry_run else ""
        parts = [f"{data['rows']} rader", f"{data['created']} nya",
                 f"{data['duplicates']} redan importerade"]
        if "skipped" in data:
            parts.append(f"{data['skipped']} överhoppade")
        self.stdout.write(prefix + ", ".join(parts) + ".")
        # The same problem in many rows is one line: its count and the first rows.
        for group in data["error_summary"]:
            rows = ", ".join(str(r) for r in group["rows"])
            more = " …" if group["count"] > len(group["rows"]) else ""
            where = f"{group['column']}: " if group["column"] else ""
            self.stderr.write(f"{group['count']} rader, {where}{group['message']} "
                              f"(rad {rows}{more})")
        if result.errors:
            self.stderr.write("Inget importerades: rätta felen och försök igen "
                              "(--json listar varje rad).")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
