"""Contact and intervention records partners keep; they feed the worksheet's activity rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .accounts import Organisation
from .people import Person
from .tasks import Task


class CallIn(models.Model):
    held_on = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    attendees = models.ManyToManyField(Person, blank=True, related_name="call_ins")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

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

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="custom_notifications"
    )
    delivered_on = models.DateField()
    delivered_by = models.CharField(max_length=200, help_text="Who delivered it (names / roles).")
    delivering_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.DELIVERED)
    help_accepted = models.BooleanField("offer of help accepted", default=False)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="custom_notifications"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-delivered_on"]
        indexes = [models.Index(fields=["delivered_on", "person"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["delivered", "refused", "not_found", "postponed"]),
                name="notification_outcome_valid",
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
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["provider", "started_on", "ended_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    referral_source__in=[
                        "call_in",
                        "custom_notification",
                        "ceasefire_other",
                        "outreach",
                        "non_ceasefire_other",
                    ]
                ),
                name="enrolment_referral_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="enrolment_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["person", "provider"],
                condition=Q(ended_on__isnull=True),
                name="enrolment_one_open_per_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} with {self.provider} from {self.started_on}"


class ServiceContact(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="service_contacts")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="service_contacts"
    )
    contacted_on = models.DateField()
    kind = models.CharField(max_length=32, choices=Task.Kind.choices, default=Task.Kind.OTHER)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="service_contacts"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-contacted_on"]

    def __str__(self) -> str:
        return f"Contact with {self.person} on {self.contacted_on}"
