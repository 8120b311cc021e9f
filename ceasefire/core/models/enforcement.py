"""Police units, their staffing, enforcement actions and enforcement-plan status."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .accounts import Organisation
from .base import Versioned
from .people import Group, Person


class Unit(models.Model):
    """A police unit whose staffing and focus the enforcement indicator tracks."""

    class Kind(models.TextChoices):
        AREA = "area", "Area unit"
        SPECIALISED = "specialised", "Specialised unit"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class EnforcementAction(Versioned):
    """Corrected with optimistic locking (``record_services.enforcement_action_correct``)."""

    class Kind(models.TextChoices):
        ARREST_VIOLENT_GUN = "arrest_violent_gun", "Arrest for a violent or gun offence"
        ARREST_OTHER = "arrest_other", "Arrest, other offence"
        WARRANT = "warrant", "Search or arrest warrant"
        SUPERVISION = "supervision", "Probation/parole compliance check"
        OTHER = "other", "Other"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="enforcement_actions"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="enforcement_actions"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="enforcement_actions"
    )
    taken_on = models.DateField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-taken_on"]
        indexes = [models.Index(fields=["taken_on", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(group__isnull=False),
                name="enforcement_has_subject",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "arrest_violent_gun",
                        "arrest_other",
                        "warrant",
                        "supervision",
                        "other",
                    ]
                ),
                name="enforcement_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.taken_on}"


class UnitStaffing(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="staffing")
    recorded_on = models.DateField()
    authorised = models.PositiveSmallIntegerField()
    filled = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit", "-recorded_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(authorised__gt=0), name="staffing_authorised_positive"
            ),
            models.CheckConstraint(
                condition=Q(filled__lte=models.F("authorised")),
                name="staffing_filled_within_authorised",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.filled}/{self.authorised} on {self.recorded_on}"


class EnforcementPlanStatus(models.Model):
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="plan_statuses"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="plan_statuses"
    )
    recorded_on = models.DateField()
    up_to_date = models.BooleanField()
    notes = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_on"]
        verbose_name_plural = "enforcement plan statuses"
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(group__isnull=False),
                name="plan_status_has_subject",
            ),
        ]

    def __str__(self) -> str:
        state = "up to date" if self.up_to_date else "out of date"
        return f"Plan for {self.unit or self.group}: {state}"
