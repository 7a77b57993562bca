"""samverkan import_areas FILE --municipality KOD [--kind vulnerable_area] [--crs EPSG:3006]
[--name-property NAMN] [--only-inside] [--dry-run] [--json]"""
from __future__ import annotations

import json as jsonlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from samverkan.organizations.models import Municipality
from samverkan.situation.choices import AreaKind
from samverkan.situation.importers.areas import import_areas


class Command(BaseCommand):
    help = "Import areas (polygons) from GeoJSON in WGS 84 or EPSG:3006 and assign incidents."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipality", required=True)
        parser.add_argument("--kind", default=AreaKind.DISTRICT, choices=AreaKind.values)
        parser.add_argument("--crs", help="Source CRS when the file does not say, "
                                          "e.g. EPSG:3006.")
        parser.add_argument("--name-property", help="The property holding the area's name.")
        parser.add_argument("--only-inside", action="store_true",
                            help="Only the features inside the municipality.")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        translation.activate(settings.LANGUAGE_CODE)
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        municipality = Municipality.objects.filter(pk=o["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Unknown municipality code {o['municipality']!r}")
        result = import_areas(path.read_bytes(), municipality=municipality, actor=None,
                              kind=o["kind"], crs=o["crs"], name_property=o["name_property"],
                              only_inside=o["only_inside"], source=path.name,
                              dry_run=o["dry_run"])
        if o["json"]:
            self.stdout.write(jsonlib.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(
                f"{result.rows} objekt: {result.created} nya, {result.updated} uppdaterade, "
                f"{result.skipped} utanför kommunen; {result.assigned} händelser i områdena.")
            for area in result.areas:
                self.stdout.write(f"  {area}")
            for e in result.errors:
                self.stderr.write(f"objekt {e.row}, {e.column}: {e.message}")
        if result.errors:
            raise SystemExit(1)
