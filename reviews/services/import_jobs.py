"""Import jobs: the upload (or the command) stores the file and queues a job; the job checks and
writes the file in the background, saving its progress as it goes.

``import_job_create`` stores the file and dispatches ``reviews.tasks.run_import_job`` after
commit; ``import_job_run`` (the task's body, and the command's) streams the file through
``bulk_import``: progress after every batch, every bad row kept with its line, all or nothing.
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
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
    """Progress is written straight away (outside any transaction), so the page sees it."""
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
