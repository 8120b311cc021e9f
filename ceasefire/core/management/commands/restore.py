"""``manage.py restore ARCHIVE [--force] [--app-role ROLE]``: check the archive's manifest, then
load its database dump and media files (ceasefire/core/backup.py). Refuses a database or media
folder that holds data unless ``--force``."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ceasefire.core.backup import BackupError, describe, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive (database and media) made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar made by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database and media folder that already hold data",
        )
        parser.add_argument(
            "--app-role",
            default="",
            help="grant this application DB role its access afterwards (grant_app_role)",
        )

    def handle(self, *args, archive: str, force: bool, app_role: str, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{path} does not exist")
        try:
            report = restore_backup(path, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if app_role:
            call_command("grant_app_role", app_role, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Restored {path}: {describe(report.manifest)}"))
        if report.pending_migrations:
            self.stdout.write(
                f"{len(report.pending_migrations)} migrations are newer than the backup: "
                "run `manage.py migrate`."
            )
