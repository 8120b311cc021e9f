"""The abstract base of records two people may edit at once (optimistic locking)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Versioned(models.Model):
    """Optimistic locking: every change bumps ``version``; see ``concurrency.save_versioned``."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True
