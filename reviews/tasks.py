"""Scheduled work of the shooting-review app: thin entry points over services."""

from celery import shared_task

from . import services


@shared_task
def prepare_open_reviews() -> int:
    """Keep open reviews' agendas current as shootings are logged or imported during the week."""
    return sum(services.reviews_prepare_open().values())


@shared_task
def run_import_job(job_id: int) -> str:
    """Check and write one uploaded import file (see ``services.import_job_run``)."""
    return services.import_job_run(job_id=job_id).status


@shared_task
def fail_stuck_import_jobs() -> int:
    """Mark failed the import jobs whose worker died (no progress heartbeat; see the service)."""
    return services.import_jobs_fail_stuck()
