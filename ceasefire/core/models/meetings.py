"""Meetings of the three kinds and their agenda lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .accounts import Organisation
from .base import Versioned
from .incidents import Incident
from .people import Person


class Meeting(Versioned):
    class Kind(models.TextChoices):
        SHOOTING_REVIEW = "shooting_review", "Shooting review"
        COORDINATION = "coordination", "Coordination meeting"
        PERFORMANCE_REVIEW = "performance_review", "Performance review"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    date = models.DateField()
    window_start = models.DateTimeField(
        null=True, blank=True, help_text="Shooting review: start of the window."
    )
    window_end = models.DateTimeField(
        null=True, blank=True, help_text="Shooting review: end of the window."
    )
    period_start = models.DateField(
        null=True, blank=True, help_text="Performance review: first day of the period."
    )
    period_end = models.DateField(
        null=True, blank=True, help_text="Performance review: last day of the period."
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_meetings",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meetings_attended"
    )
    attending_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="meetings_attended"
    )
    risk_alignment = models.BooleanField(
        default=False, help_text="The agenda covered risk alignment."
    )
    minutes = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["shooting_review", "coordination", "performance_review"]),
                name="meeting_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "in_progress", "closed"]),
                name="meeting_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(window_start__isnull=True)
                | Q(window_end__isnull=True)
                | Q(window_start__lt=models.F("window_end")),
                name="meeting_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=models.F("period_end")),
                name="meeting_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_at__isnull=False),
                name="meeting_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.date:%d %b %Y}"

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class AgendaItem(models.Model):
    """A generic agenda line; meeting apps keep structured answers in their own models."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    section = models.CharField(max_length=40)
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_risk_alignment = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.title
