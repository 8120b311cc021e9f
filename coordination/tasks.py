"""Celery entry points of the coordination app: thin, they call services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="coordination.tasks.send_followup_digests")
def send_followup_digests() -> int:
    """Daily (Celery beat): each organisation's overdue and due-this-week follow-ups by e-mail."""
    return services.followup_digests_send()
