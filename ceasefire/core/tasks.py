"""Nightly jobs of the core: thin entry points over the account services."""

from celery import shared_task

from . import account_services


@shared_task
def disable_inactive_accounts() -> int:
    return len(account_services.accounts_disable_inactive())


@shared_task
def verify_audit_log() -> bool:
    """True when the chain holds; on a break the administrators are e-mailed."""
    return account_services.audit_log_check() is None
