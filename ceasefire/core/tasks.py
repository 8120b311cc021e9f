"""Scheduled work of the shared domain: thin entry points over services."""

from celery import shared_task

from .retention import retention_run


@shared_task
def retention_nightly() -> dict:
    """Lapse due designations and purge people with nothing recent (idempotent)."""
    report = retention_run(dry_run=False)
    return {"lapsed": report.lapsed, "purged": len(report.purged)}
