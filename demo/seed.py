"""Entry points: ``demo_seed`` builds the whole city, ``demo_reset`` deletes it, ``demo_summary``
counts what is there."""

from __future__ import annotations

import datetime as dt
import gc

from django.core.files.storage import default_storage
from django.db import connection, transaction

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
    Notice,
    Organisation,
    PartnershipShare,
    Person,
    RightsRequest,
    RiskDesignation,
    Role,
    ServiceContact,
    Task,
    TaskUpdate,
    Unit,
    UnitStaffing,
    User,
    Worksheet,
)
from coordination.models import LongTermPlan, PartnershipHealthItem, PersonPlan
from reviews.models import (
    DesignationDecision,
    FollowUpChoice,
    ReviewIncident,
    ReviewSummary,
    RiskDecision,
)

from . import users as users_
from .accounts import (
    organisation_name,
    organisations_create,
    units_create,
    users_create,
)
from .benchmarks import benchmarks_create
from .city import City, DemoOptions, DemoSummary
from .closing import meetings_close
from .contacts import contacts_create
from .coordination import coordination_prepare
from .designations import active_index, designations_create
from .groups import conflicts_create, groups_create
from .incidents import incidents_create
from .loading import (
    analyze_statement,
    foreign_keys_checked_after,
    gin_indexes_deferred,
    without_victim_recount,
)
from .meetings import meetings_create
from .performance import performance_prepare
from .progress import Progress
from .reviews import followup_choices_create, reviews_prepare
from .rights import rights_create
from .tasks import tasks_create

# Deleted in dependency order by ``demo_reset`` (link tables and leaves first, so the big deletes
# are plain DELETEs); organisations, users, units and settings are updated in place instead
# (audit events point at users and are append-only).
RESET_ORDER = [
    RiskDecision,
    DesignationDecision,
    FollowUpChoice,
    ReviewIncident,
    ReviewSummary,
    PersonPlan,
    LongTermPlan,
    PartnershipHealthItem,
    Worksheet,
    Notice,
    RightsRequest,
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
    ReviewIncident,
    ReviewSummary,
    RiskDecision,
    DesignationDecision,
    FollowUpChoice,
    PersonPlan,
    LongTermPlan,
    PartnershipHealthItem,
    Worksheet,
]

LABELS = {ReviewSummary: "Review summaries"}


def demo_data_exists() -> bool:
    return Incident.objects.exists()


@transaction.atomic
def demo_reset() -> None:
    """Delete the demo data (worksheet files once the deletion is committed)."""
    files = [
        name
        for pdf, snapshot in Worksheet.objects.values_list("pdf", "snapshot_file")
        for name in (pdf, snapshot)
        if name
    ]
    RiskDesignation.objects.update(renews=None)
    with without_victim_recount():  # every incident goes too: no counts to keep
        for model in RESET_ORDER:
            model.objects.all().delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])


@transaction.atomic
def demo_seed(options: DemoOptions, progress: Progress | None = None) -> DemoSummary:
    """Generate the whole demo city. Expects no incidents (see ``demo_reset``)."""
    city = City(options=options, progress=progress or Progress())
    try:
        with foreign_keys_checked_after():
            _build(city)
    finally:
        gc.unfreeze()
        city.progress.close()
    return demo_summary(options)


def _build(city: City) -> None:
    """The generators in dependency order, then the replay that closes the past meetings.

    ``gc.freeze()`` after every phase (and every year of incidents): the city's long-lived rows
    and indexes are kept out of the cyclic collector's scans, which would otherwise rescan them
    after every few thousand short-lived ORM objects (a third of the seed's time; still a sixth
    with a freeze only after the incidents and the performance phase); ``demo_seed`` releases
    them at the end.
    """
    phase = city.progress.phase
    with phase("accounts"):
        organisations_create(city)
        users_create(city)
        units_create(city)
    with phase("groups"):
        groups_create(city)
        conflicts_create(city)
    with phase("meetings"):
        meetings_create(city)
    with phase("incidents"), gin_indexes_deferred():
        incidents_create(city)  # freezes after each year
    gc.freeze()
    with phase("designations"):
        designations_create(city)
        active_index(city)
    gc.freeze()
    with phase("rights"):
        rights_create(city)
    with phase("tasks"):
        tasks = tasks_create(city)
    gc.freeze()
    with phase("contacts"):
        contacts_create(city, tasks)
    gc.freeze()
    with phase("benchmarks"):
        benchmarks_create(city)
    with phase("reviews"):
        reviews_prepare(city)
    gc.freeze()
    with phase("coordination"):
        coordination_prepare(city, tasks)
    with phase("performance"):
        performance_prepare(city, tasks)
    gc.freeze()
    with phase("statistics"):
        _statistics_refresh()
    meetings_close(city)
    with phase("follow-up choices"):
        followup_choices_create(city)


def _statistics_refresh() -> None:
    """PostgreSQL plans the close services' and the worksheet's queries from table statistics,
    which a bulk load leaves empty (ANALYZE may run inside the seed's transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(analyze_statement())


def demo_summary(options: DemoOptions) -> DemoSummary:
    per_year = {}
    for year in range(options.since, options.today.year + 1):
        per_year[year] = selectors.victim_counts(
            *selectors.day_window(dt.date(year, 1, 1), dt.date(year, 12, 31))
        )
    rows = {
        LABELS.get(model, model._meta.verbose_name_plural.capitalize()): model.objects.count()
        for model in COUNTED_MODELS
    }
    users = [
        (username, Role(role).label, organisation_name(org))
        for username, role, org, *_ in users_.DEMO_USERS
    ]
    return DemoSummary(per_year=per_year, rows=rows, users=users)
