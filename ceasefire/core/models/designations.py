"""Risk designations (history kept, nothing overwritten) and shares with the partnership."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .incidents import Incident
from .meetings import Meeting
from .people import Person

REVIEW_EVERY = dt.timedelta(days=90)  # the default; PartnershipSettings may shorten it
HARD_MAXIMUM_YEARS = 5  # from the last validation, whatever the review interval


def hard_maximum(validated_on: dt.date) -> dt.date:
    """Five years after ``validated_on`` (29 February falls back to 28 February)."""
    try:
        return validated_on.replace(year=validated_on.year + HARD_MAXIMUM_YEARS)
    except ValueError:
        return validated_on.replace(year=validated_on.year + HARD_MAXIMUM_YEARS, day=28)


class DesignationQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> DesignationQuerySet:
        """Confirmed designations in force on ``day``: started, not ended, review not passed.
        A pending designation (made outside a review, not yet confirmed) is never in force."""
        return (
            self.confirmed()
            .filter(designated_on__lte=day, review_due__gte=day)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        )

    def confirmed(self) -> DesignationQuerySet:
        return self.filter(status=RiskDesignation.Status.CONFIRMED)

    def pending(self) -> DesignationQuerySet:
        return self.filter(status=RiskDesignation.Status.PENDING)

    def vhr(self) -> DesignationQuerySet:
        return self.filter(level=RiskDesignation.Level.VHR)

    def open(self) -> DesignationQuerySet:
        """Not ended by a renewal, lapse or withdrawal (may be past its review date)."""
        return self.filter(ended_on__isnull=True)


class RiskDesignation(models.Model):
    """A person's risk level with its basis. History is kept: renewals create a new row."""

    class Level(models.TextChoices):
        VHR = "vhr", "Very high risk (VHR)"
        HIGH = "high", "High risk"

    class EndReason(models.TextChoices):
        RENEWED = "renewed", "Renewed"
        LAPSED = "lapsed", "Lapsed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REJECTED = "rejected", "Rejected by a review"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending: the next shooting review confirms or rejects it"
        CONFIRMED = "confirmed", "Confirmed by a shooting review"
        REJECTED = "rejected", "Rejected by a shooting review"

    class Criterion(models.TextChoices):
        """The fixed list a designation's basis ticks from; free text alone is never a basis."""

        VICTIM_RECENT = "victim_recent_shooting", "Victim of a recent shooting"
        SUSPECT_RECENT = "suspect_recent_shooting", "Suspect in a recent shooting"
        ASSOCIATE_CONFLICT = (
            "associate_recent_victim_conflict",
            "Associate of a recent victim in an active conflict",
        )
        CONFLICT_INCIDENTS = (
            "named_active_conflict_incidents",
            "Named in an active conflict's recent incidents",
        )
        RETALIATION_THREAT = (
            "credible_retaliation_threat",
            "Credible threat of retaliation, documented at a review",
        )
        RECENT_GUN_ARREST = "recent_gun_arrest", "Arrested for a gun offence in the last year"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="designations")
    level = models.CharField(max_length=8, choices=Level.choices)
    basis = models.TextField(
        help_text="Intelligence: the criteria and facts that support the designation."
    )
    basis_incidents = models.ManyToManyField(Incident, blank=True, related_name="designations")
    basis_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="designations"
    )
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    criteria = models.JSONField(
        default=list, blank=True, help_text="Intelligence: criteria ticked from the fixed list."
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, editable=False
    )
    confirmed_in = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_on = models.DateField(null=True, blank=True)
    needs_basis = models.BooleanField(
        default=False,
        editable=False,
        help_text="Recorded before criteria were required and no basis could be derived: the "
        "next review documents one or lets it lapse.",
    )
    designated_on = models.DateField()
    review_due = models.DateField(editable=False, help_text="Computed by the server: never edited.")
    expires_on = models.DateField(
        null=True,
        editable=False,
        help_text="The hard maximum: five years from the last validation, whatever happens.",
    )
    renews = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_by"
    )
    renewal_count = models.PositiveSmallIntegerField(
        default=0, help_text="How many renewals precede this one."
    )
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DesignationQuerySet.as_manager()

    class Meta:
        ordering = ["-designated_on", "-id"]
        indexes = [
            models.Index(fields=["person", "level", "designated_on", "review_due"]),
            # "in force during a window" (the worksheet's focus measures): review_due >= start first
            models.Index(
                fields=["level", "review_due", "designated_on"], name="designation_in_force_idx"
            ),
            # the open ones (a few thousand of a city's hundred thousand): a review's due list,
            # the pending ones and their fingerprints read only these
            models.Index(
                fields=["status", "review_due"],
                condition=Q(ended_on__isnull=True),
                name="designation_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(basis=""), name="designation_basis_required"),
            models.CheckConstraint(
                condition=Q(level__in=["vhr", "high"]), name="designation_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_due__gte=models.F("designated_on")),
                name="designation_review_after_start",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(review_due__lte=models.F("expires_on")),
                name="designation_review_within_hard_maximum",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "rejected"]),
                name="designation_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end_reason=""))
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="designation_end_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_level_display()} from {self.designated_on}"

    def clean(self) -> None:
        super().clean()
        if not (self.basis or "").strip():
            raise ValidationError(
                {"basis": "A designation needs a basis: the incidents or review that support it."}
            )
        unknown = set(self.criteria or []) - set(self.Criterion.values)
        if unknown:
            raise ValidationError({"criteria": "Tick criteria from the list only."})

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def criteria_labels(self) -> list[str]:
        labels = dict(self.Criterion.choices)
        return [labels.get(c, c) for c in self.criteria or []]

    def status_on(self, day: dt.date) -> str:
        if self.status != self.Status.CONFIRMED:
            return self.status
        if self.ended_on and self.ended_on <= day:
            return self.get_end_reason_display().lower()
        if day < self.designated_on:
            return "future"
        if day > self.review_due:
            return "lapsed"
        return "active"


class PartnershipShare(models.Model):
    """A person shared with the partnership: partners receive the assessment, never the
    intelligence behind it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="shares")
    risk_assessment = models.CharField(
        max_length=300,
        help_text='Shared to avoid imminent danger, e.g. "at high risk of violence".',
    )
    recommended_interventions = models.JSONField(default=list, blank=True)
    source_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    reason = models.CharField(
        max_length=500,
        blank=True,
        help_text="Why the person is shared (required for every new share; police only).",
    )
    shared_with = models.CharField(
        max_length=200,
        default="The coordination partnership",
        help_text="To whom: who may now read the assessment.",
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(withdrawn_at__isnull=True),
                name="share_one_active_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} shared {self.shared_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
