"""Reads of the coordination app. Selectors never write; callers pass querysets already scoped by
``ceasefire.core.permissions`` so access is decided in one place."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from itertools import groupby

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ceasefire.core.dataversion import cached_on_data
from ceasefire.core.models import (
    AgendaItem,
    CallIn,
    Conflict,
    Enrolment,
    Incident,
    Involvement,
    Meeting,
    Organisation,
    PartnershipShare,
    Person,
    RiskDesignation,
    ServiceContact,
    Task,
    User,
)
from ceasefire.core.selectors import (
    day_window,
    referral_cutoff,
    referrals_escalated,
    tasks_carried_forward,
    tasks_open,
)

from .models import PartnershipHealthItem

CHRONIC_RENEWALS = 3  # an active VHR designation renewed at three or more reviews
CHRONIC_SHOOTINGS = 2  # or two or more shootings involving the person ...
CHRONIC_WINDOW_DAYS = 365  # ... within twelve months


# --- Meetings ---------------------------------------------------------------------------------


def coordination_meetings_list(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return (
        meetings.filter(kind=Meeting.Kind.COORDINATION)
        .select_related("facilitator")
        .annotate(organisations_count=Count("attending_organisations", distinct=True))
        .order_by("-date", "-id")
    )


def coordination_previous(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(kind=Meeting.Kind.COORDINATION, date__lt=meeting.date)
        .exclude(pk=meeting.pk)
        .order_by("-date")
        .first()
    )


def reviews_feeding(meeting: Meeting) -> list[Meeting]:
    """The closed shooting reviews whose risk assessment feeds this coordination meeting.

    Those closed since the previous coordination meeting (up to this meeting's date); when
    there are none, the latest closed review before it.
    """
    closed = Meeting.objects.filter(
        kind=Meeting.Kind.SHOOTING_REVIEW, state=Meeting.State.CLOSED, date__lte=meeting.date
    ).order_by("-date", "-id")
    previous = coordination_previous(meeting)
    if previous is not None:
        since = list(closed.filter(date__gte=previous.date))
        if since:
            return since
    latest = closed.first()
    return [latest] if latest else []


def shares_on_agenda(
    meeting: Meeting, people: QuerySet[Person] | None = None, *, feeding: list | None = None
) -> QuerySet[PartnershipShare]:
    """Active shares (the people on the partnership's list), newest reviews' shares first.

    ``people`` is the viewer's ``people_visible_to`` queryset; ``is_new`` marks shares from the
    reviews feeding this meeting (``feeding``: ``reviews_feeding(meeting)``, when already read).
    """
    feeding = [m.pk for m in (reviews_feeding(meeting) if feeding is None else feeding)]
    shares = PartnershipShare.objects.filter(withdrawn_at__isnull=True)
    if people is not None:
        shares = shares.filter(person__in=people)
    return (
        shares.select_related("person", "source_meeting")
        .annotate(
            is_new=Case(
                When(source_meeting_id__in=feeding, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-is_new", "person__last_name", "person__first_name", "pk")
    )


def intervention_labels(values) -> list[str]:
    """Recommended interventions in words (unknown values, e.g. old imports, shown as stored)."""
    labels = _intervention_labels()
    return [labels.get(v) or str(v) for v in (values or [])]


@functools.cache
def _intervention_labels() -> dict[str, str]:
    """Built once: ``Task.Kind.values`` is a new list at every call (seen: 50,000 calls)."""
    return {kind.value: kind.label for kind in Task.Kind}


def plans_for_page(
    meeting: Meeting, person_ids: list[int], tasks: QuerySet[Task]
) -> dict[int, dict]:
    """Plan notes and the interventions planned at this meeting, for one page of people."""
    planned = tasks.filter(source_meeting=meeting, subject_person_id__in=person_ids).select_related(
        "assigned_organisation", "assigned_user"
    )
    result: dict[int, dict] = {pid: {"notes": None, "tasks": []} for pid in person_ids}
    for task in planned.order_by("due_date", "id"):
        result[task.subject_person_id]["tasks"].append(task)
    for plan in meeting.person_plans.filter(person_id__in=person_ids):
        result[plan.person_id]["notes"] = plan
    return result


def agenda_conflicts(conflicts: QuerySet[Conflict]) -> QuerySet[Conflict]:
    """Hot and active conflicts, names and status only (callers pass ``conflicts_visible_to``)."""
    return (
        conflicts.filter(status__in=[Conflict.Status.HOT, Conflict.Status.ACTIVE])
        .select_related("group_a", "group_b")
        .only("id", "status", "group_a__name", "group_b__name")
        .order_by(
            Case(
                When(status=Conflict.Status.HOT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "group_a__name",
        )
    )


def people_chronically_high_risk(people: QuerySet[Person], *, on: dt.date) -> QuerySet[Person]:
    """Chronically high-risk: an active VHR designation renewed at 3+ reviews, or 2+ shootings
    involving them within the twelve months up to ``on``.

    Annotates ``vhr_renewals`` and ``shootings``.
    """
    start, end = day_window(on - dt.timedelta(days=CHRONIC_WINDOW_DAYS - 1), on)
    vhr = RiskDesignation.objects.active_on(on).vhr()
    shot = _shootings_involving_between(start, end)
    renewals = vhr.filter(person=OuterRef("pk")).order_by("-renewal_count")
    shootings = (
        shot.filter(person=OuterRef("pk"))
        .values("person")
        .annotate(n=Count("incident", distinct=True))
        .values("n")
    )
    # The few candidates first (cached under the data version: the page, its count and the
    # close read them), then only those, as the caller may see them, annotated for display.
    return (
        people.filter(pk__in=_chronically_high_risk_ids(on, vhr=vhr, shot=shot))
        .annotate(
            vhr_renewals=Coalesce(
                Subquery(renewals.values("renewal_count")[:1], output_field=IntegerField()),
                Value(-1),
            ),
            shootings=Coalesce(Subquery(shootings, output_field=IntegerField()), Value(0)),
        )
        .select_related("long_term_plan")
        .order_by("last_name", "first_name", "pk")
    )


def _chronically_high_risk_ids(
    on: dt.date, *, vhr: QuerySet[RiskDesignation], shot: QuerySet[Involvement]
) -> list[int]:
    def compute() -> list[int]:
        renewed = vhr.filter(renewal_count__gte=CHRONIC_RENEWALS).values_list("person_id")
        shot_twice = (
            shot.filter(person__isnull=False)
            .values("person_id")
            .annotate(n=Count("incident", distinct=True))
            .filter(n__gte=CHRONIC_SHOOTINGS)
            .values_list("person_id")
        )
        return sorted({pk for (pk,) in renewed.order_by().union(shot_twice)})

    return cached_on_data(f"coordination:chronic:{on.isoformat()}", compute)


def _shootings_involving_between(start: dt.datetime, end: dt.datetime) -> QuerySet[Involvement]:
    """Involvements in firearm incidents in [start, end) that are not unfounded (no ordering)."""
    return (
        Involvement.objects.filter(
            incident__weapon=Incident.Weapon.FIREARM,
            incident__occurred_at__gte=start,
            incident__occurred_at__lt=end,
        )
        .exclude(incident__counting_status=Incident.CountingStatus.UNFOUNDED)
        .order_by()
    )


FROZEN_MARKER = "coordination_frozen"


def agenda_frozen(meeting: Meeting) -> bool:
    """Was the agenda frozen by ``coordination_meeting_close`` (not closed some other way)?"""
    return AgendaItem.objects.filter(meeting=meeting, section=FROZEN_MARKER).exists()


def frozen_agenda(meeting: Meeting, section: str, people: QuerySet[Person]) -> QuerySet[AgendaItem]:
    """A closed meeting's frozen agenda lines, only for people the viewer may see."""
    return (
        AgendaItem.objects.filter(meeting=meeting, section=section)
        .filter(Q(person__isnull=True) | Q(person__in=people))
        .select_related("person")
        .order_by("order", "id")
    )


def followups_carried_forward(meeting: Meeting, tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Open follow-ups from earlier coordination meetings (callers pass ``tasks_visible_to``)."""
    return tasks_carried_forward(Meeting.Kind.COORDINATION, meeting.date, tasks)


def health_items_on_agenda(meeting: Meeting) -> QuerySet[PartnershipHealthItem]:
    """Items raised at or before this meeting and not closed before it (carried until closed)."""
    return (
        PartnershipHealthItem.objects.filter(raised_at__date__lte=meeting.date)
        .filter(
            Q(closed_at__isnull=True) | Q(closed_at=meeting) | Q(closed_at__date__gt=meeting.date)
        )
        .select_related("owner_organisation", "owner_user", "raised_at", "closed_at")
        .order_by("status", "category", "id")
    )


# --- Partners' own work ------------------------------------------------------------------------


def followups_for(user, tasks: QuerySet[Task], *, today: dt.date) -> QuerySet[Task]:
    """The user's organisation's open tasks and those assigned to them, overdue first, then by
    due date."""
    mine = tasks_open(tasks).filter(
        Q(assigned_organisation_id=user.organisation_id) | Q(assigned_user=user)
    )
    return (
        mine.select_related(
            "assigned_organisation",
            "assigned_user",
            "subject_person",
            "subject_group",
            "subject_conflict",
        )
        .annotate(
            overdue=Case(
                When(due_date__lt=today, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("-overdue", F("due_date").asc(nulls_last=True), "id")
    )


def task_updates(task: Task) -> QuerySet:
    return task.updates.select_related("author").order_by("-created_at", "-id")


def caseload_open(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Open enrolments, each with the provider's latest contact with the person (date and kind)
    and how many contacts it has recorded since the enrolment began — in one query."""
    contacts = ServiceContact.objects.filter(
        person=OuterRef("person_id"),
        organisation=OuterRef("provider_id"),
        contacted_on__gte=OuterRef("started_on"),
    )
    latest = contacts.order_by("-contacted_on", "-id")
    return (
        enrolments.filter(ended_on__isnull=True)
        .select_related("person", "provider")
        .annotate(
            last_contact_on=Subquery(latest.values("contacted_on")[:1]),
            last_contact_kind=Subquery(latest.values("kind")[:1]),
            contact_count=Coalesce(
                Subquery(
                    contacts.order_by().values("person").annotate(n=Count("pk")).values("n")[:1]
                ),
                0,
            ),
        )
        .order_by("-started_on", "id")
    )


def call_ins_list(call_ins: QuerySet[CallIn]) -> QuerySet[CallIn]:
    return call_ins.annotate(attendee_count=Count("attendees")).order_by("-held_on", "-id")


def call_in_candidates(people: QuerySet[Person]) -> QuerySet[Person]:
    """Who may be invited to a call-in: people shared with the partnership or on a caseload."""
    shared = PartnershipShare.objects.filter(person=OuterRef("pk"), withdrawn_at__isnull=True)
    enrolled = Enrolment.objects.filter(person=OuterRef("pk"), ended_on__isnull=True)
    return people.filter(Exists(shared) | Exists(enrolled)).order_by("last_name", "first_name")


def call_in_candidates_matching(candidates: QuerySet[Person], text: str, *, limit: int = 20):
    """The type-ahead of the call-in form: every word must match a first or last name (aliases
    are intelligence, not searched here). Namesakes are told apart by the caller's labels."""
    words = (text or "").split()
    if not words:
        return []
    for word in words[:4]:
        candidates = candidates.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(candidates[:limit])


# --- Digest -----------------------------------------------------------------------------------


def followup_digest_batches(*, today: dt.date) -> Iterator[tuple[Organisation, list[Task]]]:
    """(organisation, its open tasks overdue, due within seven days or still unanswered two
    working days after they were given), organisations with any."""
    horizon = today + dt.timedelta(days=6)
    due = Q(due_date__isnull=False, due_date__lte=horizon)
    unanswered = Q(referral=Task.Referral.AWAITING, created_at__lt=referral_cutoff(today))
    tasks = (
        tasks_open()
        .filter(due | unanswered, assigned_organisation__active=True)
        .select_related("assigned_organisation", "assigned_user")
        .order_by("assigned_organisation__name", "assigned_organisation_id", "due_date", "id")
    )
    current: Organisation | None = None
    batch: list[Task] = []
    for task in tasks:
        if current is not None and task.assigned_organisation_id != current.pk:
            yield current, batch
            batch = []
        current = task.assigned_organisation
        batch.append(task)
    if current is not None and batch:
        yield current, batch


def escalations_by_maker(*, today: dt.date) -> Iterator[tuple[User, list[Task]]]:
    """(user, the escalated tasks they asked for), for every active user with an e-mail address
    who made any: their own daily reminder to chase what is late, overdue or declined."""
    tasks = (
        referrals_escalated(
            Task.objects.filter(created_by__is_active=True).exclude(created_by__email=""),
            today=today,
        )
        .select_related("created_by")
        .order_by("created_by_id", "due_date", "id")
    )
    for _, batch in groupby(tasks, key=lambda task: task.created_by_id):
        batch = list(batch)
        yield batch[0].created_by, batch


def organisation_emails(organisation: Organisation) -> list[str]:
    return sorted(
        {
            e
            for e in organisation.users.filter(is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
            if e
        }
    )
