"""Scheduled work of the shared domain: thin entry points over services."""

from celery import shared_task

from . import account_services, health
from .retention import retention_run


@shared_task
def disable_inactive_accounts() -> int:
    return len(account_services.accounts_disable_inactive())


@shared_task
def verify_audit_log() -> bool:
    """True when the chain holds; on a break the administrators are e-mailed."""
    return account_services.audit_log_check() is None


@shared_task
def retention_nightly() -> dict:
    """Lapse due designations and purge people with nothing recent (idempotent)."""
    report = retention_run(dry_run=False)
    return {"lapsed": report.lapsed, "purged": len(report.purged)}


@shared_task(ignore_result=True)
def heartbeat() -> float:
    """Beat's heartbeat: a worker ran this, so the readiness check's worker test passes."""
    return health.write_heartbeat()
