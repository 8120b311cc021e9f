"""Scheduled work of the shared domain: thin entry points over services."""

from celery import shared_task

from . import account_services, health
from .papers import TransientPaperError
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


@shared_task(
    bind=True,
    autoretry_for=(TransientPaperError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=3,
    acks_late=True,
)
def generate_meeting_paper(self, paper_id: int) -> str:
    """Render one meeting paper (brief or memo). Idempotent: leaves a ready or running job."""
    from .papers import paper_build

    if self.request.is_eager:
        for attempt in range(1, self.max_retries + 2):
            try:
                paper = paper_build(paper_id=paper_id, final_attempt=attempt > self.max_retries)
            except TransientPaperError:
                continue
            return paper.status if paper is not None else "skipped"
        return "failed"
    paper = paper_build(paper_id=paper_id, final_attempt=self.request.retries >= self.max_retries)
    return paper.status if paper is not None else "skipped"


@shared_task
def fail_stuck_paper_jobs() -> int:
    """Every five minutes: a paper job whose worker died is marked failed."""
    from .papers import papers_fail_stuck

    return papers_fail_stuck()
