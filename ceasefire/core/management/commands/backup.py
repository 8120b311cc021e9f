"""``manage.py backup [--output DIR]``: the database (pg_dump) and MEDIA_ROOT in one archive with
a manifest (ceasefire/core/backup.py). Prints the archive's path."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ceasefire.core.backup import BackupError, create_backup, describe, read_manifest


class Command(BaseCommand):
    help = "Back up the PostgreSQL database and the media files into one archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default="backups", help="folder for the archive (default: ./backups)"
        )

    def handle(self, *args, output: str, **options):
        try:
            archive = create_backup(Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        with tempfile.TemporaryDirectory() as tmp:
            manifest = read_manifest(archive, Path(tmp))  # read back: the archive is whole
        self.stdout.write(self.style.SUCCESS(f"{archive}: {describe(manifest)}"))
