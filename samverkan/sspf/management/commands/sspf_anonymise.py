"""Anonymise closed SSPF/SIG cases whose retention has run out (run daily from cron).

    samverkan sspf_anonymise            # do it, and say what was done
    samverkan sspf_anonymise --dry-run  # only list the cases that are due

Each anonymised case keeps what the figures count (programme, area, sex, age group, dates,
status, outcome); the person, the consents, meetings, actions and participants go. Every removal
is in the audit log (the system as actor), and this command prints a summary."""
from django.core.management.base import BaseCommand

from samverkan.sspf import services


class Command(BaseCommand):
    help = "Anonymise closed SSPF/SIG cases whose retention period has run out."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="List the cases that are due without changing anything.")

    def handle(self, *args, dry_run=False, **options):
        done = services.anonymise_due(dry_run=dry_run)
        for case, removed in done:
            if removed is None:
                self.stdout.write(f"due: {case.reference} (closed {case.closed_on})")
            else:
                parts = ", ".join(f"{k} {v}" for k, v in removed.items())
                self.stdout.write(f"anonymised: {case.reference} (closed {case.closed_on}; "
                                  f"removed {parts})")
        verb = "due" if dry_run else "anonymised"
        self.stdout.write(f"{len(done)} case(s) {verb}.")
