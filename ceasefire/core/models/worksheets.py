"""Benchmarks and the stored versions of the indicator worksheet."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


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
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="benchmark_unique_indicator_year"
            ),
            models.CheckConstraint(
                condition=Q(indicator__in=Indicator.values), name="benchmark_indicator_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="benchmark_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.year}: {self.annual_target}"


def worksheet_upload_to(instance: Worksheet, filename: str) -> str:
    period = f"{instance.period_start:%Y-%m}_{instance.period_end:%Y-%m}"
    return f"worksheets/{period}/v{instance.version}/{filename}"


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
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_file = models.FileField(upload_to=worksheet_upload_to, blank=True)
    notes = models.JSONField(
        default=dict, blank=True, help_text="Trend notes per row, keyed by indicator."
    )
    frozen = models.BooleanField(default=False)
    pdf = models.FileField(upload_to=worksheet_upload_to, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The PDF job's last successful run, in seconds: figures, PDF rendering, storing the files.
    compute_seconds = models.FloatField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    store_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end", "version"], name="worksheet_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "ready", "failed"]),
                name="worksheet_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="worksheet_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Worksheet {self.period_start:%b}–{self.period_end:%b %Y} v{self.version}"


class DataVersion(models.Model):
    """One row whose ``version`` changes whenever data that feeds the worksheet is written.

    Database triggers (migration core 0019) set it on every insert, update, delete or truncate of
    the tables listed in ``DATA_VERSION_TABLES`` -- whatever wrote them: services, the admin, a
    bulk load, a shell. PostgreSQL takes the next value of a sequence, SQLite a random number, so
    a rolled-back write never hands out a version again. The computed worksheet is cached under
    it (``performance.selectors.worksheet``): a new version is a new cache key, never a stale one.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Data version {self.version}"


class TableVersion(models.Model):
    """The version of one table of ``RECORD_VERSION_TABLES``: set by triggers (migration core
    0028) on every write to that table alone, so a shared page is keyed by the versions of the
    tables it read (``dataversion.cached_on_tables``) and outlives writes to the others."""

    name = models.CharField(primary_key=True, max_length=63)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} version {self.version}"


# Every table the worksheet's figures read (tests/performance/test_worksheet_cache.py checks the
# worksheet's own queries against this list), plus the related ones a write may touch with them.
# Not listed: audit events (written by GETs), worksheet versions (their notes are applied on top
# of the cached figures), users, tokens, sessions.
DATA_VERSION_TABLES = (
    "core_agendaitem",
    "core_benchmark",
    "core_callin",
    "core_callin_attendees",
    "core_customnotification",
    "core_enforcementaction",
    "core_enforcementplanstatus",
    "core_enrolment",
    "core_group",
    "core_groupaffiliation",
    "core_incident",
    "core_incident_groups",
    "core_involvement",
    "core_meeting",
    "core_meeting_attendees",
    "core_meeting_attending_organisations",
    "core_organisation",
    "core_partnershipsettings",
    "core_person",
    "core_riskdesignation",
    "core_servicecontact",
    "core_task",
    "core_unit",
    "core_unitstaffing",
)

# Every table whose rows a meeting page shows (the RECORDS scope: the open review's agenda and the
# coordination meeting's lists are cached under its version; tests/core/test_record_version.py
# checks those computations' queries against this list). Not listed: what a GET writes (audit
# events, sessions), the worksheet's own store and versions, tokens, permissions, import jobs,
# meeting papers (their slot is drawn afresh on every page).
RECORD_VERSION_TABLES = (
    "core_agendaitem",
    "core_benchmark",
    "core_callin",
    "core_callin_attendees",
    "core_conflict",
    "core_customnotification",
    "core_enforcementaction",
    "core_enforcementplanstatus",
    "core_enrolment",
    "core_group",
    "core_groupaffiliation",
    "core_incident",
    "core_incident_groups",
    "core_incident_related_incidents",
    "core_involvement",
    "core_meeting",
    "core_meeting_attendees",
    "core_meeting_attending_organisations",
    "core_notice",
    "core_organisation",
    "core_partnershipsettings",
    "core_partnershipshare",
    "core_person",
    "core_rightsrequest",
    "core_riskdesignation",
    "core_riskdesignation_basis_incidents",
    "core_servicecontact",
    "core_task",
    "core_taskupdate",
    "core_unit",
    "core_unitstaffing",
    "core_user",
    "coordination_longtermplan",
    "coordination_partnershiphealthitem",
    "coordination_personplan",
    "reviews_designationdecision",
    "reviews_followupchoice",
    "reviews_reviewincident",
    "reviews_reviewsummary",
    "reviews_riskdecision",
)
