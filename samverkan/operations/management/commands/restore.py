from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samverkan.operations.backup import restore


class Command(BaseCommand):
    help = ("Restore a backup made by `backup` into the configured database (its contents are "
            "replaced) and MEDIA_ROOT, then check every table against the manifest.")

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--no-media", action="store_true")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, folder, no_media=False, yes=False, **options):
        source = Path(folder)
        if not (source / "manifest.json").exists():
            raise CommandError(f"{source} has no manifest.json: not a backup folder.")
        if not yes and input("This replaces the database's contents. Type 'yes': ") != "yes":
            raise CommandError("Cancelled.")
        problems = restore(source, media=not no_media)
        if problems:
            raise CommandError("The restored database differs from the backup:\n"
                               + "\n".join(problems))
        self.stdout.write("Restored; every table matches the backup's row count and checksum.")
