"""``samverkan export_plan --agreement ID --format xlsx|docx|csv --output FILE [--user U]``

Writes the agreement's action plan: XLSX and CSV in the canonical import columns (they
re-import to the same plan), DOCX as a document for the council. With ``--user`` only what that
user may see is exported; without it, everything. ``--output -`` writes to standard output.
"""
from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from samverkan.plans.io.commandline import get_actor, get_agreement
from samverkan.plans.io.exporter import FORMATS, export_plan


class Command(BaseCommand):
    help = "Export an agreement's action plan as XLSX, DOCX or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--agreement", required=True, type=int, help="agreement id")
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("--output", required=True,
                            help="file to write ('-' for standard output)")
        parser.add_argument("--user", help="export only what this user may see")

    def handle(self, *args, **options):
        actor = get_actor(options["user"])
        agreement = get_agreement(options["agreement"], actor)
        data = export_plan(agreement, options["fmt"], user=actor)
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        path = Path(options["output"])
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stderr.write(_("Wrote %(path)s (%(size)d bytes).") % {"path": path,
                                                                    "size": len(data)})
