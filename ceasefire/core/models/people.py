"""People, groups and the conflicts between groups. Affiliations are intelligence (police only)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .accounts import Organisation
from .base import Versioned

# No designation below this age on the day; from it up to adulthood a person is a juvenile.
JUVENILE_MIN_AGE = 13
ADULT_AGE = 18
# Group and conflict records are re-validated this often, or the nightly run archives them.
REVALIDATE_YEARS = 3


def years_after(day: dt.date, years: int) -> dt.date:
    """``day`` moved ``years`` on (29 February falls back to 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class RevalidatedQuerySet(models.QuerySet):
    def current(self):
        """Not archived: the records pickers offer and counts of active records include."""
        return self.filter(archived_on__isnull=True)

    def revalidation_due_by(self, day: dt.date):
        """Current records whose re-validation falls due on or before ``day``."""
        return self.current().filter(validated_on__lte=years_after(day, -REVALIDATE_YEARS))


class Revalidated:
    """Computed by the server from the last validation, never edited."""

    @property
    def revalidation_due(self) -> dt.date:
        return years_after(self.validated_on, REVALIDATE_YEARS)

    @property
    def revalidation_overdue(self) -> bool:
        return self.archived_on is None and self.revalidation_due < timezone.localdate()


class Group(Revalidated, Versioned):
    name = models.CharField(max_length=200, unique=True)
    area = models.CharField(max_length=100, blank=True)
    active = models.BooleanField(default=True)
    description = models.TextField(blank=True, help_text="Intelligence: police only.")
    validated_on = models.DateField(
        default=timezone.localdate,
        help_text="Last re-validated; archived by the nightly run three years later.",
    )
    archived_on = models.DateField(null=True, blank=True, editable=False)

    objects = RevalidatedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Conflict(Revalidated, Versioned):
    class Status(models.TextChoices):
        HOT = "hot", "Hot"
        ACTIVE = "active", "Active"
        DORMANT = "dormant", "Dormant"

    group_a = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="conflicts_as_a")
    group_b = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        related_name="conflicts_as_b",
        null=True,
        blank=True,
        help_text="Leave empty for a conflict within one group.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True, help_text="Intelligence: police only.")
    validated_on = models.DateField(
        default=timezone.localdate,
        help_text="Last re-validated; made dormant by the nightly run three years later.",
    )
    archived_on = models.DateField(null=True, blank=True, editable=False)

    objects = RevalidatedQuerySet.as_manager()

    class Meta:
        ordering = ["status", "group_a__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["hot", "active", "dormant"]), name="conflict_status_valid"
            )
        ]

    def __str__(self) -> str:
        if self.group_b_id:
            return f"{self.group_a} vs {self.group_b}"
        return f"Within {self.group_a}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.HOT, self.Status.ACTIVE)


class Person(Versioned):
    class Gender(models.TextChoices):
        MALE = "male", "Male"
        FEMALE = "female", "Female"
        NONBINARY = "nonbinary", "Non-binary"
        UNKNOWN = "unknown", "Unknown"

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    aliases = models.CharField(max_length=300, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    age_estimate = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.UNKNOWN)
    neighbourhood = models.CharField(max_length=100, blank=True)
    on_supervision = models.BooleanField("on probation/parole", default=False)
    supervising_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisees",
        help_text="The probation/parole organisation supervising this person.",
    )
    in_custody = models.BooleanField(default=False)
    deceased = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    purged_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when retention purged the person: the row is a content-free tombstone.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_estimate__isnull=True) | Q(age_estimate__lte=110),
                name="person_age_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def clean(self) -> None:
        super().clean()
        if self.date_of_birth:
            today = timezone.localdate()
            if self.date_of_birth > today:
                raise ValidationError({"date_of_birth": "A date of birth cannot be in the future."})
            if self.date_of_birth < today.replace(year=today.year - 110):
                raise ValidationError(
                    {"date_of_birth": "That date of birth makes the person over 110 years old."}
                )

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    def age_on(self, day: dt.date) -> int | None:
        """Whole years on ``day``: from the date of birth, else from the age estimate (the
        person's age today), counted back to ``day`` — the lower bound, so an estimate never
        makes someone older than they may be."""
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if self.age_estimate is None:
            return None
        today = timezone.localdate()
        years = today.year - day.year - ((today.month, today.day) < (day.month, day.day))
        return max(self.age_estimate - years - (1 if day < today else 0), 0)

    @property
    def is_juvenile(self) -> bool:
        """13 to 17 on the day: marked juvenile wherever the person appears."""
        age = self.age
        return age is not None and JUVENILE_MIN_AGE <= age < ADULT_AGE


class GroupAffiliation(models.Model):
    """A person's group label and the basis for it: intelligence, police only."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="affiliations")
    basis = models.TextField()
    since = models.DateField()
    active = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-since"]
        constraints = [
            models.CheckConstraint(condition=~Q(basis=""), name="affiliation_basis_required")
        ]
        indexes = [
            # a group's active members, counted from the index alone (the groups list)
            models.Index(fields=["group"], condition=Q(active=True), name="affiliation_active_idx")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.group}"
