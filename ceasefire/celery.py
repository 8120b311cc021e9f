"""The Celery application.

Without ``REDIS_URL`` the settings make every task run eagerly in-process, so
the embedded default needs no broker and no worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")

app = Celery("ceasefire")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
