from django.core.management.base import BaseCommand, CommandError

from samverkan.demo.loader import DEMO_PASSWORD, NotADemoDatabase, load_demo


class Command(BaseCommand):
    help = ("Load the demo data from the seed agreements (idempotent) and print the logins. "
            "Refuses on a database with real data (other municipalities' records, users who "
            "are not demo users) unless --force.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Load even though the database holds real data (demo "
                                 "accounts are still not created where real users work).")

    def handle(self, *args, force=False, **options):
        try:
            logins = load_demo(stdout=self.stdout, force=force)
        except NotADemoDatabase as exc:
            raise CommandError(f"This database holds real data: {exc}. The demo, with its "
                               "published password, is not loaded. Use --force to load it "
                               "anyway.") from exc
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo users (password: {DEMO_PASSWORD}):"))
        for username, description in logins:
            self.stdout.write(f"  {username:<13} {description}")
