from django.core.management.base import BaseCommand, CommandError

from samverkan.demo.guard import remove_demo
from samverkan.demo.loader import (
    DEMO_MUNICIPALITIES,
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    NotADemoDatabase,
    load_demo,
)


class Command(BaseCommand):
    help = ("Load the demo data from the seed agreements (idempotent) and print the logins. "
            "Refuses a database that holds real work unless --force; --remove takes the demo "
            "away again.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Load even though the database holds real work (no demo account is created "
                 "in a municipality where real users work).")
        parser.add_argument(
            "--remove", action="store_true",
            help="Remove every record of the demo's municipalities and close the demo "
                 "accounts.")

    def handle(self, *args, force=False, remove=False, **options):
        if remove:
            try:
                removed = remove_demo(DEMO_MUNICIPALITIES, DEMO_USERNAMES)
            except ValueError as exc:
                raise CommandError(
                    "Real users work in the demo's municipalities; nothing was removed:\n"
                    f"{exc}") from exc
            total = sum(n for label, n in removed.items() if "." in label)
            self.stdout.write(self.style.SUCCESS(
                f"Demo removed: {total} records, {removed.get('demo accounts closed', 0)} "
                f"demo accounts closed."))
            return
        try:
            logins = load_demo(stdout=self.stdout, force=force)
        except NotADemoDatabase as exc:
            raise CommandError(
                "This database holds real work, so the demo is not loaded into it (its "
                "accounts have a published password):\n  " + "\n  ".join(exc.lines)
                + "\nUse a separate database for the demo, or --force if you are sure.") from exc
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo users (password: {DEMO_PASSWORD}):"))
        for username, description in logins:
            self.stdout.write(f"  {username:<13} {description}")
