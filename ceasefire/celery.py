"""The Celery application.

Without ``REDIS_URL`` the settings make every task run eagerly in-process, so the embedded
default needs no broker and no worker. ``make run`` also sets ``TASKS_IN_BACKGROUND_THREAD``:
an in-process task then runs on a background thread, so a request that queues a slow job (the
worksheet PDF) answers at once and its page shows the job's progress, as it does with a worker.
"""

from __future__ import annotations

import logging
import os
import uuid
from concurrent.futures import Future, ThreadPoolExecutor

from celery import Celery, signals
from celery import Task as CeleryTask
from celery.result import AsyncResult

from ceasefire.logs import request_id_var, task_var

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
logger = logging.getLogger(__name__)

_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="in-process-task")
_pending: list[Future] = []


class Task(CeleryTask):
    """A task that, in-process and with ``TASKS_IN_BACKGROUND_THREAD``, runs off the request."""

    def apply_async(self, args=None, kwargs=None, task_id=None, **options):
        from django.conf import settings

        if not (self.app.conf.task_always_eager and settings.TASKS_IN_BACKGROUND_THREAD):
            return super().apply_async(args, kwargs, task_id=task_id, **options)
        task_id = task_id or str(uuid.uuid4())
        run = super().apply_async
        _pending.append(_background.submit(_eagerly, run, args, kwargs, task_id, options))
        return AsyncResult(task_id, app=self.app)


def _eagerly(run, args, kwargs, task_id, options):
    from django.db import connections

    try:
        return run(args, kwargs, task_id=task_id, **options)
    except Exception:
        logger.exception("In-process background task %s failed", task_id)
        raise
    finally:
        connections.close_all()  # this thread's connections, not the request's


def wait_for_background_tasks() -> list:
    """Block until every background in-process task has finished (tests, shutdown); results."""
    done = [future.result() for future in _pending]
    _pending.clear()
    return done


app = Celery("ceasefire", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# --- The request id into the tasks a request queued (ceasefire/logs.py) ----------------------
@signals.before_task_publish.connect
def _carry_request_id(headers=None, **_kwargs):
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


@signals.task_prerun.connect
def _enter_task_context(task_id=None, task=None, **_kwargs):
    headers = getattr(task.request, "headers", None) or {}
    request_id = (
        getattr(task.request, "request_id", None)
        or headers.get("request_id")
        or request_id_var.get()
    )
    task.request._log_tokens = (
        request_id_var.set(request_id or f"task-{task_id}"),
        task_var.set(task.name),
    )


@signals.task_postrun.connect
def _leave_task_context(task=None, **_kwargs):
    tokens = getattr(task.request, "_log_tokens", None)
    if tokens:
        task.request._log_tokens = None
        try:
            request_id_var.reset(tokens[0])
            task_var.reset(tokens[1])
        except ValueError:  # set in another context (cannot happen in prerun/postrun pairs)
            pass
