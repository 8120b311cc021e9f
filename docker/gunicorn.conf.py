"""gunicorn's settings for the web replicas (docker-compose's `web`: `gunicorn -c
docker/gunicorn.conf.py ceasefire.wsgi:application`). Every value can be changed from the
environment; README "Deployment" explains the choice.

- ``gthread`` workers: each of WEB_CONCURRENCY processes serves GUNICORN_THREADS requests at once,
  so a slow page (an export, a PDF download) no longer holds a whole worker while the others queue,
  and persistent database connections (DB_CONN_MAX_AGE) are kept per thread. Processes × threads
  is the most database connections one replica opens.
- Each worker warms up before its first request (``post_worker_init``: views imported, templates
  compiled; ``ceasefire.core.warmup``), so a restarted or recycled worker is not slow for the
  people in a meeting.
- No access log from gunicorn: the app writes one JSON line per request with its request id and
  without the query string (a search may hold a name); errors go to stderr as JSON too.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ceasefire.logs import logging_config  # after the path is set

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle a worker now and then (memory held by WeasyPrint, openpyxl), staggered.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Workers' heartbeat files in memory, not on the container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = None
errorlog = "-"
logconfig_dict = logging_config(
    os.environ.get("LOG_FORMAT", "json"), os.environ.get("LOG_LEVEL", "INFO")
)
# gunicorn writes access lines whenever a logging config is given: silence them (query strings).
logconfig_dict["loggers"]["gunicorn.access"] = {
    "level": "CRITICAL",
    "handlers": [],
    "propagate": False,
}


def post_worker_init(worker):
    """After the worker loaded the app (Django is set up), before it accepts a request."""
    from ceasefire.core.warmup import warm_up

    warm_up()
