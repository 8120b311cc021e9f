"""Incidents and who was involved. An incident's kind is derived from its victims (SPEC §3)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .base import Versioned
from .people import Conflict, Group, Person


class IncidentKind(models.TextChoices):
    HOMICIDE = "homicide", "Homicide"
    NONFATAL_SHOOTING = "nonfatal_shooting", "Non-fatal injury shooting"
    NON_INJURY_SHOOTING = "non_injury_shooting", "Non-injury shooting"
    OTHER = "other", "Other (not a shooting)"


class IncidentQuerySet(models.QuerySet):
    def with_kind(self) -> IncidentQuerySet:
        """Annotate ``kind_code`` derived from victims, in SQL (filterable, no N+1).

        The same rule as ``derive_kind``, on the victim counts the database keeps per incident.
        """
        return self.annotate(
            kind_code=models.Case(
                models.When(fatal_victims__gt=0, then=models.Value(IncidentKind.HOMICIDE)),
                models.When(
                    weapon=Incident.Weapon.FIREARM,
                    nonfatal_victims__gt=0,
                    then=models.Value(IncidentKind.NONFATAL_SHOOTING),
                ),
                models.When(
                    weapon=Incident.Weapon.FIREARM,
                    then=models.Value(IncidentKind.NON_INJURY_SHOOTING),
                ),
                default=models.Value(IncidentKind.OTHER),
                output_field=models.CharField(),
            )
        )

    def of_kind(self, kind: str) -> IncidentQuerySet:
        return self.with_kind().filter(kind_code=kind)

    def counted(self) -> IncidentQuerySet:
        return self.filter(counting_status=Incident.CountingStatus.COUNTED)

    def in_window(self, start: dt.datetime, end: dt.datetime) -> IncidentQuerySet:
        """Half-open window [start, end) of aware datetimes."""
        return self.filter(occurred_at__gte=start, occurred_at__lt=end)


class Incident(Versioned):
    class Weapon(models.TextChoices):
        FIREARM = "firearm", "Firearm"
        OTHER = "other", "Other"

    class Circumstance(models.TextChoices):
        GROUP_CONFLICT = "group_conflict", "Group/gang conflict"
        PERSONAL_DISPUTE = "personal_dispute", "Personal dispute"
        DOMESTIC = "domestic", "Domestic"
        ROBBERY = "robbery", "Robbery"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Unknown"

    class GroupInvolved(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Unknown"

    class CountingStatus(models.TextChoices):
        COUNTED = "counted", "Counted"
        HELD = "held", "Held (under review)"
        UNFOUNDED = "unfounded", "Unfounded"

    case_number = models.CharField("report (case) number", max_length=40, unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    address = models.CharField(max_length=200)
    area = models.CharField("police area", max_length=40, blank=True, db_index=True)
    beat = models.CharField(max_length=20, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    weapon = models.CharField(max_length=16, choices=Weapon.choices, default=Weapon.FIREARM)
    circumstance = models.CharField(
        max_length=32, choices=Circumstance.choices, default=Circumstance.UNKNOWN
    )
    group_involved = models.CharField(
        max_length=8, choices=GroupInvolved.choices, default=GroupInvolved.UNKNOWN
    )
    groups = models.ManyToManyField(Group, blank=True, related_name="incidents")
    conflict = models.ForeignKey(
        Conflict, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )
    related_incidents = models.ManyToManyField("self", blank=True, symmetrical=True)
    narrative = models.TextField(blank=True, help_text="Intelligence: police only.")
    counting_status = models.CharField(
        max_length=16, choices=CountingStatus.choices, default=CountingStatus.COUNTED
    )
    counting_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # How many of the victims were killed / wounded. Kept by the database itself (triggers on
    # core_involvement, migration 0007), whatever writes the victims; Django never writes them
    # after the insert (see save). The worksheet sums them instead of joining every incident of
    # four years to its victims.
    fatal_victims = models.PositiveSmallIntegerField(default=0, editable=False)
    nonfatal_victims = models.PositiveSmallIntegerField(default=0, editable=False)

    DATABASE_MAINTAINED = ("fatal_victims", "nonfatal_victims")

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            # The shooting log's order (its pages and the API's cursor pages read it, issue 14).
            models.Index(
                models.F("occurred_at").desc(), models.F("id").desc(), name="incident_log_order_idx"
            ),
            # Windows of counted incidents; on PostgreSQL it also covers what the worksheet's
            # outcome figures need, so they read the index, not the (wide) rows.
            models.Index(
                fields=["counting_status", "occurred_at"],
                include=["id", "weapon", "fatal_victims", "nonfatal_victims"],
                name="incident_outcomes_idx",
            ),
            # Homicides of every year (the worksheet's first chart).
            models.Index(
                fields=["occurred_at"],
                include=["fatal_victims"],
                condition=Q(counting_status="counted", fatal_victims__gt=0),
                name="incident_homicides_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weapon__in=["firearm", "other"]), name="incident_weapon_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    circumstance__in=[
                        "group_conflict",
                        "personal_dispute",
                        "domestic",
                        "robbery",
                        "other",
                        "unknown",
                    ]
                ),
                name="incident_circumstance_valid",
            ),
            models.CheckConstraint(
                condition=Q(group_involved__in=["yes", "no", "unknown"]),
                name="incident_group_involved_valid",
            ),
            models.CheckConstraint(
                condition=Q(counting_status__in=["counted", "held", "unfounded"]),
                name="incident_counting_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(counting_status="counted") | ~Q(counting_reason=""),
                name="incident_not_counted_needs_reason",
            ),
            models.CheckConstraint(
                condition=~Q(case_number=""), name="incident_case_number_required"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.case_number}"

    def save(self, **kwargs) -> None:
        """Never write the victim counts the database keeps: a new incident has no victims yet, and
        an in-memory copy may be older than the victims saved since it was loaded."""
        if self._state.adding:
            self.fatal_victims = self.nonfatal_victims = 0
        elif kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.DATABASE_MAINTAINED
            ]
        super().save(**kwargs)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.occurred_at and self.occurred_at > timezone.now() + dt.timedelta(minutes=5):
            errors["occurred_at"] = "An incident cannot have happened in the future."
        if self.counting_status != self.CountingStatus.COUNTED and not self.counting_reason.strip():
            errors["counting_reason"] = "Give a reason when an incident is held or unfounded."
        if errors:
            raise ValidationError(errors)

    @property
    def kind(self) -> str:
        """Derived from victims (SPEC §3). Uses the ``kind_code`` annotation when present."""
        annotated = getattr(self, "kind_code", None)
        if annotated:
            return annotated
        injuries = set(
            self.involvements.filter(role=Involvement.Role.VICTIM).values_list("injury", flat=True)
        )
        return derive_kind(self.weapon, injuries)

    def get_kind_display(self) -> str:
        return IncidentKind(self.kind).label


def derive_kind(weapon: str, victim_injuries: set[str]) -> str:
    """Pure rule: homicide if any fatal victim; else firearm + wounded → non-fatal;
    firearm → non-injury."""
    if Involvement.Injury.FATAL in victim_injuries:
        return IncidentKind.HOMICIDE
    if weapon == Incident.Weapon.FIREARM:
        if Involvement.Injury.NONFATAL in victim_injuries:
            return IncidentKind.NONFATAL_SHOOTING
        return IncidentKind.NON_INJURY_SHOOTING
    return IncidentKind.OTHER


class Involvement(models.Model):
    """Incident ↔ person. A victim may be recorded before being identified (person empty)."""

    class Role(models.TextChoices):
        VICTIM = "victim", "Victim"
        SUSPECT = "suspect", "Suspect"
        ASSOCIATE = "associate", "Associate at risk"
        WITNESS = "witness", "Witness"

    class Injury(models.TextChoices):
        FATAL = "fatal", "Fatal"
        NONFATAL = "nonfatal", "Non-fatal"
        NONE = "none", "Not injured"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="involvements")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="involvements"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    injury = models.CharField(max_length=16, choices=Injury.choices, blank=True)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["incident", "role", "id"]
        indexes = [
            models.Index(fields=["role", "injury", "incident"]),
            # what happened to a person after a call-in (the worksheet's post-call-in outcomes):
            # named as a suspect, killed or wounded -- read by person, without the table
            models.Index(
                fields=["person"],
                include=["incident", "role", "injury"],
                condition=Q(role="suspect") | Q(role="victim", injury__in=["fatal", "nonfatal"]),
                name="involvement_outcome_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["victim", "suspect", "associate", "witness"]),
                name="involvement_role_valid",
            ),
            models.CheckConstraint(
                condition=(Q(role="victim") & Q(injury__in=["fatal", "nonfatal", "none"]))
                | (~Q(role="victim") & Q(injury="")),
                name="involvement_injury_only_for_victims",
            ),
            models.CheckConstraint(
                condition=Q(role="victim") | Q(person__isnull=False),
                name="involvement_only_victims_unidentified",
            ),
            models.UniqueConstraint(
                fields=["incident", "person", "role"],
                condition=Q(person__isnull=False),
                name="involvement_unique_person_role",
            ),
        ]

    def __str__(self) -> str:
        who = str(self.person) if self.person_id else "Unidentified"
        return f"{who} ({self.get_role_display()}) in {self.incident}"
