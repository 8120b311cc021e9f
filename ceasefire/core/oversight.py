"""Reports for oversight (the auditor): aggregates only, never a person.

Designations by year and age group, gender and neighbourhood; designations past due; purges run;
requests and their response times; shares and exports; imminent-risk suggestions offered
(logged in each review page view's audit event) vs confirmed and dismissed (the decisions' audit
events). A breakdown below citywide (the neighbourhood table) goes through ``suppress_small``.
Each table is a title, a header and rows, so the page and the CSV export render the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from .disclosure import suppress_small
from .models import (
    AuditEvent,
    PartnershipShare,
    RightsRequest,
    RiskDesignation,
)

AGE_GROUPS = ((0, 13, "under 13"), (13, 18, "13-17"), (18, 25, "18-24"), (25, 35, "25-34"))


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list]


def age_group(age: int | None) -> str:
    if age is None:
        return "unknown"
    for low, high, label in AGE_GROUPS:
        if low <= age < high:
            return label
    return "35 and over"


def _age_on(dob: dt.date | None, estimate: int | None, day: dt.date, today: dt.date):
    if dob:
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
    if estimate is None:
        return None
    return max(estimate - (today.year - day.year), 0)


def designations_by_group(
    today: dt.date | None = None, *, suppress_all: bool = False
) -> list[Table]:
    """Confirmed designations made each year, by age group on the day, gender, neighbourhood.

    The neighbourhood table is always suppressed below the small-cell threshold; with
    ``suppress_all`` (a viewer who is not police: ``permissions.small_counts_suppressed_for``)
    the age-group and gender tables too, each a breakdown below citywide."""
    today = today or timezone.localdate()
    rows = RiskDesignation.objects.confirmed().values_list(
        "designated_on",
        "person__date_of_birth",
        "person__age_estimate",
        "person__gender",
        "person__neighbourhood",
    )
    ages, genders, areas = Counter(), Counter(), Counter()
    for day, dob, estimate, gender, area in rows.iterator(chunk_size=5000):
        ages[(day.year, age_group(_age_on(dob, estimate, day, today)))] += 1
        genders[(day.year, gender)] += 1
        areas[(day.year, area or "not recorded")] += 1
    return [
        _pivot("Designations by age group on the day", "age group", ages, suppress=suppress_all),
        _pivot("Designations by gender", "gender", genders, suppress=suppress_all),
        _pivot(
            "Designations by neighbourhood (small counts suppressed)",
            "neighbourhood",
            areas,
            suppress=True,
        ),
    ]


def _pivot(title: str, label: str, counts: Counter, *, suppress: bool = False) -> Table:
    years = sorted({year for year, _ in counts})
    keys = sorted({key for _, key in counts})
    rows = []
    for key in keys:
        cells = [counts.get((year, key), 0) for year in years]
        if suppress:
            cells = [suppress_small(c) for c in cells]
        hidden = f"<{settings.SMALL_CELL_THRESHOLD}"
        rows.append([key, *[hidden if c is None else c for c in cells]])
    return Table(title, [label, *map(str, years)], rows)


def designations_past_due(today: dt.date | None = None) -> Table:
    today = today or timezone.localdate()
    open_rows = RiskDesignation.objects.confirmed().open()
    return Table(
        "Designations past due",
        ["measure", "count"],
        [
            ["open past their review date", open_rows.filter(review_due__lt=today).count()],
            ["pending a review's confirmation", RiskDesignation.objects.pending().open().count()],
            ["needing a documented basis", open_rows.filter(needs_basis=True).count()],
        ],
    )


def purges_run() -> Table:
    runs = AuditEvent.objects.filter(object_type="core.retentionrun", action="delete").order_by(
        "-at"
    )[:100]
    return Table(
        "Retention runs (latest 100)",
        ["run at", "designations lapsed", "people purged"],
        [
            [
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
                e.detail.get("lapsed", 0),
                e.detail.get("purged", 0),
            ]
            for e in runs
        ],
    )


def requests_and_response_times(today: dt.date | None = None) -> Table:
    today = today or timezone.localdate()
    rows = []
    for kind, label in RightsRequest.Kind.choices:
        requests = list(
            RightsRequest.objects.filter(kind=kind).values_list(
                "received_on", "responded_on", "due_on"
            )
        )
        answered = [(r, s) for r, s, _ in requests if s]
        days = [(s - r).days for r, s in answered]
        rows.append(
            [
                label,
                len(requests),
                len(answered),
                round(sum(days) / len(days), 1) if days else "",
                sum(1 for r, s, due in requests if (s or today) > due),
            ]
        )
    return Table(
        "Information and removal requests",
        ["request", "received", "answered", "mean days to answer", "late or overdue"],
        rows,
    )


def shares_and_exports() -> Table:
    shares = Counter(
        dict(
            PartnershipShare.objects.annotate(year=ExtractYear("shared_at"))
            .values_list("year")
            .annotate(n=Count("id"))
            .values_list("year", "n")
        )
    )
    exports = Counter(
        dict(
            AuditEvent.objects.filter(action="export")
            .annotate(year=ExtractYear("at"))
            .values_list("year")
            .annotate(n=Count("id"))
            .values_list("year", "n")
        )
    )
    years = sorted(set(shares) | set(exports))
    return Table(
        "Shares with the partnership and exports, by year",
        ["year", "people shared", "exports"],
        [[year, shares.get(year, 0), exports.get(year, 0)] for year in years],
    )


def suggestions_offered_and_decided() -> Table:
    """Imminent-risk suggestions offered at reviews vs decided, by year of the review's page.

    Offered: each (review, shooting, person) a review's page offered at least once, as logged
    in the audit event of each view of an open review (``suggestions_offered``); decided: the
    audit events of the decisions (``risk_decision``), latest decision per suggestion."""
    offered: set[tuple[str, str, int]] = set()
    shootings: set[tuple[str, str]] = set()
    views = AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, detail__has_key="suggestions_offered"
    ).values_list("object_id", "detail")
    for review, detail in views.iterator(chunk_size=2000):
        for incident, people in (detail.get("suggestions_offered") or {}).items():
            shootings.add((review, str(incident)))
            offered |= {(review, str(incident), int(p)) for p in people}
    decisions: dict[tuple[str, str, int], str] = {}
    rows = (
        AuditEvent.objects.filter(detail__has_key="risk_decision")
        .order_by("seq")
        .values_list("object_id", "detail")
    )
    for review, detail in rows.iterator(chunk_size=2000):
        key = (review, str(detail.get("incident", "")), int(detail.get("person") or 0))
        decisions[key] = detail["risk_decision"]
    decided = Counter(decisions.values())
    return Table(
        "Imminent-risk suggestions offered vs decided at reviews",
        ["measure", "count"],
        [
            ["shootings with suggestions offered", len(shootings)],
            ["suggestions offered", len(offered)],
            ["confirmed", decided.get("confirmed", 0)],
            ["dismissed", decided.get("dismissed", 0)],
            ["offered, never decided", len(offered - set(decisions))],
        ],
    )


def oversight_report(today: dt.date | None = None, *, suppress_all: bool = True) -> list[Table]:
    """Every table of the auditor's report, in page order (every breakdown below citywide
    suppressed unless ``suppress_all`` is False: a police viewer)."""
    return [
        *designations_by_group(today, suppress_all=suppress_all),
        designations_past_due(today),
        purges_run(),
        requests_and_response_times(today),
        shares_and_exports(),
        suggestions_offered_and_decided(),
    ]
