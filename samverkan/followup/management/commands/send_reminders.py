"""``samverkan send_reminders [--today YYYY-MM-DD] [--dry-run]`` (run daily from cron)

E-mails each contributor whose organisation has follow-up reports due within 7 days or
overdue, and the municipality's coordinators one summary per round. Each e-mail is a
background job (one per recipient, sent by the job worker); every reminder is recorded once
the mail server accepted it, so running the command again sends nothing new until something
new is due. E-mail goes through Django's e-mail backend (the console in the demo)."""
from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from samverkan.followup import services


class Command(BaseCommand):
    help = "E-mail reminders of follow-up reports that are due soon or overdue."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Print what would be sent; send and record nothing.")

    def handle(self, *args, today=None, dry_run=False, **options):
        if today:
            try:
                today = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today: not a date: {today}") from exc
        run = services.send_reminders(today=today, dry_run=dry_run)
        for user, subject, _body in run.emails:
            self.stdout.write(f"{'(dry run) ' if dry_run else ''}{user.email}: {subject}")
        self.stdout.write(f"{len(run.emails)} e-mails queued ({run.reminders} reminders).")
