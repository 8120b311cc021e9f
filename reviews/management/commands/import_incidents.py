"""python manage.py import_incidents FILE.csv [--dry-run] [--user USERNAME]

The same path as the upload page: the file becomes an import job, run here in-process.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from reviews.models import ImportJob
from reviews.services import import_job_create, import_job_run


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
            with file.open("rb") as handle:
                job = import_job_create(
                    user=importer,
                    file=File(handle, name=file.name),
                    dry_run=dry_run,
                    dispatch=False,
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        job = import_job_run(job_id=job.pk)
        if job.status != ImportJob.Status.DONE:
            for error in job.errors:
                prefix = f"Line {error['line']}: " if error["line"] else ""
                self.stderr.write(prefix + error["reason"])
            raise CommandError(
                f"{file} {job.status}: {job.error_count} problem(s); nothing was written."
            )
        result = job.result
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(
            f"{verb} {result['created']}, "
            f"{'would update' if dry_run else 'updated'} {result['updated']}, "
            f"unchanged {result['unchanged']}." + (" Dry run: nothing written." if dry_run else "")
        )
