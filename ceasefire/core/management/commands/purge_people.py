"""Lapse due designations and purge people with nothing recent; ``--dry-run`` only lists them."""

from django.core.management.base import BaseCommand

from ceasefire.core.retention import people_due_for_purge, retention_run


class Command(BaseCommand):
    help = (
        "Lapse designations past their review date and purge people whose last designation, "
        "involvement, task and contact are all older than RETENTION_YEARS (a content-free "
        "tombstone stays). With --dry-run, list what the next run would do and change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="change nothing; list only")

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            for person in people_due_for_purge().iterator():
                self.stdout.write(f"would purge person #{person.pk}")
        report = retention_run(dry_run=dry_run)
        verb = "would" if dry_run else "did"
        self.stdout.write(
            f"Retention cutoff {report.cutoff.isoformat()}: {verb} lapse {report.lapsed} "
            f"designation(s), {verb} purge {len(report.purged)} person(s) and {verb} archive "
            f"{report.archived_groups} group(s) and {report.archived_conflicts} conflict(s) "
            "not re-validated for three years."
        )
