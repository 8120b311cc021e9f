"""The weekly shooting review: creating it with its agenda, refreshing it, live answers, closing."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from ceasefire.core import services as core_services
from ceasefire.core.audit import Action, audit_record
from ceasefire.core.concurrency import ConcurrentEditError, save_versioned
from ceasefire.core.models import (
    AgendaItem,
    Conflict,
    Group,
    Incident,
    IncidentKind,
    Involvement,
    Meeting,
    Task,
    User,
    derive_kind,
)
from ceasefire.core.selectors import tasks_carried_forward

from .. import selectors
from ..models import FollowUpChoice, ReviewIncident, ReviewSummary


def ensure_open(review: Meeting) -> None:
    if review.is_closed:
        raise ValidationError("This review is closed; its minutes are read-only.")


def mark_in_progress(review: Meeting) -> None:
    """The first answer starts the meeting (no version bump: it clashes with nobody's edit)."""
    if review.state == Meeting.State.DRAFT:
        Meeting.objects.filter(pk=review.pk, state=Meeting.State.DRAFT).update(
            state=Meeting.State.IN_PROGRESS
        )
        review.state = Meeting.State.IN_PROGRESS


SECTIONS = [
    ("deliverables", "1. Prior deliverables"),
    ("shootings", "2. Shootings since the last review"),
    ("risk", "3. Risk assessment"),
    ("response", "4. Response plan"),
]


@transaction.atomic
def review_create(
    *,
    user: User,
    date: dt.date,
    window_start: dt.datetime | None = None,
    window_end: dt.datetime | None = None,
) -> Meeting:
    """Create a weekly review with its proposed (or given) window, and build its agenda."""
    proposed_start, proposed_end = selectors.review_window_proposed(date)
    review = Meeting(
        kind=Meeting.Kind.SHOOTING_REVIEW,
        date=date,
        window_start=window_start or proposed_start,
        window_end=window_end or proposed_end,
        facilitator=user,
        updated_by=user,
    )
    review.full_clean()
    if review.window_start >= review.window_end:
        raise ValidationError({"window_start": "The window must start before it ends."})
    if date > timezone.localdate() + dt.timedelta(days=14):
        raise ValidationError(
            {"date": "That is more than two weeks ahead — check the meeting date."}
        )
    twin = Meeting.objects.filter(kind=Meeting.Kind.SHOOTING_REVIEW, date=date).first()
    if twin is not None:
        raise ValidationError(
            {
                "date": "There is already a shooting review on "
                f"{date_format(date, 'j M Y')}: open it instead."
            }
        )
    review.save()
    review.attendees.add(user)
    ReviewSummary.objects.create(meeting=review, updated_by=user)
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(meeting=review, section=key, order=n * 1000, title=title)
            for n, (key, title) in enumerate(SECTIONS)
        ]
    )
    added = _agenda_add_incidents(review)
    audit_record(actor=user, action=Action.CREATE, obj=review, detail={"incidents": added})
    return review


def _agenda_add_incidents(review: Meeting) -> int:
    present = set(
        ReviewIncident.objects.filter(meeting=review).values_list("incident_id", flat=True)
    )
    incidents = [i for i in selectors.incidents_in_review_window(review) if i.pk not in present]
    start = ReviewIncident.objects.filter(meeting=review).count()
    ReviewIncident.objects.bulk_create(
        [
            ReviewIncident(meeting=review, incident=i, order=start + n)
            for n, i in enumerate(incidents)
        ]
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=review,
                section="shootings",
                order=1000 + start + n + 1,
                title=str(i),
                incident=i,
            )
            for n, i in enumerate(incidents)
        ]
    )
    return len(incidents)


@transaction.atomic
def review_refresh(*, review: Meeting, user: User) -> int:
    """Add shootings logged in the window since the agenda was built."""
    ensure_open(review)
    added = _agenda_add_incidents(review)
    if added:
        audit_record(
            actor=user, action=Action.CHANGE, obj=review, detail={"incidents_added": added}
        )
    return added


def reviews_prepare_open() -> dict[int, int]:
    """Add newly logged shootings to every open review (the scheduled job, ``prepare_reviews``)."""
    added = {}
    open_reviews = Meeting.objects.filter(kind=Meeting.Kind.SHOOTING_REVIEW).exclude(
        state=Meeting.State.CLOSED
    )
    for review in open_reviews.select_related("facilitator").order_by("date"):
        added[review.pk] = review_refresh(review=review, user=review.facilitator)
    return added


ANSWER_FIELDS: dict[str, tuple[type, tuple[str, ...]]] = {
    "entry": (ReviewIncident, ("motive", "retaliation", "risk_notes")),
    "incident": (Incident, ("circumstance", "group_involved", "conflict", "groups")),
    "summary": (ReviewSummary, ("hottest_conflicts", "enforcement_priorities")),
}


def answer_repr(obj, name: str) -> str:
    """A field's value as the hidden ``was`` input carries it (to detect a clash on that field)."""
    if name == "groups":
        return ",".join(str(pk) for pk in sorted(g.pk for g in obj.groups.all()))
    value = getattr(obj, obj._meta.get_field(name).attname)
    return "" if value is None else str(value)


@transaction.atomic
def review_answer_save(
    *, review: Meeting, user: User, obj, name: str, value, was: str, expected_version: int
):
    """Save one answer of the live review.

    Two facilitators may answer different questions of the same shooting at once: a stale
    version is accepted when *this* field still holds the value the form was loaded with;
    otherwise the save is refused ("changed by X at HH:MM — reload") and nothing is written.
    """
    ensure_open(review)
    model = type(obj)
    current = model.objects.select_for_update().get(pk=obj.pk)
    stored = answer_repr(current, name)
    if current.version != expected_version:
        if stored != was:
            raise ConcurrentEditError(current)
        expected_version = current.version
    wanted = (
        ",".join(str(v) for v in sorted({int(v) for v in value if str(v).isdigit()}))
        if name == "groups"
        else str(value or "")
    )
    if wanted == stored:
        return (
            current  # the same answer again (e.g. the change event after typing): nothing to write
        )
    if name == "groups":
        ids = sorted({int(v) for v in value if str(v).isdigit()})
        linked = set(current.groups.values_list("pk", flat=True))
        groups = list(
            Group.objects.filter(pk__in=ids).filter(Q(archived_on__isnull=True) | Q(pk__in=linked))
        )
        if len(groups) != len(ids):
            raise ValidationError(
                {"groups": "One of those groups no longer exists or is archived — reload."}
            )
        save_versioned(current, expected_version=expected_version, user=user, fields=[])
        current.groups.set(groups)
    else:
        if name == "conflict":
            offered = Conflict.objects.filter(
                Q(archived_on__isnull=True) | Q(pk=current.conflict_id or 0)
            )
            wanted_pk = int(value) if str(value or "").isdigit() else None
            value = offered.filter(pk=wanted_pk).first() if wanted_pk else None
            if wanted_pk and value is None and Conflict.objects.filter(pk=wanted_pk).exists():
                raise ValidationError({"conflict": "That conflict is archived — reload."})
        setattr(current, name, value)
        current.full_clean()
        save_versioned(current, expected_version=expected_version, user=user, fields=[name])
    mark_in_progress(review)
    audit_record(
        actor=user, action=Action.CHANGE, obj=current, detail={"field": name, "review": review.pk}
    )
    return current


@transaction.atomic
def review_close(*, review: Meeting, user: User, expected_version: int) -> Meeting:
    """Freeze the review: snapshot the minutes and share the chosen people with coordination.

    What is shared is the risk assessment and the recommended interventions, never intelligence.
    """
    ensure_open(review)
    current = Meeting.objects.select_for_update().get(pk=review.pk)
    if current.version != expected_version:
        raise ConcurrentEditError(current)
    # Only what the minutes freeze: the shootings' facts, the deliverables as they stand and the
    # people chosen for follow-up (not the suggestions, which the page computes).
    entries = selectors.review_incidents(review)
    for entry in entries:
        entry.facts_at_close = _facts(entry.incident)
    ReviewIncident.objects.bulk_update(entries, ["facts_at_close"], batch_size=500)
    deliverables = tasks_carried_forward(Meeting.Kind.SHOOTING_REVIEW, review.date, Task.objects)
    summary = ReviewSummary.objects.get(meeting=review)
    summary.deliverables_at_close = [
        {
            "title": t.title,
            "owner": str(t.assigned_organisation),
            "due": t.due_date.isoformat() if t.due_date else "",
            "status": t.get_status_display(),
            "from": str(t.source_meeting),
            "last_update": (list(t.updates.all())[-1].note if t.updates.all() else ""),
        }
        for t in deliverables
    ]
    summary.save(update_fields=["deliverables_at_close"])
    for choice in FollowUpChoice.objects.filter(meeting=review).select_related("person"):
        core_services.share_create(
            person=choice.person,
            user=user,
            risk_assessment=choice.risk_assessment,
            recommended_interventions=choice.recommended_interventions,
            source_meeting=review,
            reason=f"Chosen for partner follow-up at the {review} by {choice.chosen_by or user}",
        )
    return core_services.meeting_close(meeting=review, user=user, expected_version=expected_version)


def _facts(incident: Incident) -> dict:
    victims = [i for i in incident.involvements.all() if i.role == Involvement.Role.VICTIM]
    return {
        "case_number": incident.case_number,
        "occurred_at": timezone.localtime(incident.occurred_at).isoformat(),
        "address": incident.address,
        "area": incident.area,
        "kind": IncidentKind(derive_kind(incident.weapon, {v.injury for v in victims})).label,
        "weapon": incident.get_weapon_display(),
        "circumstance": incident.get_circumstance_display(),
        "group_involved": incident.get_group_involved_display(),
        "groups": [g.name for g in incident.groups.all()],
        "conflict": str(incident.conflict) if incident.conflict_id else "",
        "victims": [
            {
                "name": str(v.person) if v.person_id else "Unidentified",
                "injury": v.get_injury_display(),
            }
            for v in victims
        ],
        "counting_status": incident.get_counting_status_display(),
    }
