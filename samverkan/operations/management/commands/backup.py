from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from samverkan.operations.backup import backup


class Command(BaseCommand):
    help = ("Back up the database (pg_dump, or SQLite's online backup) and the uploaded files "
            "into a folder, with a manifest of row counts and checksums per table.")

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="Default: backups/<date-time>/")
        parser.add_argument("--no-media", action="store_true", help="Leave out MEDIA_ROOT.")

    def handle(self, *args, folder=None, no_media=False, **options):
        target = Path(folder or f"backups/{timezone.now():%Y%m%d-%H%M%S}")
        manifest = backup(target, media=not no_media)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(f"Backup in {target}: {len(manifest['tables'])} tables, {rows} rows"
                          f"{', uploaded files' if manifest['media'] else ''}.")
