"""Tasks: deliverables (shooting review), follow-ups (coordination), commitments (performance)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .accounts import Organisation
from .base import Versioned
from .meetings import Meeting
from .people import Conflict, Group, Person


class Task(Versioned):
    """A deliverable (shooting review), follow-up (coordination) or commitment (performance)."""

    class Kind(models.TextChoices):
        INFORMATION_GATHERING = "information_gathering", "Information gathering"
        CUSTOM_NOTIFICATION = "custom_notification", "Custom notification"
        HOSPITAL_RESPONSE = "hospital_response", "Hospital response"
        FAMILY_SUPPORT = "family_support", "Family support"
        LIFE_COACH = "life_coach", "Life-coach follow-up"
        CONFLICT_MEDIATION = "conflict_mediation", "Conflict mediation / violence interruption"
        IN_REACH = "in_reach", "Jail or prison in-reach"
        STREET_OUTREACH = "street_outreach", "Street outreach"
        ENFORCEMENT = "enforcement", "Enforcement action"
        SERVICE_REFERRAL = "service_referral", "Service referral"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        BLOCKED = "blocked", "Blocked"
        CANCELLED = "cancelled", "Cancelled"

    class Referral(models.TextChoices):
        """A task given to another organisation is a referral: it accepts or declines it."""

        AWAITING = "awaiting", "Awaiting acceptance"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.BLOCKED)

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    subject_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    subject_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    subject_conflict = models.ForeignKey(
        Conflict, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    assigned_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="tasks"
    )
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    source_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # closed-loop referral: tasks made before it existed, or for the maker's own organisation,
    # are accepted from the start
    referral = models.CharField(max_length=16, choices=Referral.choices, default=Referral.ACCEPTED)
    referral_answered_at = models.DateTimeField(null=True, blank=True)
    referral_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["assigned_organisation", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["referral", "created_at"], name="task_referral_created"),
            # referrals made in a window, whatever their state (the coordination page's health)
            models.Index(fields=["created_at"], name="task_created_idx"),
            # the open ones by due date: every list of open work (home, follow-ups, escalations,
            # carried forward) takes its first page in order from a few hundred entries
            models.Index(
                fields=["due_date", "id"],
                condition=Q(status__in=["open", "in_progress", "blocked"]),  # OPEN_STATUSES
                name="task_open_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "done", "blocked", "cancelled"]),
                name="task_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "information_gathering",
                        "custom_notification",
                        "hospital_response",
                        "family_support",
                        "life_coach",
                        "conflict_mediation",
                        "in_reach",
                        "street_outreach",
                        "enforcement",
                        "service_referral",
                        "other",
                    ]
                ),
                name="task_kind_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(subject_person__isnull=True, subject_group__isnull=True)
                    | Q(subject_person__isnull=True, subject_conflict__isnull=True)
                    | Q(subject_group__isnull=True, subject_conflict__isnull=True)
                ),
                name="task_one_subject_at_most",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="task_title_required"),
            models.CheckConstraint(
                condition=Q(referral__in=["awaiting", "accepted", "declined"]),
                name="task_referral_valid",
            ),
            models.CheckConstraint(
                condition=~Q(referral="declined", decline_reason=""),
                name="task_decline_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def awaiting_acceptance(self) -> bool:
        return self.referral == self.Referral.AWAITING and self.is_open

    @property
    def subject(self):
        return self.subject_person or self.subject_group or self.subject_conflict


class TaskUpdate(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    status_from = models.CharField(max_length=16, blank=True)
    status_to = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Update on {self.task} at {self.created_at:%Y-%m-%d}"

    @property
    def status_to_label(self) -> str:
        """The new status in words ("In progress"), never the stored code."""
        return Task.Status(self.status_to).label if self.status_to in Task.Status.values else ""
