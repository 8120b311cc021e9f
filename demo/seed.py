"""Entry points: ``demo_seed`` builds the whole city, ``demo_reset`` deletes it, ``demo_summary``
counts what is there."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ceasefire.core import selectors
from ceasefire.core.models import (
    AgendaItem,
    Benchmark,
    CallIn,
    Conflict,
    CustomNotification,
    EnforcementAction,
    EnforcementPlanStatus,
    Enrolment,
    Group,
    GroupAffiliation,
    Incident,
    Involvement,
    Meeting,
    Organisation,
    PartnershipShare,
    Person,
    RiskDesignation,
    Role,
    ServiceContact,
    Task,
    TaskUpdate,
    Unit,
    UnitStaffing,
    User,
)

from .accounts import (
    DEMO_USERS,
    organisation_name,
    organisations_create,
    units_create,
    users_create,
)
from .agenda import agenda_create
from .benchmarks import benchmarks_create
from .city import City, DemoOptions, DemoSummary
from .contacts import contacts_create
from .designations import active_index, designations_create
from .groups import conflicts_create, groups_create
from .incidents import incidents_create
from .meetings import meetings_create
from .tasks import tasks_create

# Deleted in dependency order by ``demo_reset`` (link tables and leaves first, so the big deletes
# are plain DELETEs); organisations, users, units and settings are updated in place instead
# (audit events point at users and are append-only).
RESET_ORDER = [
    TaskUpdate,
    CustomNotification,
    ServiceContact,
    Task,
    AgendaItem,
    PartnershipShare,
    RiskDesignation.basis_incidents.through,
    RiskDesignation,
    CallIn.attendees.through,
    CallIn,
    Enrolment,
    EnforcementAction,
    EnforcementPlanStatus,
    UnitStaffing,
    Benchmark,
    Involvement,
    Incident.groups.through,
    Incident.related_incidents.through,
    Incident,
    GroupAffiliation,
    Person,
    Meeting,
    Conflict,
    Group,
]
COUNTED_MODELS = [
    Organisation,
    User,
    Unit,
    Group,
    Conflict,
    Person,
    GroupAffiliation,
    Incident,
    Involvement,
    RiskDesignation,
    PartnershipShare,
    Meeting,
    AgendaItem,
    Task,
    TaskUpdate,
    CallIn,
    CustomNotification,
    Enrolment,
    ServiceContact,
    EnforcementAction,
    UnitStaffing,
    EnforcementPlanStatus,
    Benchmark,
]


def demo_data_exists() -> bool:
    return Incident.objects.exists()


@transaction.atomic
def demo_reset() -> None:
    RiskDesignation.objects.update(renews=None)
    for model in RESET_ORDER:
        model.objects.all().delete()


@transaction.atomic
def demo_seed(options: DemoOptions) -> DemoSummary:
    """Generate the whole demo city. Expects no incidents (see ``demo_reset``)."""
    city = City(options=options)
    organisations_create(city)
    users_create(city)
    units_create(city)
    groups_create(city)
    conflicts_create(city)
    meetings_create(city)
    incidents_create(city)
    designations_create(city)
    active_index(city)
    agenda_create(city)
    tasks = tasks_create(city)
    contacts_create(city, tasks)
    benchmarks_create(city)
    return demo_summary(options)


def demo_summary(options: DemoOptions) -> DemoSummary:
    per_year = {}
    for year in range(options.since, options.today.year + 1):
        per_year[year] = selectors.victim_counts(
            *selectors.day_window(dt.date(year, 1, 1), dt.date(year, 12, 31))
        )
    rows = {
        model._meta.verbose_name_plural.capitalize(): model.objects.count()
        for model in COUNTED_MODELS
    }
    users = [
        (username, Role(role).label, organisation_name(org))
        for username, role, org, *_ in DEMO_USERS
    ]
    return DemoSummary(per_year=per_year, rows=rows, users=users)
