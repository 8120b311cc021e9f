"""python manage.py import_incidents FILE.csv [--dry-run] [--user USERNAME]"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reviews.services import ImportRefused, incidents_import


class Command(BaseCommand):
    help = (
        "Import incidents from a CSV file (all or nothing; re-importing a case number updates it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument("--user", help="Username recorded as the importer in the audit log.")

    def handle(self, *args, file: Path, dry_run: bool, user: str | None, **options):
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No user {user!r}.")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from None
        try:
            report = incidents_import(text=text, user=importer, dry_run=dry_run)
        except ImportRefused as exc:
            for error in exc.row_errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{file} refused: {len(exc.row_errors)} problem(s); nothing was written."
            ) from None
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(
            f"{verb} {len(report.created)}, "
            f"{'would update' if dry_run else 'updated'} {len(report.updated)}, "
            f"unchanged {len(report.unchanged)}."
            + (" Dry run: nothing written." if dry_run else "")
        )
