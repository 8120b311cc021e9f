"""The shooting review's own structure: answers, decisions and choices made in one review.

The facts (incidents, people, designations, tasks, shares) live in the shared model;
these rows hold what a review says about them, so the minutes can show who decided what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ceasefire.core.models import Incident, Meeting, Person, RiskDesignation, Versioned


class ReviewIncident(Versioned):
    """One shooting on a review's agenda, with the analytic answers given about it."""

    class Retaliation(models.TextChoices):
        UNKNOWN = "unknown", "Not yet assessed"
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="review_incidents")
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="review_entries")
    order = models.PositiveIntegerField(default=0)
    motive = models.TextField("circumstance / motive", blank=True)
    retaliation = models.CharField(
        "likelihood of retaliation",
        max_length=16,
        choices=Retaliation.choices,
        default=Retaliation.UNKNOWN,
    )
    risk_notes = models.TextField("people at imminent risk — notes", blank=True)
    facts_at_close = models.JSONField(
        default=dict,
        blank=True,
        help_text="The incident's facts as they stood when the review closed (the minutes).",
    )

    class Meta:
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "incident"], name="review_incident_once_per_review"
            ),
            models.CheckConstraint(
                condition=Q(retaliation__in=["unknown", "low", "medium", "high"]),
                name="review_incident_retaliation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident} at {self.meeting}"


class ReviewSummary(Versioned):
    """The review-wide answers of the risk assessment section."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="review_summary")
    hottest_conflicts = models.TextField("hottest conflicts — assessment", blank=True)
    enforcement_priorities = models.TextField(blank=True)
    deliverables_at_close = models.JSONField(
        default=list,
        blank=True,
        help_text="The prior deliverables as they stood when the review closed (the minutes).",
    )

    def __str__(self) -> str:
        return f"Risk assessment of {self.meeting}"


class RiskDecision(models.Model):
    """A facilitator confirmed or dismissed a suggested person at imminent risk. Never automatic."""

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", "At imminent risk"
        DISMISSED = "dismissed", "Dismissed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="risk_decisions")
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="risk_decisions")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    reason = models.CharField(
        max_length=500,
        help_text="The reasons accepted (confirmed), or those offered (dismissed), as one line.",
    )
    offered_reasons = models.JSONField(
        default=list, blank=True, help_text="The ranked reasons the suggestion gave: code, text."
    )
    accepted_reasons = models.JSONField(
        default=list, blank=True, help_text="The reasons the facilitator accepted on confirming."
    )
    score = models.PositiveSmallIntegerField(default=0, help_text="The suggestion's score.")
    dismissal_reason = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "incident", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "incident", "person"], name="risk_decision_once"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["confirmed", "dismissed"]), name="risk_decision_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_decision_display()} ({self.incident})"

    @property
    def accepted_codes(self) -> list[str]:
        return [r.get("code") for r in self.accepted_reasons]


class DesignationDecision(models.Model):
    """What the review decided about a person's risk designation, with its basis (minutes)."""

    class Action(models.TextChoices):
        DESIGNATE = "designate", "Designated"
        RENEW = "renew", "Renewed"
        LAPSE = "lapse", "Let lapse"
        CONFIRM = "confirm", "Confirmed (made outside a review)"
        REJECT = "reject", "Rejected (made outside a review)"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="designation_decisions"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    designation = models.ForeignKey(RiskDesignation, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    basis = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["designate", "renew", "lapse", "confirm", "reject"]),
                name="designation_decision_valid",
            ),
            models.CheckConstraint(
                condition=~Q(basis=""), name="designation_decision_basis_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_action_display()}"


class FollowUpChoice(models.Model):
    """A person the review chose for partner follow-up; shared with coordination at closing."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="followup_choices")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    risk_assessment = models.CharField(max_length=300, default="At high risk of violence")
    recommended_interventions = models.JSONField(default=list, blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "chosen_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="followup_choice_once"),
            models.CheckConstraint(
                condition=~Q(risk_assessment=""), name="followup_choice_assessment_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} for partner follow-up"


class ImportJob(models.Model):
    """An uploaded file being imported in the background: its progress, then its result.

    The file is stored until the job ends (then deleted: the log keeps no copy of a records
    extract); ``errors`` keeps every bad row's line and reason (the first 1,000).
    """

    class Kind(models.TextChoices):
        INCIDENTS = "incidents", "Incidents"
        PEOPLE = "people", "People and involvements (records-system extract)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        CHECKING = "checking", "Checking rows"
        WRITING = "writing", "Writing"
        DONE = "done", "Done"
        REFUSED = "refused", "Refused (nothing written)"
        FAILED = "failed", "Failed (nothing written)"

    FINISHED = (Status.DONE, Status.REFUSED, Status.FAILED)
    MAX_ERRORS_KEPT = 1000

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INCIDENTS)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # the last sign of life of the job's worker (every progress save): the reaper's clock
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.filename or self.kind})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED
