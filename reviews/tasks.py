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
