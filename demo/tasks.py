"""Deliverables, follow-ups and commitments made at past meetings, with their dated updates."""

from __future__ import annotations

import bisect
import datetime as dt
import random

from ceasefire.core.models import Meeting, Task, TaskUpdate

from . import users as users_
from .city import City, bulk, local_dt, rng_for, scaled
from .closing import replay_first_read
from .loading import unsaved
from .meetings import incidents_in_window

K = Task.Kind
# kind, organisation key, title, subject (person, group, conflict or none)
TASK_TEMPLATES = {
    Meeting.Kind.SHOOTING_REVIEW: [
        (
            K.INFORMATION_GATHERING,
            "police",
            "Identify the shooter's associates and vehicle",
            "person",
        ),
        (
            K.INFORMATION_GATHERING,
            "police",
            "Confirm group affiliation with the area CRT",
            "person",
        ),
        (K.CUSTOM_NOTIFICATION, "police", "Deliver a custom notification", "person"),
        (K.ENFORCEMENT, "police", "Update the enforcement plan for the group", "group"),
        (K.INFORMATION_GATHERING, "police", "Map the current state of the conflict", "conflict"),
        (K.HOSPITAL_RESPONSE, "hospital", "Bedside visit to the wounded victim", "person"),
        (K.ENFORCEMENT, "probation", "Compliance check on supervisee", "person"),
    ],
    Meeting.Kind.COORDINATION: [
        (K.LIFE_COACH, "life_coaches", "Life-coach outreach and enrolment offer", "person"),
        (K.FAMILY_SUPPORT, "family", "Support for the victim's family", "person"),
        (K.CONFLICT_MEDIATION, "outreach", "Mediate between the groups", "conflict"),
        (K.STREET_OUTREACH, "outreach", "Street outreach on the block", "group"),
        (K.IN_REACH, "reentry", "Jail in-reach before release", "person"),
        (K.SERVICE_REFERRAL, "hsd", "Referral to job training", "person"),
        (K.HOSPITAL_RESPONSE, "hospital", "Hospital response for the latest victim", "person"),
        (K.OTHER, "faith", "Community vigil and outreach walk", None),
    ],
    Meeting.Kind.PERFORMANCE_REVIEW: [
        (K.OTHER, "hsd", "Reconcile risk definitions for the client pool", None),
        (K.OTHER, "police", "Fill CRT vacancies", None),
        (K.OTHER, "mayor", "Convene custom-notification training", None),
        (K.SERVICE_REFERRAL, "hsd", "Expand life-coach capacity", None),
        (K.OTHER, "police", "Bring enforcement plans up to date", None),
    ],
}
PER_MEETING = {
    Meeting.Kind.SHOOTING_REVIEW: 4,
    Meeting.Kind.COORDINATION: 5,
    Meeting.Kind.PERFORMANCE_REVIEW: 4,
}
ASSIGNEE = {
    "police": users_.FACILITATOR,
    "life_coaches": users_.CASE_MANAGER,
    "hsd": users_.PARTNER_LEAD,
    "faith": users_.COMMUNITY_PARTNER,
}
UPDATE_NOTES = [
    "Contact made; follow-up scheduled.",
    "Waiting on information from the area CRT.",
    "Done; see notes.",
    "Attempted twice, could not locate.",
]


def task_status(rng: random.Random, due: dt.date, today: dt.date) -> str:
    """Older tasks mostly done, recent ones open; a few stay open past their due date (overdue)."""
    if due < today - dt.timedelta(days=120):
        # a live partnership closes or cancels what is months old
        weights = {"done": 91, "cancelled": 9}
    elif due < today - dt.timedelta(days=30):
        weights = {"done": 88, "cancelled": 7, "open": 3, "in_progress": 1, "blocked": 1}
    elif due < today:
        weights = {"done": 50, "in_progress": 20, "open": 20, "blocked": 10}
    else:
        weights = {"open": 50, "in_progress": 35, "done": 10, "blocked": 5}
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Subjects:
    """Who and what a meeting's tasks may be about."""

    def __init__(self, city: City):
        self.city = city
        self.shares = sorted(city.shares, key=lambda s: s.shared_at)
        self.shared_on = [s.shared_at.date() for s in self.shares]
        self.windows = {pk: (start, end) for pk, _, start, end in city.review_windows}
        self.conflicts = [c[0] for c in city.conflicts]
        self.groups = [g for groups in city.groups_by_area.values() for g in groups]

    def people(self, kind: str, day: dt.date, meeting_pk: int) -> list[int]:
        """A review's shootings' people; a coordination meeting's newly shared people (or the
        200 shared most recently and still shared)."""
        if kind == Meeting.Kind.SHOOTING_REVIEW:
            window = incidents_in_window(self.city, *self.windows[meeting_pk])
            pool = sorted({pk for *_, who in window for pk, _ in who})
        elif kind == Meeting.Kind.COORDINATION:
            pool = self.city.shared_at_meeting.get(meeting_pk) or self.shared_on_day(day)
        else:
            pool = []
        return [pk for pk in pool if self.city.alive_on(pk, day)]

    def shared_on_day(self, day: dt.date, limit: int = 200) -> list[int]:
        """The people shared with the partnership on ``day``, most recently shared first."""
        found = []
        for share in reversed(self.shares[: bisect.bisect_right(self.shared_on, day)]):
            if share.withdrawn_at is None or share.withdrawn_at.date() > day:
                found.append(share.person_id)
                if len(found) == limit:
                    break
        return found


def tasks_create(city: City) -> list[Task]:
    rng = rng_for(city.options, "tasks")
    subjects = Subjects(city)
    rows: list[Task] = []
    for kind, meetings in city.meetings.items():
        for day, meeting_pk in meetings:
            pool = subjects.people(kind, day, meeting_pk)
            expected = rng.uniform(PER_MEETING[kind] - 2, PER_MEETING[kind] + 2)
            for _ in range(scaled(rng, expected, city.options.scale)):
                rows.append(task_build(city, rng, kind, day, meeting_pk, pool, subjects))
    city.task_updates = task_updates_plan(city, rng, rows)
    _referral_examples(rows)
    _overdue_example(city, rows)
    _insert_as_made(city, rows)
    return rows


def _overdue_example(city: City, tasks: list[Task]) -> None:
    """The partner lead's home always has something to chase, whatever the day it is seeded on:
    when chance left none of their organisation's open tasks overdue or declined, the open one
    due soonest is made due yesterday."""
    org = city.orgs["hsd"]
    open_ = [t for t in tasks if t.status == Task.Status.OPEN and t.assigned_organisation == org]
    if not open_ or any(
        t.due_date < city.today or t.referral == Task.Referral.DECLINED for t in open_
    ):
        return
    min(open_, key=lambda t: (t.due_date, t.created_at)).due_date = city.today - dt.timedelta(
        days=1
    )


def _referral_examples(tasks: list[Task]) -> None:
    """Every city shows the referral states the pages handle, whatever the day it is seeded on:
    when chance left no open referral awaiting an answer (or none declined), the most recent
    open one (the most recent of the rest) is made so."""
    referred = sorted(
        (
            t
            for t in tasks
            if t.status == Task.Status.OPEN
            and (t.referral_answered_at or t.referral == Task.Referral.AWAITING)
        ),
        key=lambda t: t.created_at,
    )
    if referred and not any(t.referral == Task.Referral.AWAITING for t in referred):
        latest = referred[-1]
        latest.referral = Task.Referral.AWAITING
        latest.referral_answered_at = latest.referral_answered_by = None
    answered = [t for t in referred if t.referral != Task.Referral.AWAITING]
    if answered and not any(t.referral == Task.Referral.DECLINED for t in answered):
        latest = answered[-1]
        latest.referral = Task.Referral.DECLINED
        latest.decline_reason = DECLINE_REASONS[0]
        latest.referral_answered_at = latest.created_at + dt.timedelta(hours=20)


def _insert_as_made(city: City, tasks: list[Task]) -> None:
    """Write the tasks as they stand when the replay (``demo.closing``) first reads them: open,
    as their meeting made them, with the status changes made until then; the replay sets each
    later status as its update happens. (Written open and updated, every task would leave a dead
    row version that each close's query of the open tasks visits until the seed commits.) The
    objects keep their final status for the generators that follow."""
    final = [t.status for t in tasks]
    for task in tasks:
        task.status = Task.Status.OPEN
    until = replay_first_read(city)
    for update in city.task_updates:  # oldest first
        if update.created_at > until:
            break
        if update.status_to:
            update.task.status = update.status_to
    bulk(Task, tasks)
    for task, status in zip(tasks, final, strict=True):
        task.status = status


def task_build(city: City, rng, kind, day, meeting_pk, pool, subjects: Subjects) -> Task:
    task_kind, org_key, title, subject = rng.choice(TASK_TEMPLATES[kind])
    due = day + dt.timedelta(days=rng.choice([7, 7, 14, 14, 21, 28, 42]))
    status = task_status(rng, due, city.today)
    created_at = local_dt(day, 13, rng.randrange(60))
    performance = kind == Meeting.Kind.PERFORMANCE_REVIEW
    task = unsaved(
        Task,
        title=title,
        kind=task_kind,
        assigned_organisation=city.orgs[org_key],
        due_date=due,
        status=status,
        source_meeting_id=meeting_pk,
        created_at=created_at,
        updated_at=created_at,
        created_by=city.users[users_.EXECUTIVE if performance else users_.FACILITATOR],
    )
    if org_key in ASSIGNEE and rng.random() < 0.35:
        task.assigned_user = city.users[ASSIGNEE[org_key]]
    if subject == "person" and pool:
        task.subject_person_id = rng.choice(pool)
    elif subject == "conflict":
        task.subject_conflict_id = rng.choice(subjects.conflicts)
    elif subject == "group":
        task.subject_group_id = rng.choice(subjects.groups)
    if status == Task.Status.DONE:
        _complete(city, rng, task, day, due)
    _referral(city, rng, task, org_key, "mayor" if performance else "police")
    return task


DECLINE_REASONS = [
    "No capacity this month: our two life coaches carry full caseloads.",
    "Outside our service area; the family has moved to Hayward.",
    "We already work with this family through another programme.",
]


def _referral(city: City, rng: random.Random, task: Task, org_key: str, maker_org: str) -> None:
    """Work given to another organisation was accepted within hours to a few days; most of the
    last week's still await an answer, and now and then an open one was declined."""
    if org_key == maker_org:
        return  # one's own organisation's work: accepted from the start
    answerer = city.users.get(ASSIGNEE.get(org_key, ""))
    made_on = task.created_at.date()
    if task.status != Task.Status.DONE and (city.today - made_on).days <= 7 and rng.random() < 0.6:
        task.referral = Task.Referral.AWAITING
        return
    task.referral_answered_by = answerer
    if task.status == Task.Status.OPEN and rng.random() < 0.04:
        task.referral = Task.Referral.DECLINED
        task.decline_reason = rng.choice(DECLINE_REASONS)
        task.referral_answered_at = task.created_at + dt.timedelta(hours=rng.randint(5, 40))
        return
    task.referral = Task.Referral.ACCEPTED
    hours = rng.choice([2, 4, 6, 20, 26, 30, 48, 70, 100])
    task.referral_answered_at = task.created_at + dt.timedelta(hours=hours)


def _complete(city: City, rng: random.Random, task: Task, day: dt.date, due: dt.date) -> None:
    done_day = min(
        day + dt.timedelta(days=rng.randint(2, (due - day).days + 10)),
        city.today - dt.timedelta(days=1),
    )
    task.completed_at = max(
        local_dt(done_day, 17, rng.randrange(60)), task.created_at + dt.timedelta(hours=1)
    )
    task.updated_at = task.completed_at


def task_updates_plan(city: City, rng: random.Random, tasks: list[Task]) -> list[TaskUpdate]:
    """Every task's dated updates, oldest first (written by the replay)."""
    rows = []
    for task in tasks:
        author = (
            task.assigned_user
            or city.users[
                users_.FACILITATOR
                if task.assigned_organisation == city.orgs["police"]
                else users_.PARTNER_LEAD
            ]
        )
        rows += _updates(city, rng, task, author)
    return sorted(rows, key=lambda u: u.created_at)


def _updates(city: City, rng: random.Random, task: Task, author) -> list[TaskUpdate]:
    """An open task maybe has a note; a finished one its status changes (done: often via
    in progress)."""

    def update(at, note, status_from="", status_to=""):
        return unsaved(
            TaskUpdate,
            task=task,
            author=author,
            created_at=at,
            note=note,
            status_from=status_from,
            status_to=status_to,
        )

    if task.status == Task.Status.OPEN:
        if rng.random() < 0.3:
            at = min(task.created_at + dt.timedelta(days=rng.randint(1, 6)), city.cutoff)
            return [update(at, rng.choice(UPDATE_NOTES))]
        return []
    end = task.completed_at or min(
        task.created_at + dt.timedelta(days=rng.randint(2, 20)), city.cutoff
    )
    if task.status == Task.Status.DONE and rng.random() < 0.5:
        mid = task.created_at + (end - task.created_at) / 2
        return [
            update(mid, UPDATE_NOTES[0], "open", "in_progress"),
            update(end, UPDATE_NOTES[2], "in_progress", "done"),
        ]
    if task.status == Task.Status.BLOCKED:
        note = UPDATE_NOTES[3]
    else:
        note = rng.choice(UPDATE_NOTES[:3] if task.status == Task.Status.DONE else UPDATE_NOTES[:2])
    return [update(end, note, "open", task.status)]
