from django.core.management.base import BaseCommand

from samverkan.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo data from the seed agreements (idempotent) and print the logins."

    def handle(self, *args, **options):
        logins = load_demo(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo users (password: {DEMO_PASSWORD}):"))
        for username, description in logins:
            self.stdout.write(f"  {username:<13} {description}")
