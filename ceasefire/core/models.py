"""The shared data model of SPEC §3, used by all three meeting apps.

Models hold structure and invariants (constraints, ``clean``); writes happen in
``services.py``, reads in ``selectors.py``, access decisions in ``permissions.py``.
Records that a second person may edit at the same time carry a ``version``
(optimistic locking, see ``concurrency.py``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Versioned(models.Model):
    """Optimistic locking: every change bumps ``version``; see ``concurrency.save_versioned``."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        abstract = True


# --- Organisations and users ----------------------------------------------------


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        HUMAN_SERVICES = "human_services", "Human services"
        PROBATION = "probation", "Probation"
        COMMUNITY_BASED = "community_based", "Community-based organisation"
        FAITH_COMMUNITY = "faith_community", "Faith / community"
        MAYORS_OFFICE = "mayors_office", "Mayor's office"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    email = models.EmailField(blank=True, help_text="Where the daily follow-up digest is sent.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=["police", "human_services", "probation", "community_based", "faith_community", "mayors_office"]
                ),
                name="organisation_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    AUDITOR = "auditor", "Auditor"
    POLICE_FACILITATOR = "police_facilitator", "Police facilitator"
    POLICE_VIEWER = "police_viewer", "Police viewer"
    PARTNER_LEAD = "partner_lead", "Partner lead"
    PARTNER_STAFF = "partner_staff", "Partner staff"
    COMMUNITY_PARTNER = "community_partner", "Community partner"
    EXECUTIVE = "executive", "Executive"


class CeasefireUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """One role per user; every user belongs to one organisation (SPEC §2)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="users", null=True)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PARTNER_STAFF)

    objects = CeasefireUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.organisation_id is None and not self.is_superuser:
            raise ValidationError({"organisation": "Every user belongs to an organisation."})


class PartnershipSettings(models.Model):
    """The partnership's few settings, one row (admin-editable)."""

    city_name = models.CharField(max_length=100, default="Oakland")
    police_lead = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The police organisation whose attendance counts for the partnership indicator.",
    )
    human_services_lead = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The human-services lead whose attendance counts for the partnership indicator.",
    )
    designation_review_days = models.PositiveSmallIntegerField(default=90)
    coordination_meetings_per_month = models.PositiveSmallIntegerField(default=2)

    class Meta:
        verbose_name = verbose_name_plural = "partnership settings"

    def __str__(self) -> str:
        return f"Settings for {self.city_name}"

    @classmethod
    def load(cls) -> PartnershipSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


# --- Groups, conflicts, people -------------------------------------------------------


class Group(models.Model):
    name = models.CharField(max_length=200, unique=True)
    area = models.CharField(max_length=100, blank=True)
    active = models.BooleanField(default=True)
    description = models.TextField(blank=True, help_text="Intelligence: police only.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Conflict(Versioned):
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

    class Meta:
        ordering = ["status", "group_a__name"]
        constraints = [models.CheckConstraint(condition=Q(status__in=["hot", "active", "dormant"]), name="conflict_status_valid")]

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

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_estimate__isnull=True) | Q(age_estimate__lte=110), name="person_age_plausible"
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
                raise ValidationError({"date_of_birth": "That date of birth makes the person over 110 years old."})

    @property
    def age(self) -> int | None:
        if self.date_of_birth:
            today = timezone.localdate()
            dob = self.date_of_birth
            return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
        return self.age_estimate


class GroupAffiliation(models.Model):
    """A person's group label and the basis for it: intelligence, police only."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="affiliations")
    basis = models.TextField()
    since = models.DateField()
    active = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-since"]
        constraints = [models.CheckConstraint(condition=~Q(basis=""), name="affiliation_basis_required")]

    def __str__(self) -> str:
        return f"{self.person} — {self.group}"


# --- Incidents ---------------------------------------------------------------------------


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
                    weapon=Incident.Weapon.FIREARM, nonfatal_victims__gt=0, then=models.Value(IncidentKind.NONFATAL_SHOOTING)
                ),
                models.When(weapon=Incident.Weapon.FIREARM, then=models.Value(IncidentKind.NON_INJURY_SHOOTING)),
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
    circumstance = models.CharField(max_length=32, choices=Circumstance.choices, default=Circumstance.UNKNOWN)
    group_involved = models.CharField(max_length=8, choices=GroupInvolved.choices, default=GroupInvolved.UNKNOWN)
    groups = models.ManyToManyField(Group, blank=True, related_name="incidents")
    conflict = models.ForeignKey(Conflict, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents")
    related_incidents = models.ManyToManyField("self", blank=True, symmetrical=True)
    narrative = models.TextField(blank=True, help_text="Intelligence: police only.")
    counting_status = models.CharField(max_length=16, choices=CountingStatus.choices, default=CountingStatus.COUNTED)
    counting_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
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
            models.CheckConstraint(condition=Q(weapon__in=["firearm", "other"]), name="incident_weapon_valid"),
            models.CheckConstraint(
                condition=Q(circumstance__in=["group_conflict", "personal_dispute", "domestic", "robbery", "other", "unknown"]),
                name="incident_circumstance_valid",
            ),
            models.CheckConstraint(
                condition=Q(group_involved__in=["yes", "no", "unknown"]), name="incident_group_involved_valid"
            ),
            models.CheckConstraint(
                condition=Q(counting_status__in=["counted", "held", "unfounded"]), name="incident_counting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(counting_status="counted") | ~Q(counting_reason=""),
                name="incident_not_counted_needs_reason",
            ),
            models.CheckConstraint(condition=~Q(case_number=""), name="incident_case_number_required"),
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
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in self.DATABASE_MAINTAINED
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
        injuries = set(self.involvements.filter(role=Involvement.Role.VICTIM).values_list("injury", flat=True))
        return derive_kind(self.weapon, injuries)

    def get_kind_display(self) -> str:
        return IncidentKind(self.kind).label


def derive_kind(weapon: str, victim_injuries: set[str]) -> str:
    """Pure rule: homicide if any fatal victim; else firearm + wounded → non-fatal; firearm → non-injury."""
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
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField(max_length=16, choices=Role.choices)
    injury = models.CharField(max_length=16, choices=Injury.choices, blank=True)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["incident", "role", "id"]
        indexes = [models.Index(fields=["role", "injury", "incident"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["victim", "suspect", "associate", "witness"]), name="involvement_role_valid"
            ),
            models.CheckConstraint(
                condition=(Q(role="victim") & Q(injury__in=["fatal", "nonfatal", "none"])) | (~Q(role="victim") & Q(injury="")),
                name="involvement_injury_only_for_victims",
            ),
            models.CheckConstraint(
                condition=Q(role="victim") | Q(person__isnull=False), name="involvement_only_victims_unidentified"
            ),
            models.UniqueConstraint(
                fields=["incident", "person", "role"], condition=Q(person__isnull=False), name="involvement_unique_person_role"
            ),
        ]

    def __str__(self) -> str:
        who = str(self.person) if self.person_id else "Unidentified"
        return f"{who} ({self.get_role_display()}) in {self.incident}"


# --- Meetings, designations, sharing, tasks ---------------------------------------------


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
    window_start = models.DateTimeField(null=True, blank=True, help_text="Shooting review: start of the window.")
    window_end = models.DateTimeField(null=True, blank=True, help_text="Shooting review: end of the window.")
    period_start = models.DateField(null=True, blank=True, help_text="Performance review: first day of the period.")
    period_end = models.DateField(null=True, blank=True, help_text="Performance review: last day of the period.")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="facilitated_meetings"
    )
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="meetings_attended")
    attending_organisations = models.ManyToManyField(Organisation, blank=True, related_name="meetings_attended")
    risk_alignment = models.BooleanField(default=False, help_text="The agenda covered risk alignment.")
    minutes = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["shooting_review", "coordination", "performance_review"]), name="meeting_kind_valid"
            ),
            models.CheckConstraint(condition=Q(state__in=["draft", "in_progress", "closed"]), name="meeting_state_valid"),
            models.CheckConstraint(
                condition=Q(window_start__isnull=True) | Q(window_end__isnull=True) | Q(window_start__lt=models.F("window_end")),
                name="meeting_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_end__isnull=True) | Q(period_start__lte=models.F("period_end")),
                name="meeting_period_ordered",
            ),
            models.CheckConstraint(condition=~Q(state="closed") | Q(closed_at__isnull=False), name="meeting_closed_has_time"),
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
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_risk_alignment = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.title


class DesignationQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> DesignationQuerySet:
        """Designations in force on ``day``: started, not ended, review not yet passed."""
        return self.filter(designated_on__lte=day, review_due__gte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))

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

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="designations")
    level = models.CharField(max_length=8, choices=Level.choices)
    basis = models.TextField(help_text="Intelligence: the criteria and facts that support the designation.")
    basis_incidents = models.ManyToManyField(Incident, blank=True, related_name="designations")
    basis_meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="designations")
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    designated_on = models.DateField()
    review_due = models.DateField()
    renews = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_by")
    renewal_count = models.PositiveSmallIntegerField(default=0, help_text="How many renewals precede this one.")
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = DesignationQuerySet.as_manager()

    class Meta:
        ordering = ["-designated_on", "-id"]
        indexes = [
            models.Index(fields=["person", "level", "designated_on", "review_due"]),
            # "in force during a window" (the worksheet's focus measures): review_due >= start first
            models.Index(fields=["level", "review_due", "designated_on"], name="designation_in_force_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(basis=""), name="designation_basis_required"),
            models.CheckConstraint(condition=Q(level__in=["vhr", "high"]), name="designation_level_valid"),
            models.CheckConstraint(condition=Q(review_due__gte=models.F("designated_on")), name="designation_review_after_start"),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end_reason="")) | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="designation_end_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_level_display()} from {self.designated_on}"

    def clean(self) -> None:
        super().clean()
        if not (self.basis or "").strip():
            raise ValidationError({"basis": "A designation needs a basis: the incidents or review that support it."})

    def status_on(self, day: dt.date) -> str:
        if self.ended_on and self.ended_on <= day:
            return self.get_end_reason_display().lower()
        if day < self.designated_on:
            return "future"
        if day > self.review_due:
            return "lapsed"
        return "active"


class PartnershipShare(models.Model):
    """A person shared with the partnership: what partners receive is the assessment, never the intelligence."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="shares")
    risk_assessment = models.CharField(
        max_length=300, help_text='Shared to avoid imminent danger, e.g. "at high risk of violence".'
    )
    recommended_interventions = models.JSONField(default=list, blank=True)
    source_meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    withdrawal_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(withdrawn_at__isnull=True), name="share_one_active_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} shared {self.shared_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Task(Versioned):
    """A deliverable (shooting review), follow-up (coordination) or commitment (performance review)."""

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

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.BLOCKED)

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    subject_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    subject_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    subject_conflict = models.ForeignKey(Conflict, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    assigned_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="tasks")
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    source_meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["assigned_organisation", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "done", "blocked", "cancelled"]), name="task_status_valid"
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
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def subject(self):
        return self.subject_person or self.subject_group or self.subject_conflict


class TaskUpdate(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    status_from = models.CharField(max_length=16, blank=True)
    status_to = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Update on {self.task} at {self.created_at:%Y-%m-%d}"


# --- Contact and intervention records (feed the worksheet) ---------------------------------


class CallIn(models.Model):
    held_on = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    attendees = models.ManyToManyField(Person, blank=True, related_name="call_ins")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Call-in {self.held_on}"


class CustomNotification(models.Model):
    class Outcome(models.TextChoices):
        DELIVERED = "delivered", "Delivered"
        REFUSED = "refused", "Refused to listen"
        NOT_FOUND = "not_found", "Could not be found"
        POSTPONED = "postponed", "Postponed"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="custom_notifications")
    delivered_on = models.DateField()
    delivered_by = models.CharField(max_length=200, help_text="Who delivered it (names / roles).")
    delivering_organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.DELIVERED)
    help_accepted = models.BooleanField("offer of help accepted", default=False)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="custom_notifications")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-delivered_on"]
        indexes = [models.Index(fields=["delivered_on", "person"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["delivered", "refused", "not_found", "postponed"]), name="notification_outcome_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Custom notification to {self.person} on {self.delivered_on}"


class Enrolment(models.Model):
    """Case-management enrolment of a person with a provider organisation."""

    class ReferralSource(models.TextChoices):
        CALL_IN = "call_in", "Call-in"
        CUSTOM_NOTIFICATION = "custom_notification", "Custom notification"
        CEASEFIRE_OTHER = "ceasefire_other", "Ceasefire other"
        OUTREACH = "outreach", "Outreach"
        NON_CEASEFIRE_OTHER = "non_ceasefire_other", "Non-Ceasefire other"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="enrolments")
    referral_source = models.CharField(max_length=32, choices=ReferralSource.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["provider", "started_on", "ended_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    referral_source__in=["call_in", "custom_notification", "ceasefire_other", "outreach", "non_ceasefire_other"]
                ),
                name="enrolment_referral_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")), name="enrolment_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["person", "provider"], condition=Q(ended_on__isnull=True), name="enrolment_one_open_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} with {self.provider} from {self.started_on}"


class ServiceContact(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="service_contacts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="service_contacts")
    contacted_on = models.DateField()
    kind = models.CharField(max_length=32, choices=Task.Kind.choices, default=Task.Kind.OTHER)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="service_contacts")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-contacted_on"]

    def __str__(self) -> str:
        return f"Contact with {self.person} on {self.contacted_on}"


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


class EnforcementAction(models.Model):
    class Kind(models.TextChoices):
        ARREST_VIOLENT_GUN = "arrest_violent_gun", "Arrest for a violent or gun offence"
        ARREST_OTHER = "arrest_other", "Arrest, other offence"
        WARRANT = "warrant", "Search or arrest warrant"
        SUPERVISION = "supervision", "Probation/parole compliance check"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="enforcement_actions")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="enforcement_actions")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="enforcement_actions")
    taken_on = models.DateField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-taken_on"]
        indexes = [models.Index(fields=["taken_on", "kind"])]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) | Q(group__isnull=False), name="enforcement_has_subject"),
            models.CheckConstraint(
                condition=Q(kind__in=["arrest_violent_gun", "arrest_other", "warrant", "supervision", "other"]),
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
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["unit", "-recorded_on"]
        constraints = [
            models.CheckConstraint(condition=Q(authorised__gt=0), name="staffing_authorised_positive"),
            models.CheckConstraint(condition=Q(filled__lte=models.F("authorised")), name="staffing_filled_within_authorised"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.filled}/{self.authorised} on {self.recorded_on}"


class EnforcementPlanStatus(models.Model):
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="plan_statuses")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="plan_statuses")
    recorded_on = models.DateField()
    up_to_date = models.BooleanField()
    notes = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-recorded_on"]
        verbose_name_plural = "enforcement plan statuses"
        constraints = [
            models.CheckConstraint(condition=Q(unit__isnull=False) | Q(group__isnull=False), name="plan_status_has_subject"),
        ]

    def __str__(self) -> str:
        return f"Plan for {self.unit or self.group}: {'up to date' if self.up_to_date else 'out of date'}"


# --- Benchmarks and worksheets --------------------------------------------------------


class Indicator(models.TextChoices):
    HOMICIDES = "homicides", "Homicides"
    NONFATAL_INJURY_SHOOTINGS = "nonfatal_injury_shootings", "Non-fatal injury shootings"
    NON_INJURY_SHOOTINGS = "non_injury_shootings", "Non-injury shootings"
    COMMUNICATION = "communication", "Communication"
    CASE_MANAGEMENT = "case_management", "Relationship-focused case management"
    ENFORCEMENT = "enforcement", "Targeted enforcement"
    PARTNERSHIP = "partnership", "Partnership"


class Benchmark(models.Model):
    indicator = models.CharField(max_length=32, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField()
    annual_target = models.PositiveIntegerField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="benchmark_unique_indicator_year"),
            models.CheckConstraint(condition=Q(indicator__in=Indicator.values), name="benchmark_indicator_valid"),
            models.CheckConstraint(condition=Q(year__gte=1990) & Q(year__lte=2100), name="benchmark_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.year}: {self.annual_target}"


def worksheet_upload_to(instance: Worksheet, filename: str) -> str:
    return f"worksheets/{instance.period_start:%Y-%m}_{instance.period_end:%Y-%m}/v{instance.version}/{filename}"


class Worksheet(models.Model):
    """One version of the indicator worksheet for a period; regenerating makes a new version."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveIntegerField(default=1)
    generated_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_file = models.FileField(upload_to=worksheet_upload_to, blank=True)
    notes = models.JSONField(default=dict, blank=True, help_text="Trend notes per row, keyed by indicator.")
    frozen = models.BooleanField(default=False)
    pdf = models.FileField(upload_to=worksheet_upload_to, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-period_end", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period_start", "period_end", "version"], name="worksheet_unique_version"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "ready", "failed"]), name="worksheet_status_valid"
            ),
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")), name="worksheet_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"Worksheet {self.period_start:%b}–{self.period_end:%b %Y} v{self.version}"


# --- Audit --------------------------------------------------------------------------------


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only.")

    def delete(self):
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Who did what to which object, when. Append-only (also enforced by a trigger on PostgreSQL)."""

    class Action(models.TextChoices):
        VIEW = "view", "View"
        CREATE = "create", "Create"
        CHANGE = "change", "Change"
        DELETE = "delete", "Delete"
        EXPORT = "export", "Export"
        LOGIN = "login", "Login"
        LOGIN_FAILED = "login_failed", "Failed login"
        LOGOUT = "logout", "Logout"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")
