"""Verify the audit log's hash chain: prints the first broken or missing row, exits non-zero."""

from django.core.management.base import BaseCommand, CommandError

from ceasefire.core.audit import verify_chain
from ceasefire.core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit status 1 and the first bad row if broken."

    def handle(self, *args, **options):
        broken = verify_chain()
        if broken is not None:
            raise CommandError(f"Audit log broken at {broken}.")
        self.stdout.write(
            self.style.SUCCESS(f"Audit log intact: {AuditEvent.objects.count():,} rows chained.")
        )
