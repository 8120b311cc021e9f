"""A person's notice and their right to ask: notices given, information and removal requests."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .people import Person

REQUEST_RESPONSE_DAYS = 30


class Notice(models.Model):
    """Notice given to a person that they are on the list (a custom notification counts too).

    A juvenile's notice also goes to a parent or guardian, named here.
    """

    class Channel(models.TextChoices):
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"
        CUSTOM_NOTIFICATION = "custom_notification", "At a custom notification"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="notices")
    given_on = models.DateField()
    channel = models.CharField(max_length=32, choices=Channel.choices)
    guardian_name = models.CharField("parent or guardian notified", max_length=200, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"Notice to {self.person} on {self.given_on}"


class RightsRequestQuerySet(models.QuerySet):
    def open(self) -> RightsRequestQuerySet:
        return self.filter(responded_on__isnull=True)

    def overdue(self, today: dt.date) -> RightsRequestQuerySet:
        return self.open().filter(due_on__lt=today)


class RightsRequest(models.Model):
    """A request from a person or their representative: information or removal, 30-day clock."""

    class Kind(models.TextChoices):
        INFORMATION = "information", "Information: am I on the list, and why?"
        REMOVAL = "removal", "Removal from the list"

    class Outcome(models.TextChoices):
        ANSWERED = "answered", "Answered in full"
        REMOVED = "removed", "Removed"
        PARTLY_WITHHELD = "partly_withheld", "Answered, part withheld"
        WITHHELD = "withheld", "Withheld"
        REFUSED = "refused", "Removal refused"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="rights_requests")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    requested_by = models.CharField(
        max_length=200, help_text='The person, or their representative ("attorney J. Doe").'
    )
    received_on = models.DateField()
    due_on = models.DateField(editable=False, help_text="30 days after receipt: computed.")
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    response = models.TextField(blank=True)
    withheld_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RightsRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["responded_on", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")), name="request_due_after_receipt"
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | ~Q(outcome=""),
                name="request_response_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.requested_by} ({self.received_on})"

    @property
    def is_late(self) -> bool:
        end = self.responded_on or timezone.localdate()
        return end > self.due_on

    @property
    def days_to_respond(self) -> int | None:
        if self.responded_on is None:
            return None
        return (self.responded_on - self.received_on).days
