"""Meeting papers: the pre-meeting brief and the follow-up memo of a meeting, as frozen PDFs.

One row is one version of one paper for one audience (``permissions.paper_audience``): what the
readers of that audience may see, rendered by a background job. A ready paper never changes;
preparing it again makes a new version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .meetings import Meeting


def paper_upload_to(instance: MeetingPaper, filename: str) -> str:
    return f"papers/{instance.meeting_id}/{filename}"


class MeetingPaper(models.Model):
    class Kind(models.TextChoices):
        BRIEF = "brief", "Pre-meeting brief"
        MEMO = "memo", "Follow-up memo"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    PENDING = (Status.QUEUED, Status.RUNNING)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    audience = models.CharField(
        max_length=64, help_text="Who may read it, e.g. police, executive, partner_lead:12."
    )
    audience_label = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=paper_upload_to, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "kind", "audience", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "audience", "version"], name="paper_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["brief", "memo"]), name="paper_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "ready", "failed"]),
                name="paper_status_valid",
            ),
            models.CheckConstraint(  # a ready paper has its stored, fingerprinted file
                condition=~Q(status="ready") | (~Q(sha256="") & ~Q(file="")),
                name="paper_ready_has_file",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "audience", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} — {self.meeting}"

    @property
    def pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def filename(self) -> str:
        kind = self.meeting.kind.replace("_", "-")
        return f"ceasefire-{kind}-{self.meeting.date:%Y-%m-%d}-{self.kind}-v{self.version}.pdf"
