"""Celery entry points of the performance app: thin, taking ids, calling services.

Without ``REDIS_URL`` the settings run them eagerly in-process (dispatched after commit).
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    bind=True,
    autoretry_for=(services.TransientJobError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=3,
    acks_late=True,
)
def generate_worksheet_pdf(self, worksheet_id: int) -> str:
    """Build one worksheet version's snapshot and PDF. Idempotent: a ready or running job is left alone."""
    worksheet = services.worksheet_build(worksheet_id=worksheet_id, final_attempt=self.request.retries >= self.max_retries)
    return worksheet.status if worksheet is not None else "skipped"


@shared_task
def generate_upcoming_worksheets() -> int:
    """Daily: queue the worksheet of each performance review two days ahead."""
    return len(services.worksheets_for_upcoming_reviews())


@shared_task
def fail_stuck_worksheet_jobs() -> int:
    """Every five minutes: a job whose worker died is marked failed, never left "running"."""
    return services.worksheets_fail_stuck()
