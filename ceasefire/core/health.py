"""Health: is this process alive, and can it serve (database, Redis, a working Celery worker,
disk for media)?

``/health/`` (liveness) answers 200 as long as the process does, touching nothing.
``/health/ready/`` (readiness) runs the checks and answers 200 when every one passes, 503 when any
fails, with per-check JSON; ``?check=database&check=redis`` runs only those (docker-compose's web
healthcheck leaves the worker out, so a dead worker does not take the web replicas down with it).
No sign-in, no personal data, nothing written; no error text either (an exception's class only:
a message could hold a connection string).

``HealthCheckMiddleware`` answers both paths before the host check and the HTTPS redirect, so a
load balancer or ``docker compose`` can ask ``http://127.0.0.1:8000/health/`` whatever
``ALLOWED_HOSTS`` and ``SECURE_SSL_REDIRECT`` say; the URL patterns serve the same views.

The worker check reads a heartbeat: beat schedules ``ceasefire.core.tasks.heartbeat`` every
``HEALTH_HEARTBEAT_SECONDS``; a worker running it writes the time into Redis (the cache). Older than
``HEALTH_HEARTBEAT_MAX_AGE`` seconds means no worker (or no beat, or no broker) is working.
Without a broker (tasks in-process) there is no worker to check: ``skipped``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

HEARTBEAT_KEY = "ceasefire:health:worker-heartbeat"
OK, FAIL, SKIPPED = "ok", "fail", "skipped"

Result = dict


def check_database() -> Result:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": OK}


def check_redis() -> Result:
    if not settings.REDIS_URL:
        return {"status": SKIPPED, "detail": "no REDIS_URL: local-memory cache"}
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return {"status": OK}


def _tasks_in_process() -> bool:
    from ceasefire.celery import app

    return bool(app.conf.task_always_eager)


def check_worker() -> Result:
    if _tasks_in_process():
        return {"status": SKIPPED, "detail": "tasks run in-process"}
    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        return {"status": FAIL, "detail": "no worker heartbeat yet"}
    age = max(0.0, time.time() - float(beat))
    status = OK if age <= settings.HEALTH_HEARTBEAT_MAX_AGE else FAIL
    return {"status": status, "age_seconds": round(age, 1)}


def write_heartbeat(now: float | None = None) -> float:
    """What a worker does for the heartbeat task: the time it ran, kept twice the tolerance."""
    now = time.time() if now is None else now
    cache.set(HEARTBEAT_KEY, now, timeout=max(60, 2 * settings.HEALTH_HEARTBEAT_MAX_AGE))
    return now


def _existing(path: Path) -> Path:
    """The media folder, or its nearest existing parent (storage creates it on the first file)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_media() -> Result:
    folder = _existing(Path(settings.MEDIA_ROOT))
    free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
    writable = os.access(folder, os.W_OK)
    ok = writable and free_mb >= settings.HEALTH_MEDIA_MIN_FREE_MB
    result = {"status": OK if ok else FAIL, "free_mb": free_mb}
    if not writable:
        result["detail"] = "not writable"
    elif not ok:
        result["detail"] = f"less than {settings.HEALTH_MEDIA_MIN_FREE_MB} MB free"
    return result


CHECKS: dict[str, Callable[[], Result]] = {
    "database": check_database,
    "redis": check_redis,
    "worker": check_worker,
    "media": check_media,
}


def run_checks(names: list[str] | None = None) -> tuple[bool, dict[str, Result]]:
    """Every check (or the named ones), each timed; an exception fails that check only."""
    results: dict[str, Result] = {}
    for name in names or list(CHECKS):
        started = time.perf_counter()
        try:
            result = CHECKS[name]()
        except Exception as exc:  # a health check reports failures, it does not raise them
            result = {"status": FAIL, "detail": type(exc).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    healthy = all(r["status"] != FAIL for r in results.values())
    return healthy, results


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0"
    return response


@require_safe
def live(request):
    return _json({"status": OK})


@require_safe
def ready(request):
    names = request.GET.getlist("check")
    unknown = sorted(set(names) - set(CHECKS))
    if unknown:
        return _json(
            {"status": FAIL, "detail": f"unknown checks {unknown}; known: {sorted(CHECKS)}"},
            status=400,
        )
    healthy, results = run_checks(names)
    return _json({"status": OK if healthy else FAIL, "checks": results}, 200 if healthy else 503)


class HealthCheckMiddleware:
    """Answers the health paths before the host check, the HTTPS redirect and the sign-in gates,
    with the site's Content-Security-Policy (CSPMiddleware never sees these responses)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._views: dict[str, Callable] | None = None

    def views(self) -> dict[str, Callable]:
        if self._views is None:
            self._views = {reverse("core:health"): live, reverse("core:health-ready"): ready}
        return self._views

    def __call__(self, request):
        view = self.views().get(request.path_info)
        if view is None:
            return self.get_response(request)
        from csp.utils import build_policy

        response = view(request)
        response["Content-Security-Policy"] = build_policy()
        response["X-Content-Type-Options"] = "nosniff"
        return response
