"""samverkan survey_index FILE [--json]: the safety index of a respondent-level file, without
the database."""
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samverkan.analysis import safety_index
from samverkan.surveys import io


class Command(BaseCommand):
    help = ("Compute the safety index from a respondent-level survey file (CSV/XLSX: område, "
            "kön, ålder, optional vikt, one column per question), without the database.")
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        parser.add_argument("--scoring", help="A JSON file with the scoring "
                            '({"answers": {"Mycket stort problem": 6, ...}, "missing": '
                            '["Vet ej"], "scale_min": 0, "scale_max": 6}).')
        parser.add_argument("--bands", default="2,4",
                            help="The band limits, e.g. 2,4 (default).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            scoring = safety_index.Scoring.from_dict(
                json.loads(Path(options["scoring"]).read_text("utf-8"))
                if options["scoring"] else None)
            limits = tuple(float(v) for v in options["bands"].split(","))
            if len(limits) != 2:
                raise ValueError("--bands takes two limits")
        except (OSError, ValueError, AttributeError, TypeError) as error:
            raise CommandError(str(error)) from error
        try:
            parsed = io.read_respondents(path.read_bytes(), path.name, scoring)
        except io.FileError as error:
            raise CommandError(str(error)) from error
        if parsed.errors:
            for e in parsed.errors[:50]:
                self.stderr.write(f"rad {e.row}, kolumn {e.column}: {e.message}")
            if len(parsed.errors) > 50:
                self.stderr.write(f"... och {len(parsed.errors) - 50} fel till")
            raise CommandError(f"{len(parsed.errors)} fel: inget räknat")
        data = safety_index.as_json(safety_index.compute(parsed.respondents, parsed.questions),
                                    limits)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        labels = {"normal": "normalvärde eller bättre", "attention": "bör uppmärksammas",
                  "act": "måste åtgärdas", None: "-"}
        for area, a in data["areas"].items():
            self.stdout.write(f"{area}: totalt {a['total']} ({a['n']} svarande)")
            for q, v in a["questions"].items():
                flag = " (osäkert: färre än 30 svar)" if v["n"] < safety_index.MIN_ANSWERS \
                    else ""
                self.stdout.write(f"  {v['index']}  {labels[v['band']]:<26} n={v['n']:<5} "
                                  f"{q}{flag}")
