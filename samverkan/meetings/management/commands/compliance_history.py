"""``samverkan compliance_history [--today YYYY-MM-DD]`` (run daily from cron)

Judges every agreement's compliance page (Lag 2023:196 and Brå's five steps) and writes a
history entry for each checkpoint whose verdict changed since its last entry, e.g. when the
yearly situation picture falls outside its interval, or a signatory is recorded. A hand tick
records its change at once; everything else is recorded by this run. Judged on what everyone in the
collaboration may read (never on restricted records)."""
from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from samverkan.agreements.models import Agreement
from samverkan.meetings import services


class Command(BaseCommand):
    help = "Record changes of the compliance checkpoints of every agreement."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Judge as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--agreement", type=int, help="Only this agreement (id).")

    def handle(self, *args, today=None, agreement=None, **options):
        if today:
            try:
                today = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today: not a date: {today}") from exc
        agreements = Agreement.objects.order_by("pk")
        if agreement is not None:
            agreements = agreements.filter(pk=agreement)
            if not agreements.exists():
                raise CommandError(f"--agreement: no agreement with id {agreement}")
        total = 0
        for item in agreements.iterator():
            changes = services.record_compliance_history(item, today=today)
            total += len(changes)
            for change in changes:
                self.stdout.write(f"{item.pk} {change.key}: {change.status}")
        self.stdout.write(f"{total} changes recorded.")
