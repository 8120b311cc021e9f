"""Structured logs: one JSON object a line, each carrying the id of the request (or task) it
belongs to.

``LOG_FORMAT=json`` (production's default) or ``text`` (``DEBUG``'s default) picks the formatter;
``logging_config()`` builds the ``LOGGING`` dictionary that settings and gunicorn's config share.
The request id lives in a context variable: ``RequestIdMiddleware`` sets it from ``X-Request-ID``
(or makes one), Celery's publish/prerun signals carry it into the tasks a request queued, and
``RequestIdFilter`` puts it on every record. Nothing here imports Django, so gunicorn's master
process can load it before the application.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
task_var: contextvars.ContextVar[str] = contextvars.ContextVar("task", default="")

# What a caller may hand us as its request id: short, plain characters (it goes into every line).
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

# The attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "task",
}


def new_request_id() -> str:
    return uuid.uuid4().hex


def clean_request_id(raw: str | None) -> str:
    """The caller's id when it is safe to log as it is, else a new one."""
    if raw and _SAFE_ID.match(raw):
        return raw
    return new_request_id()


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (and ``task``, inside a Celery task) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get() or "-"
        if not getattr(record, "task", ""):
            record.task = task_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request id, task,
    the ``extra=`` fields and the exception's traceback, if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get() or "-",
        }
        task = getattr(record, "task", "") or task_var.get()
        if task:
            entry["task"] = task
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = _plain(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def _plain(value):
    """An ``extra`` value as it may be logged: a request (Django's own log lines attach it) as its
    method and path only, never its query string, which may hold a name."""
    if hasattr(value, "path") and hasattr(value, "method") and hasattr(value, "META"):
        return f"{value.method} {value.path}"
    return value


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(fmt: str = "json", level: str = "INFO") -> dict:
    """The ``LOGGING`` dictionary: the console handler with the request-id filter and the chosen
    formatter; WeasyPrint's layout narration and SQL at INFO kept out."""
    if fmt not in ("json", "text"):
        raise ValueError(f"LOG_FORMAT must be json or text, got {fmt!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "ceasefire.logs.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "ceasefire.logs.JsonFormatter"},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": fmt,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # WeasyPrint narrates every layout step at INFO; keep its warnings
            "weasyprint.progress": {"level": "WARNING"},
            # gunicorn's own logger (docker/gunicorn.conf.py uses this dictionary too)
            "gunicorn.error": {"level": level, "handlers": ["console"], "propagate": False},
        },
    }
