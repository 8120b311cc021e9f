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
    """Build one worksheet version's snapshot and PDF. Idempotent: leaves a ready or running job.

    On a worker, a transient error is retried by Celery with exponential backoff. In-process
    (no broker, eager mode) there is nothing to schedule a retry on, so the attempts run at once.
    """
    if self.request.is_eager:
        return _build_in_process(worksheet_id, attempts=self.max_retries + 1)
    worksheet = services.worksheet_build(
        worksheet_id=worksheet_id, final_attempt=self.request.retries >= self.max_retries
    )
    return worksheet.status if worksheet is not None else "skipped"


def _build_in_process(worksheet_id: int, *, attempts: int) -> str:
    for attempt in range(1, attempts + 1):
        try:
            worksheet = services.worksheet_build(
                worksheet_id=worksheet_id, final_attempt=attempt == attempts
            )
        except services.TransientJobError:
            continue
        return worksheet.status if worksheet is not None else "skipped"
    return "failed"


@shared_task
def generate_upcoming_worksheets() -> int:
    """Daily: queue the worksheet of each performance review two days ahead."""
    return len(services.worksheets_generate_upcoming())


@shared_task
def fail_stuck_worksheet_jobs() -> int:
    """Every five minutes: a job whose worker died is marked failed, never left "running"."""
    return services.worksheets_fail_stuck()
