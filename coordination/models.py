"""Structure the coordination meeting needs beyond the shared model.

* ``PersonPlan`` — a person's plan discussed at one coordination meeting (the interventions
  themselves are ``Task`` rows with ``source_meeting`` and ``subject_person``).
* ``LongTermPlan`` — the standing plan for a chronically high-risk person, kept across meetings.
* ``PartnershipHealthItem`` — coordination, boundaries, client concerns about law enforcement,
  programme strategy and resource needs; carried forward until closed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ceasefire.core.models import Meeting, Organisation, Person, Versioned


class PersonPlan(Versioned):
    """The per-person plan made at one coordination meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="person_plans")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="coordination_plans")
    notes = models.TextField(
        blank=True, help_text="Who is best placed, when, what the family needs."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["meeting", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="person_plan_one_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"Plan for {self.person} at {self.meeting}"


class LongTermPlan(Versioned):
    """The standing plan for a chronically high-risk person (one per person, edited over time)."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="long_term_plan")
    plan = models.TextField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(plan=""), name="long_term_plan_not_empty")
        ]

    def __str__(self) -> str:
        return f"Long-term plan for {self.person}"


class PartnershipHealthItem(Versioned):
    """A partnership-health issue with an owner and a status, carried forward until closed."""

    class Category(models.TextChoices):
        COORDINATION = "coordination", "Coordination"
        BOUNDARIES = "boundaries", "Boundaries"
        CLIENT_CONCERNS = "client_concerns", "Client concerns about law enforcement"
        PROGRAMME_STRATEGY = "programme_strategy", "Programme strategy"
        RESOURCE_NEEDS = "resource_needs", "Resource needs"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    category = models.CharField(max_length=32, choices=Category.choices)
    title = models.CharField(max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="health_items"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="health_items",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(blank=True)
    raised_at = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="health_items_raised"
    )
    closed_at = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="health_items_closed"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["status", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    category__in=[
                        "coordination",
                        "boundaries",
                        "client_concerns",
                        "programme_strategy",
                        "resource_needs",
                    ]
                ),
                name="health_item_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "closed"]),
                name="health_item_status_valid",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="health_item_title_required"),
            models.CheckConstraint(
                condition=Q(status="closed") | Q(closed_at__isnull=True),
                name="health_item_closed_meeting_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
