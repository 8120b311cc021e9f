"""Celery entry points of the performance app: thin, taking ids, calling services.

Without ``REDIS_URL`` the settings run them eagerly in-process (dispatched after commit).
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import worker_process_init

from . import services

logger = logging.getLogger(__name__)


@worker_process_init.connect
def warm_pdf_renderer(**kwargs) -> None:
    """Each worker process renders the current period's worksheet as it starts, so the first PDF
    job finds WeasyPrint, the fonts, the template and the period's cached figures ready (see
    ``performance.pdf``); without a database yet, a small page like it."""
    from . import selectors
    from .pdf import worksheet_pdf_warm_up

    try:
        snapshot = selectors.worksheet_compute(selectors.period_current())
    except Exception:  # no database yet (or not migrated): warm the renderer alone
        logger.warning("PDF warm-up without figures", exc_info=True)
        snapshot = None
    try:
        logger.info("PDF renderer warmed up in %.2f s", worksheet_pdf_warm_up(snapshot))
    except Exception:  # never stop a worker from starting: the first job just renders cold
        logger.exception("PDF renderer warm-up failed")


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
