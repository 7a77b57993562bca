"""`samverkan apply_retention`: run daily from cron. Lists and records the recording periods
that fell due for deletion, and the ones a hold keeps."""
from django.core.management.base import BaseCommand
from django.utils import timezone

from samverkan.cameras import services
from samverkan.organizations.models import Municipality


class Command(BaseCommand):
    help = ("Record which camera recording periods fall due for deletion (past retention, "
            "no active hold) and mark them deleted; list those kept by a hold.")

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="Municipality code, e.g. 0484 (default: all)")
        parser.add_argument("--dry-run", action="store_true", help="List only, write nothing")

    def handle(self, *args, municipality=None, dry_run=False, **options):
        target = Municipality.objects.get(code=municipality) if municipality else None
        result = services.apply_retention(municipality=target, dry_run=dry_run)
        for period in result.due:
            self.stdout.write("DELETE  {}  {} – {}  (due {})".format(
                period.camera, timezone.localtime(period.starts_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(period.ends_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(period.due_at).strftime("%Y-%m-%d %H:%M")))
        for period, hold in result.kept:
            self.stdout.write("KEEP    {}  {}  ({} {}, until {})".format(
                period.camera, timezone.localtime(period.starts_at).strftime("%Y-%m-%d"),
                hold.get_reason_display(), hold.reference, hold.keep_until))
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(self.style.SUCCESS(
            f"{len(result.due)} recording periods {verb}, {len(result.kept)} kept by holds."))
