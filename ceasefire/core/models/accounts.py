"""Organisations, roles and users (one role per user, SPEC §2), and the partnership's settings."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac


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
                    kind__in=[
                        "police",
                        "human_services",
                        "probation",
                        "community_based",
                        "faith_community",
                        "mayors_office",
                    ]
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

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True
    )
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PARTNER_STAFF)
    # Mixed into the session hash: a new value ends every session of the user (core.sessions).
    session_epoch = models.CharField(max_length=32, blank=True, default="", editable=False)

    objects = CeasefireUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid")
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        key_salt = "ceasefire.core.models.accounts.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

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
    public_page_enabled = models.BooleanField(
        "publish the transparency page",
        default=False,
        help_text="Serve /public/ and its JSON feed: citywide counts, never a person.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "partnership settings"

    def __str__(self) -> str:
        return f"Settings for {self.city_name}"

    @classmethod
    def load(cls) -> PartnershipSettings:
        """The settings row (migration 0008 makes it), or its defaults unsaved: reading never
        writes. Saving what this returns creates the row if it is missing."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
