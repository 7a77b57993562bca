"""``samverkan import_plan FILE --agreement ID [--dry-run] [--json] [--user USERNAME]``

Imports an action plan table (XLSX or CSV: UTF-8 with or without BOM, ``,`` or ``;``) into an
agreement through the plan services (see ``samverkan.plans.io.importer``). Any error: nothing is
written, every bad row is listed and the exit status is 1. Importing the same file again
changes nothing.

``--json`` prints exactly one JSON object on standard output:
``{"focus_areas": N, "activities": N, "indicators": N, "rows": N,
"errors": [{"row": R, "column": C, "message": M}]}`` (N: how many the file holds); warnings go
to standard error. ``--user`` names the acting user; without it the audit log says "system".
"""
from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.plans.io.commandline import get_actor, get_agreement
from samverkan.plans.io.importer import ImportResult, import_plan
from samverkan.plans.io.table import RowError

KIND_LABELS = {
    "focus_area": gettext_lazy("focus areas"), "sub_goal": gettext_lazy("sub-goals"),
    "activity": gettext_lazy("activities"), "indicator": gettext_lazy("indicators"),
    "priority_area": gettext_lazy("priority areas"),
}
OUTCOME_LABELS = {
    "created": gettext_lazy("Created"), "updated": gettext_lazy("Changed"),
    "unchanged": gettext_lazy("Unchanged"),
}


class Command(BaseCommand):
    help = "Import an action plan table (XLSX or CSV) into an agreement."

    def add_arguments(self, parser):
        parser.add_argument("file", help="XLSX or CSV file")
        parser.add_argument("--agreement", required=True, type=int, help="agreement id")
        parser.add_argument("--dry-run", action="store_true",
                            help="check the file and report, write nothing")
        parser.add_argument("--json", action="store_true",
                            help="print one JSON object (counts and errors)")
        parser.add_argument("--user", help="username of the acting user (default: system)")

    def handle(self, *args, **options):
        as_json = options["json"]
        try:
            actor = get_actor(options["user"])
            agreement = get_agreement(options["agreement"], actor, change=True)
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(_("File not found: %(path)s") % {"path": path})
        except CommandError as error:
            if as_json:
                failed = ImportResult(errors=[RowError(0, "", str(error))])
                self.stdout.write(json.dumps(failed.to_json(), ensure_ascii=False))
            raise
        result = import_plan(path, path.name, agreement=agreement, actor=actor,
                             dry_run=options["dry_run"])
        for warning in result.warnings:
            self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})
        if as_json:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False))
        else:
            self.report(result, agreement)
        if result.errors:
            raise CommandError(_("%(count)d errors; nothing was written.")
                               % {"count": len(result.errors)})

    def report(self, result: ImportResult, agreement) -> None:
        for error in result.errors:
            self.stdout.write(_("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": error.row, "column": error.column, "message": error.message})
        self.stdout.write(_(
            "The file holds %(focus_areas)d focus areas, %(activities)d activities and "
            "%(indicators)d indicators in %(rows)d rows.") % result.to_json())
        if result.errors:
            return
        for outcome, counter in (("created", result.created), ("updated", result.updated),
                                 ("unchanged", result.unchanged)):
            parts = [f"{counter[k]} {KIND_LABELS[k]}" for k in KIND_LABELS if counter[k]]
            if parts:
                self.stdout.write(f"{OUTCOME_LABELS[outcome]}: {', '.join(parts)}")
        if result.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif not result.changed:
            self.stdout.write(_("Nothing changed: the agreement already holds this plan."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported into %(agreement)s.")
                                                 % {"agreement": agreement}))
