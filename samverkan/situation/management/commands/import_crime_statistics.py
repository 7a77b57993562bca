"""samverkan import_crime_statistics FILE --format bra-csv|sol [--year YYYY] [--dry-run]
[--json]: Brå's figures for every municipality, idempotent."""
from __future__ import annotations

import json as jsonlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from samverkan.situation.importers.statistics import STAT_FORMATS, import_crime_statistics


class Command(BaseCommand):
    help = "Import Brå's reported-crime statistics per municipality (CSV or SOL export)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", required=True, choices=STAT_FORMATS, dest="fmt")
        parser.add_argument("--year", type=int,
                            help="Required for bra-csv (the file does not state it).")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, file, fmt, year, dry_run, json, **options):
        translation.activate(settings.LANGUAGE_CODE)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if fmt == "bra-csv" and year is None:
            raise CommandError("--year is required for bra-csv: the file does not state it")
        result = import_crime_statistics(path.read_bytes(), fmt=fmt, actor=None, year=year,
                                         dry_run=dry_run)
        if json:
            self.stdout.write(jsonlib.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(f"{result.rows} värden för {result.year}: {result.created} nya, "
                              f"{result.updated} ändrade, {result.unchanged} oförändrade.")
            for e in result.errors:
                self.stderr.write(f"rad {e.row}: {e.message}")
        if result.errors:
            raise SystemExit(1)
