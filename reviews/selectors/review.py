"""Reads of the weekly shooting review: its window, the list, and everything its page shows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ceasefire.core.dataversion import RECORDS, cached_on_data, queryset_key
from ceasefire.core.models import (
    Conflict,
    Group,
    Incident,
    Involvement,
    Meeting,
    Person,
    RiskDesignation,
    Task,
    derive_kind,
)
from ceasefire.core.selectors import (
    designations_due_for_review,
    designations_pending,
    local_midnight,
    tasks_carried_forward,
)

from ..models import (
    DesignationDecision,
    FollowUpChoice,
    ReviewIncident,
    ReviewSummary,
    RiskDecision,
)
from .incidents import conflicts_hottest
from .live import entry_fingerprints, section_fingerprint
from .suggestions import RankedSuggestions, Suggestion, suggestions_for_review

DEFAULT_FIRST_WINDOW_DAYS = 7


def review_window_proposed(
    day: dt.date, *, reviews: QuerySet[Meeting] | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """From the end of the previous review's window to the start of the meeting day (local time).

    The windows tile: a shooting at 23:59 the night before belongs to this review, one at
    00:00 on the meeting day to the next one. The first review looks back a week.
    """
    reviews = reviews if reviews is not None else Meeting.objects.all()
    end = local_midnight(day)
    previous = (
        reviews.filter(
            kind=Meeting.Kind.SHOOTING_REVIEW, window_end__isnull=False, window_end__lt=end
        )
        .order_by("-window_end")
        .first()
    )
    start = (
        previous.window_end
        if previous
        else local_midnight(day - dt.timedelta(days=DEFAULT_FIRST_WINDOW_DAYS))
    )
    return timezone.localtime(start), end


def since_last_review(reviews: QuerySet[Meeting]) -> dt.datetime:
    """Where the next review's window will start: the end of the latest window, or a week ago."""
    latest = (
        reviews.filter(
            kind=Meeting.Kind.SHOOTING_REVIEW,
            window_end__isnull=False,
            window_end__lte=timezone.now(),
        )
        .order_by("-window_end")
        .values_list("window_end", flat=True)
        .first()
    )
    return (
        timezone.localtime(latest)
        if latest
        else local_midnight(timezone.localdate() - dt.timedelta(days=DEFAULT_FIRST_WINDOW_DAYS))
    )


def incidents_in_review_window(review: Meeting) -> QuerySet[Incident]:
    """Every shooting (fatal, non-fatal, non-injury) and homicide in the window, whatever its
    counting status."""
    return (
        Incident.objects.in_window(review.window_start, review.window_end)
        .with_kind()
        .exclude(kind_code="other")
        .order_by("occurred_at", "id")
    )


def reviews_list(reviews: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return (
        reviews.filter(kind=Meeting.Kind.SHOOTING_REVIEW)
        .select_related("facilitator")
        .annotate(
            incident_count=Count("review_incidents", distinct=True),
            task_count=Count("tasks", distinct=True),
        )
        .order_by("-date", "-id")
    )


def review_incidents(
    meeting: Meeting, *, pks=None, start: int = 0, limit: int | None = None
) -> list[ReviewIncident]:
    """The agenda's shootings with their facts and people (``pks``: only those entries;
    ``start`` and ``limit``: a batch of them in agenda order)."""
    victims = Involvement.objects.select_related("person").order_by("role", "id")
    entries = ReviewIncident.objects.filter(meeting=meeting)
    if pks is not None:
        entries = entries.filter(pk__in=pks)
    entries = (
        entries.select_related(
            "incident__conflict__group_a", "incident__conflict__group_b", "updated_by"
        )
        .prefetch_related(
            Prefetch("incident__involvements", queryset=victims),
            "incident__groups",
            Prefetch(
                "incident__related_incidents", queryset=Incident.objects.order_by("-occurred_at")
            ),
        )
        .order_by("order", "id")
    )
    return list(entries[start : None if limit is None else start + limit])


SHOOTINGS_PER_BATCH = 20
ROWS_PER_BATCH = 15
ROW_PARTS = ("deliverables", "due")


def _batched(rows: QuerySet, *, size: int | None, start: int = 0) -> tuple[list, int, int | None]:
    """(the rows from ``start`` — at most ``size``, all when None —, how many there are in
    all, where the next batch begins or None when these end the list)."""
    if size is None:
        drawn = list(rows)
        return drawn, len(drawn), None
    drawn = list(rows[start : start + size])
    total = start + len(drawn) if len(drawn) < size else rows.count()
    following = start + len(drawn)
    return drawn, total, following if drawn and following < total else None


def _row_sources(meeting: Meeting, tasks: QuerySet[Task]) -> dict[str, QuerySet]:
    """The two long lists of an open review: deliverables carried forward, designations due
    (less those already decided at this review)."""
    decided = DesignationDecision.objects.filter(meeting=meeting).values("designation_id")
    return {
        "deliverables": tasks_carried_forward(Meeting.Kind.SHOOTING_REVIEW, meeting.date, tasks),
        "due": designations_due_for_review(meeting.date).exclude(pk__in=decided),
    }


AGENDA_PARTS = ("deliverables", "shootings", "risk", "response")  # the page's four sections


def review_agenda_part(
    meeting: Meeting, part: str, *, tasks: QuerySet[Task], batch: bool = False
) -> dict:
    """What one of the four sections of a review shows (``part``: ``AGENDA_PARTS``), in a
    bounded number of queries.

    ``batch``: the live page draws the first SHOOTINGS_PER_BATCH shootings and the first
    ROWS_PER_BATCH deliverables and designations due, and loads the rest as the facilitator
    reaches them (``review_shootings_batch``, ``review_rows_batch``), so a week of 300 shootings
    costs what a week of 40 does; the minutes (``batch=False``) show every one."""
    size = ROWS_PER_BATCH if batch else None
    if part == "shootings":
        entries = _agenda_entries(meeting, limit=SHOOTINGS_PER_BATCH if batch else None)
        total = len(entries)
        if batch and total == SHOOTINGS_PER_BATCH:
            total = ReviewIncident.objects.filter(meeting=meeting).count()
        return {
            "entries": entries,
            "entries_total": total,
            "entries_next": len(entries) if total > len(entries) else None,
        }
    if part == "deliverables":
        if meeting.is_closed:
            summary = ReviewSummary.objects.filter(meeting=meeting).first()
            deliverables = summary.deliverables_at_close if summary else []
            deliverables_total, deliverables_next = len(deliverables), None
        else:
            deliverables, deliverables_total, deliverables_next = _batched(
                _row_sources(meeting, tasks)["deliverables"], size=size
            )
        return {
            "deliverables": deliverables,
            "deliverables_total": deliverables_total,
            "deliverables_next": deliverables_next,
        }
    if part == "risk":
        due, due_total, due_next = _batched(_row_sources(meeting, tasks)["due"], size=size)
        return {
            "summary": ReviewSummary.objects.filter(meeting=meeting).first(),  # review_create
            "pending": [] if meeting.is_closed else list(designations_pending()),
            "due": due,
            "due_total": due_total,
            "due_next": due_next,
            "designation_decisions": list(
                DesignationDecision.objects.filter(meeting=meeting).select_related(
                    "person", "designation", "decided_by"
                )
            ),
            "hottest": conflicts_hottest(meeting.date),
            "followups": list(
                FollowUpChoice.objects.filter(meeting=meeting).select_related("person", "chosen_by")
            ),
        }
    if part == "response":
        return {
            "new_tasks": list(
                tasks.filter(source_meeting=meeting).select_related(
                    "assigned_organisation",
                    "subject_person",
                    "subject_group",
                    "subject_conflict__group_a",
                    "subject_conflict__group_b",
                )
            ),
        }
    raise ValueError(f"A review's agenda has no part {part!r}.")


def review_agenda(meeting: Meeting, *, tasks: QuerySet[Task], batch: bool = False) -> dict:
    """Everything the four sections of a review show (``review_agenda_part`` of each)."""
    agenda: dict = {}
    for part in AGENDA_PARTS:
        agenda.update(review_agenda_part(meeting, part, tasks=tasks, batch=batch))
    return agenda


def open_review_agenda_part(meeting: Meeting, part: str, *, tasks: QuerySet[Task]) -> dict:
    """One section of the live page's agenda (``review_agenda_part`` in batches) with the live
    poll's fingerprint: of each shooting (``entry.fingerprint``), or of the section
    (``"fingerprint"``).

    Cached by the versions of the tables its computation reads (``cached_on_data`` with
    RECORDS), per meeting, part and the tasks the reader may see: computed once per change to
    what it shows and shared by everyone watching the review -- in a live meeting,
    facilitators, police viewers and the projector open it every few seconds, and a shooting's
    answer leaves the other three sections as they were. Who may see the page is checked
    before, and the people it names are audited for each reader after
    (``review_people_ids``)."""

    def compute() -> dict:
        agenda = review_agenda_part(meeting, part, tasks=tasks, batch=True)
        if part == "shootings":
            fingerprints = entry_fingerprints(meeting)
            for entry in agenda["entries"]:
                entry.fingerprint = fingerprints.get(entry.pk, "")
        else:
            agenda["fingerprint"] = section_fingerprint(meeting, part, tasks=tasks)
        return agenda

    return cached_on_data(
        f"reviews:open-agenda:{meeting.pk}:{part}:{queryset_key(tasks)}",
        compute,
        scope=RECORDS,
    )


def open_review_agenda(meeting: Meeting, *, tasks: QuerySet[Task]) -> dict:
    """The live page's whole agenda: its four parts (``open_review_agenda_part``), with the
    three sections' fingerprints under ``"fingerprints"``."""
    agenda: dict = {"fingerprints": {}}
    for part in AGENDA_PARTS:
        section = dict(open_review_agenda_part(meeting, part, tasks=tasks))
        if "fingerprint" in section:
            agenda["fingerprints"][part] = section.pop("fingerprint")
        agenda.update(section)
    return agenda


def review_rows_batch(meeting: Meeting, part: str, *, tasks: QuerySet[Task], start: int) -> dict:
    """The next batch of an open review's deliverables or designations due (``part``), from
    ``start``: the rows, how many there are in all and where the batch after begins."""
    rows, total, following = _batched(
        _row_sources(meeting, tasks)[part], size=ROWS_PER_BATCH, start=start
    )
    return {"rows": rows, "total": total, "next": following}


def review_shootings_batch(meeting: Meeting, *, start: int) -> dict:
    """The next batch of an open review's shootings, from ``start`` (agenda order), and where
    the one after begins (None: this batch ends the agenda)."""
    entries = _agenda_entries(meeting, start=start, limit=SHOOTINGS_PER_BATCH)
    total = ReviewIncident.objects.filter(meeting=meeting).count()
    following = start + len(entries)
    return {
        "entries": entries,
        "entries_total": total,
        "entries_next": following if entries and following < total else None,
    }


ANSWERS_PER_SHOOTING = 7


def _agenda_entries(
    meeting: Meeting, *, pks=None, start: int = 0, limit: int | None = None
) -> list[ReviewIncident]:
    """The shootings on the agenda with their victims, everyone else involved, how many of the
    seven questions are answered and who was confirmed at imminent risk (from the decisions: the
    ranked suggestions are computed per shooting, on demand — ``review_entry``)."""
    entries = review_incidents(meeting, pks=pks, start=start, limit=limit)
    decided: dict[int, list[Suggestion]] = {}
    decisions = (
        RiskDecision.objects.filter(
            meeting=meeting, incident_id__in=[e.incident_id for e in entries]
        )
        .select_related("person", "decided_by")
        .order_by("person__last_name", "person__first_name", "id")
    )
    for decision in decisions:
        decided.setdefault(decision.incident_id, []).append(
            Suggestion(person=decision.person, decision=decision)
        )
    for entry in entries:
        involvements = entry.incident.involvements.all()
        entry.decided = decided.get(entry.incident_id, [])
        entry.confirmed = [
            s for s in entry.decided if s.decision.decision == RiskDecision.Decision.CONFIRMED
        ]
        entry.victims = [i for i in involvements if i.role == Involvement.Role.VICTIM]
        entry.others = [i for i in involvements if i.role != Involvement.Role.VICTIM]
        entry.incident.kind_code = derive_kind(
            entry.incident.weapon, {v.injury for v in entry.victims}
        )
        entry.answered = _answered_count(entry)
        entry.answers_total = ANSWERS_PER_SHOOTING
    return entries


def _answered_count(entry: ReviewIncident) -> int:
    """How many of a shooting's seven review questions have an answer."""
    incident = entry.incident
    return sum(
        (
            incident.circumstance != Incident.Circumstance.UNKNOWN,
            bool(entry.motive.strip()),
            incident.group_involved != Incident.GroupInvolved.UNKNOWN,
            incident.conflict_id is not None,
            entry.retaliation != ReviewIncident.Retaliation.UNKNOWN,
            bool(incident.groups.all()),
            bool(entry.risk_notes.strip()),
        )
    )


def _ranked(entry: ReviewIncident, ranked: RankedSuggestions | None) -> ReviewIncident:
    entry.suggestions = ranked.shown if ranked else []
    entry.more_suggestions = ranked.more if ranked else []
    return entry


def review_entry(meeting: Meeting, entry_pk: int) -> ReviewIncident | None:
    """One shooting of the agenda with everything its details show: the ranked suggestions
    (at most the cap, the weaker rest apart) and the decisions taken on them."""
    entries = _agenda_entries(meeting, pks=[entry_pk])
    if not entries:
        return None
    entry = entries[0]
    return _ranked(entry, suggestions_for_review(entries, meeting).get(entry.incident_id))


def open_review_suggestions(meeting: Meeting, incident_id: int) -> RankedSuggestions | None:
    """An open review's ranked suggestions for one shooting, cached by the tables they are
    worked out from (``cached_on_data`` with RECORDS): the incident and its people, their
    earlier incidents, designations and conflicts, the decisions taken -- read here from the
    incident alone, not through the agenda entry, so a scribe's answer on a shooting (its entry)
    leaves every shooting's suggestions as they were."""

    def compute() -> tuple[RankedSuggestions | None]:
        people = Involvement.objects.select_related("person").order_by("role", "id")
        incident = (
            Incident.objects.select_related("conflict__group_a", "conflict__group_b")
            .prefetch_related(Prefetch("involvements", queryset=people))
            .filter(pk=incident_id)
            .first()
        )
        if incident is None:
            return (None,)
        ranked = suggestions_for_review([ReviewIncident(incident=incident)], meeting)
        return (ranked.get(incident_id),)

    (ranked,) = cached_on_data(
        f"reviews:open-suggestions:{meeting.pk}:{incident_id}", compute, scope=RECORDS
    )
    return ranked


def open_review_entry(meeting: Meeting, entry_pk: int) -> ReviewIncident | None:
    """``review_entry`` of an open review with its live-poll fingerprint, cached by the tables it
    reads like the agenda (``open_review_agenda``), its suggestions apart
    (``open_review_suggestions``): the ranked suggestions are worked out once per change to what
    they are made from, however many facilitators and viewers open the shooting."""

    def compute() -> tuple[ReviewIncident | None]:
        entries = _agenda_entries(meeting, pks=[entry_pk])
        if not entries:
            return (None,)
        entry = _ranked(entries[0], open_review_suggestions(meeting, entries[0].incident_id))
        entry.fingerprint = entry_fingerprints(meeting).get(entry.pk, "")
        return (entry,)

    (entry,) = cached_on_data(
        f"reviews:open-entry:{meeting.pk}:{entry_pk}",
        compute,
        scope=RECORDS,
    )
    return entry


def review_entries(meeting: Meeting, *, pks=None) -> list[ReviewIncident]:
    """The agenda's shootings as the page lists them (``pks``: only those), no suggestions."""
    return _agenda_entries(meeting, pks=pks)


def review_entry_people_ids(entry: ReviewIncident) -> list[int]:
    """Every person a shooting's card and details name, for the audit event of showing them."""
    ids = {i.person_id for i in entry.incident.involvements.all() if i.person_id}
    ids |= {s.person.pk for s in entry.confirmed}
    ids |= {
        s.person.pk
        for s in getattr(entry, "suggestions", []) + getattr(entry, "more_suggestions", [])
    }
    return sorted(ids)


def review_entries_neighbours(meeting: Meeting, entry_pk: int) -> tuple[int | None, int | None]:
    """The agenda entries before and after one (the details page's previous / next links)."""
    order = list(
        ReviewIncident.objects.filter(meeting=meeting)
        .order_by("order", "id")
        .values_list("pk", flat=True)
    )
    if entry_pk not in order:
        return None, None
    at = order.index(entry_pk)
    return (order[at - 1] if at else None), (order[at + 1] if at + 1 < len(order) else None)


CANDIDATES_SHOWN = 12


def review_candidate_ids(meeting: Meeting) -> set[int]:
    """Whom the risk and response sections may name, in one query: the people confirmed at
    imminent risk at this review, the victims of its shootings (identified), and the people of
    the designations due for review or, while it is open, pending."""
    confirmed = RiskDecision.objects.filter(
        meeting=meeting, decision=RiskDecision.Decision.CONFIRMED
    ).values_list("person_id", flat=True)
    victims = Involvement.objects.filter(
        role=Involvement.Role.VICTIM,
        person__isnull=False,
        incident_id__in=ReviewIncident.objects.filter(meeting=meeting).values("incident_id"),
    ).values_list("person_id", flat=True)
    named = [_row_sources(meeting, Task.objects.none())["due"]]
    if not meeting.is_closed:
        named.append(designations_pending())
    named_ids = [
        designations.select_related(None)
        .prefetch_related(None)
        .order_by()
        .values_list("person_id", flat=True)
        for designations in named
    ]
    return set(confirmed.order_by().union(victims.order_by(), *named_ids))


def review_candidates(meeting: Meeting) -> QuerySet[Person]:
    """``review_candidate_ids`` as people (what a posted choice is checked against)."""
    return Person.objects.filter(pk__in=review_candidate_ids(meeting))


def review_candidates_matching(
    meeting: Meeting, text: str, *, limit: int = CANDIDATES_SHOWN
) -> tuple[list[Person], bool]:
    """The review's type-ahead of people (designate, follow-up, a deliverable's subject): the
    candidates whose first name, last name or alias holds every word typed, by name; with nothing
    typed, those confirmed at imminent risk at this review (whom the sections name most). At most
    ``limit``, each with their open designation; and whether more match."""
    words = (text or "").split()[:4]
    if words:
        people = review_candidates(meeting)
        for word in words:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(aliases__icontains=word)
            )
    else:
        people = Person.objects.filter(
            pk__in=RiskDecision.objects.filter(
                meeting=meeting, decision=RiskDecision.Decision.CONFIRMED
            ).values("person_id")
        )
    found = list(people.order_by("last_name", "first_name", "id")[: limit + 1])
    active = {
        designation.person_id: designation
        for designation in RiskDesignation.objects.open()
        .filter(person_id__in=[person.pk for person in found])
        .order_by("designated_on")
    }
    for person in found:
        person.open_designation = active.get(person.pk)
    return found[:limit], len(found) > limit


def task_subjects_matching(
    groups: QuerySet[Group], conflicts: QuerySet[Conflict], text: str, *, limit: int = 6
) -> dict[str, list]:
    """The groups and current conflicts (of those given) whose names hold every word typed: the
    rest of a new deliverable's type-ahead of subjects (the people are the review's candidates)."""
    words = (text or "").split()[:4]
    if not words:
        return {"groups": [], "conflicts": []}
    for word in words:
        groups = groups.filter(name__icontains=word)
        conflicts = conflicts.filter(
            Q(group_a__name__icontains=word) | Q(group_b__name__icontains=word)
        )
    return {
        "groups": list(groups.order_by("name", "id")[:limit]),
        "conflicts": list(
            conflicts.select_related("group_a", "group_b").order_by("-started_on", "id")[:limit]
        ),
    }


def suggestion_reasons(review: Meeting, *, incident: Incident, person: Person) -> list:
    """The reasons the review currently offers for ``person`` after ``incident`` (the ranked
    terms the facilitator may accept); empty for someone not suggested."""
    entries = [e for e in review_incidents(review) if e.incident_id == incident.pk]
    if not entries:
        return []
    ranked = suggestions_for_review(entries, review, cap=0)[incident.pk]
    found = next((s for s in ranked.all if s.person.pk == person.pk), None)
    return list(found.reasons) if found else []


def review_incidents_involving(review: Meeting, person: Person) -> list[Incident]:
    """The shootings on the review's agenda that involve ``person`` (a designation's basis)."""
    return list(
        Incident.objects.filter(
            review_entries__meeting=review, involvements__person=person
        ).distinct()
    )


def review_suggestions_offered(entries) -> dict[str, list[int]]:
    """The people each shooting of an open review offers as imminent-risk suggestions (shown
    and the collapsed weaker ones), by incident id: logged in the audit event of the view that
    shows them (a shooting's details), so the oversight report counts suggestions offered, not
    only those decided."""
    offered = {}
    for entry in entries:
        shown = getattr(entry, "suggestions", []) + getattr(entry, "more_suggestions", [])
        if shown:
            offered[str(entry.incident_id)] = sorted(s.person.pk for s in shown)
    return offered


def review_people_ids(agenda: dict) -> list[int]:
    """Every person named on a review page -- or on the part of it ``agenda`` holds -- for the
    audit event of viewing it."""
    ids: set[int] = set()
    for entry in agenda.get("entries", []):
        ids |= {i.person_id for i in entry.incident.involvements.all() if i.person_id}
        ids |= {s.person.pk for s in entry.confirmed}
    ids |= {d.person_id for d in agenda.get("due", []) + agenda.get("pending", [])}
    ids |= {f.person_id for f in agenda.get("followups", [])}
    ids |= {p.pk for p in agenda.get("picker_people", [])}
    ids |= {t.subject_person_id for t in agenda.get("new_tasks", []) if t.subject_person_id}
    ids |= {
        t.subject_person_id
        for t in agenda.get("deliverables", [])
        if isinstance(t, Task) and t.subject_person_id
    }
    return sorted(ids)
