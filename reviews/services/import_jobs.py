"""Import jobs: the upload (or the command) stores the file and queues a job; the job checks and
writes the file in the background, saving its progress as it goes.

``import_job_create`` stores the file and dispatches ``reviews.tasks.run_import_job`` after
commit; ``import_job_run`` (the task's body, and the command's) streams the file through
``bulk_import``: progress after every batch, every bad row kept with its line, all or nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from ceasefire.core.audit import Action, audit_record
from ceasefire.core.models import User

from ..imports import RowError, iter_incident_rows
from ..models import ImportJob
from ..people_imports import iter_people_rows
from .bulk_import import BulkResult, incidents_check, incidents_write
from .people_import import people_check, people_write

log = logging.getLogger(__name__)


@transaction.atomic
def import_job_create(
    *,
    user: User | None,
    file: File,
    dry_run: bool = False,
    kind: str = ImportJob.Kind.INCIDENTS,
    dispatch: bool = True,
) -> ImportJob:
    """Store the uploaded file and queue its job (dispatched once this transaction commits)."""
    name = (getattr(file, "name", "") or "import.csv").rsplit("/", 1)[-1][:200]
    if not name.lower().endswith(".csv"):
        raise ValidationError({"file": "Upload a .csv file."})
    job = ImportJob(kind=kind, filename=name, dry_run=dry_run, created_by=user)
    job.file.save(name, file, save=False)
    job.full_clean()
    job.save()
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=job,
        detail={"import": kind, "file": name, "dry_run": dry_run},
    )
    if dispatch:
        from ..tasks import run_import_job

        job_id = job.pk
        transaction.on_commit(lambda: run_import_job.delay(job_id))
    return job


def _rows(job: ImportJob):
    handle = job.file.open("rb")
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    parse = iter_people_rows if job.kind == ImportJob.Kind.PEOPLE else iter_incident_rows
    return handle, parse(text, max_rows=settings.IMPORT_MAX_ROWS)


def _save(job: ImportJob, **fields) -> None:
    """Progress is written straight away (outside any transaction), so the page sees it.

    Every save is also the worker's heartbeat: ``import_jobs_fail_stuck`` reaps a job without one.
    """
    fields.setdefault("heartbeat_at", timezone.now())
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _finish(job: ImportJob, status: str, checked: BulkResult | None, **extra) -> ImportJob:
    fields = {"status": status, "finished_at": timezone.now()}
    if checked is not None:
        fields.update(
            rows_checked=checked.rows_checked,
            error_count=checked.error_count,
            errors=[{"line": e.line, "reason": e.reason} for e in checked.errors],
            result={**checked.as_dict(), "dry_run": job.dry_run},
        )
    fields.update(extra)
    _save(job, **fields)
    if job.file:
        job.file.delete(save=False)
        _save(job, file="")
    audit_record(
        actor=job.created_by,
        action=Action.CREATE if status == ImportJob.Status.DONE else Action.CHANGE,
        obj=job,
        object_type="core.involvement" if job.kind == ImportJob.Kind.PEOPLE else "core.incident",
        detail={"import": True, "job": job.pk, "status": status, **(job.result or {})},
    )
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Check the job's file, then (unless refused or a dry run) write it. Never half-writes."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job
    _save(job, status=ImportJob.Status.CHECKING, started_at=timezone.now())
    try:
        people = job.kind == ImportJob.Kind.PEOPLE
        check = people_check if people else incidents_check
        handle, items = _rows(job)
        with handle:
            result = check(
                items,
                progress=lambda r: _save(
                    job, rows_checked=r.rows_checked, error_count=r.error_count
                ),
            )
        if result.error_count:
            return _finish(job, ImportJob.Status.REFUSED, result)
        if job.dry_run:
            return _finish(job, ImportJob.Status.DONE, result)
        _save(job, status=ImportJob.Status.WRITING, rows_checked=result.rows_checked)
        handle, items = _rows(job)
        with handle:
            rows = (item for item in items if not isinstance(item, RowError))
            progress = lambda n: _save(job, rows_written=n)  # noqa: E731
            if people:
                with transaction.atomic():  # the rows and the job's "done" commit together
                    written = people_write(rows, user=job.created_by, progress=progress)
                    return _finish(
                        job,
                        ImportJob.Status.DONE,
                        result,
                        rows_written=result.rows_checked,
                        result={**written, "dry_run": False},
                    )
            with transaction.atomic():  # the rows and the job's "done" commit together
                written = incidents_write(rows, user=job.created_by, progress=progress)
                return _finish(job, ImportJob.Status.DONE, result, rows_written=written)
    except UnicodeDecodeError:
        job.errors = [{"line": 0, "reason": "The file is not UTF-8 text."}]
        return _finish(job, ImportJob.Status.REFUSED, None, errors=job.errors, error_count=1)
    except Exception as exc:  # the job must end in a state, never stay "checking" or "writing"
        log.exception("import job %s failed", job.pk)
        return _finish(
            job,
            ImportJob.Status.FAILED,
            None,
            errors=[{"line": 0, "reason": f"The import failed: {exc.__class__.__name__}"}],
        )


def _stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.IMPORT_JOB_STALE_MINUTES)


def import_jobs_fail_stuck(*, now: dt.datetime | None = None) -> int:
    """Mark failed the jobs whose worker died: "checking" or "writing" with no progress heartbeat
    for ``IMPORT_JOB_STALE_MINUTES``, or still queued that long (no worker picked them up).

    Nothing was written (a job's writes commit with its "done"), so the message says to upload
    the file again; the stored file is deleted like any finished job's.
    """
    now = now or timezone.now()
    limit = now - _stale_after()
    minutes = settings.IMPORT_JOB_STALE_MINUTES
    running = (ImportJob.Status.CHECKING, ImportJob.Status.WRITING)
    stuck = ImportJob.objects.annotate(
        last_sign=Coalesce("heartbeat_at", "started_at", "created_at")
    ).filter(
        Q(status__in=running, last_sign__lt=limit)
        | Q(status=ImportJob.Status.QUEUED, created_at__lt=limit)
    )
    reaped = 0
    for job in stuck.select_related("created_by"):
        if job.status == ImportJob.Status.QUEUED:
            reason = (
                f"No worker picked up this import within {minutes} minutes. Nothing was written;"
                " check that the Celery worker is running, then upload the file again."
            )
        else:
            reason = (
                f"The import stopped responding: no progress for {minutes} minutes while"
                f" {job.get_status_display().lower()} (its worker probably stopped). Nothing was"
                " written; upload the file again."
            )
        # only if it is still the same stuck job (a worker that wakes up keeps its own result)
        claimed = ImportJob.objects.filter(
            pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at
        ).update(status=ImportJob.Status.FAILED)
        if not claimed:
            continue
        job.status = ImportJob.Status.FAILED
        errors = [{"line": 0, "reason": reason}]
        _finish(job, ImportJob.Status.FAILED, None, errors=errors, error_count=1)
        reaped += 1
    if reaped:
        log.warning("Marked %s stuck import jobs as failed", reaped)
    return reaped
