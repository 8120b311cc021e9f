"""The coordination meetings' own rows: per-person plans for the people on each agenda,
partnership-health items carried forward until closed, and the long-term plans of chronically
high-risk people. The meetings are then closed by the replay (``demo.closing``) through
``coordination.services.coordination_meeting_close``, which freezes their agenda.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict

from ceasefire.core.models import Meeting, Person, Task
from coordination.models import LongTermPlan, PartnershipHealthItem, PersonPlan
from coordination.selectors import people_chronically_high_risk

from . import users as users_
from .city import City, bulk, rng_for
from .loading import rows_update, unsaved

PLAN_NOTES = [
    "Life coach to visit at home with his mother this week; he has asked about work.",
    "Best approached through his grandmother; outreach worker knows the family.",
    "Still in hospital: hospital response team to visit before discharge.",
    "Probation officer and life coach to meet him together after his next check-in.",
    "Family wants to move; HSD to look at relocation support.",
    "Has refused help twice; try again through the faith partner who buried his cousin.",
    "Younger brother also at risk; include him in the family support visit.",
]
# category, title, owner organisation key
HEALTH_ITEMS = [
    ("coordination", "Hospital response team not told of weekend shootings in time", "hospital"),
    ("boundaries", "Outreach workers asked for details of a shooting: agree the line", "outreach"),
    ("client_concerns", "Clients report being stopped by police after the call-in", "police"),
    ("programme_strategy", "Life-coach caseload full: waiting list for VHR referrals", "hsd"),
    ("resource_needs", "Relocation funds for families under threat run out in March", "hsd"),
    ("coordination", "Probation and life coaches double-booking home visits", "probation"),
    ("client_concerns", "Families ask who sees what is shared at this table", "faith"),
    ("resource_needs", "No Spanish-speaking case manager in Fruitvale", "family"),
    ("programme_strategy", "Custom notifications delivered without a community voice", "police"),
    ("boundaries", "What faith partners may say publicly after a homicide", "congregations"),
]
LONG_TERM_PLANS = [
    "Weekly life-coach sessions; job training through HSD once his court case is settled; "
    "probation to coordinate curfew exceptions for work.",
    "Relocation with his family (HSD funds); hospital response follow-up for his injuries; "
    "check-in at every coordination meeting.",
    "Jail in-reach before release; re-entry partner to meet him at the gate; family support for "
    "his mother and siblings.",
    "Mentoring through the faith council; GED classes; custom notification renewed with his "
    "uncle present.",
]
HEALTH_OPEN_DAYS = 60  # items raised this recently are still being worked on
CURRENT_ISSUES = 2  # the last meetings each raised one (carried forward to the next meeting)


def coordination_prepare(city: City, tasks: list[Task]) -> None:
    rng = rng_for(city.options, "coordination")
    meetings = city.meetings.get(Meeting.Kind.COORDINATION, [])
    planned = person_plans_create(city, rng, meetings, tasks)
    health = health_items_create(city, rng, meetings)
    long_term_plans_create(city, rng, meetings)
    _minutes_write(city, meetings, planned, health, tasks)


def person_plans_create(city: City, rng, meetings, tasks: list[Task]) -> Counter:
    """A plan for each person newly on the agenda and each subject of the meeting's follow-ups."""
    coordination = {pk for _, pk in meetings}
    subjects = defaultdict(set)
    for task in tasks:
        if task.subject_person_id and task.source_meeting_id in coordination:
            subjects[task.source_meeting_id].add(task.subject_person_id)
    rows = []
    for _, meeting_pk in meetings:
        at = city.closing[meeting_pk] - dt.timedelta(hours=1)
        people = sorted(set(city.shared_at_meeting.get(meeting_pk, [])) | subjects[meeting_pk])
        rows += [
            unsaved(
                PersonPlan,
                meeting_id=meeting_pk,
                person_id=pk,
                notes=rng.choice(PLAN_NOTES),
                created_at=at,
                updated_at=at,
                updated_by=city.users[users_.PARTNER_LEAD],
            )
            for pk in people
        ]
    bulk(PersonPlan, rows)
    return Counter(r.meeting_id for r in rows)


def health_items_create(city: City, rng: random.Random, meetings) -> list[PartnershipHealthItem]:
    """Raised at about one meeting in three (and at each of the last two) and closed a few
    meetings later; the ones raised in the last two months are still open or in progress."""
    rows = []
    recent = city.today - dt.timedelta(days=HEALTH_OPEN_DAYS)
    for index, (day, meeting_pk) in enumerate(meetings):
        if rng.random() >= 0.3 and index < len(meetings) - CURRENT_ISSUES:
            continue
        category, title, owner = rng.choice(HEALTH_ITEMS)
        item = PartnershipHealthItem(
            category=category,
            title=title,
            owner_organisation=city.orgs[owner],
            raised_at_id=meeting_pk,
            created_at=city.closing[meeting_pk] - dt.timedelta(minutes=20),
            created_by=city.users[users_.PARTNER_LEAD],
            updated_by=city.users[users_.PARTNER_LEAD],
            notes="Owner to report back at the next meeting.",
        )
        later = min(index + rng.choice([1, 1, 2, 3, 4, 6]), len(meetings) - 1)
        if day < recent and later > index:
            item.status = PartnershipHealthItem.Status.CLOSED
            item.closed_at_id = meetings[later][1]
            item.notes = f"Resolved at the meeting of {meetings[later][0]:%d %b %Y}."
        elif rng.random() < 0.5:
            item.status = PartnershipHealthItem.Status.IN_PROGRESS
        rows.append(item)
    return bulk(PartnershipHealthItem, rows)


def long_term_plans_create(city: City, rng: random.Random, meetings) -> None:
    """A standing plan for most people chronically high-risk at some point (a few still need
    one, as the agenda shows)."""
    days = [day for day, _ in meetings[::6]] + [city.today]
    people: set[int] = set()
    for day in days:
        people |= set(
            people_chronically_high_risk(Person.objects.all(), on=day).values_list("pk", flat=True)
        )
    bulk(
        LongTermPlan,
        [
            unsaved(
                LongTermPlan,
                person_id=pk,
                plan=rng.choice(LONG_TERM_PLANS),
                updated_by=city.users[users_.PARTNER_LEAD],
            )
            for pk in sorted(people)
            if rng.random() < 0.85
        ],
    )


def _minutes_write(city: City, meetings, planned: Counter, health: list, tasks) -> None:
    followups = Counter(t.source_meeting_id for t in tasks)
    raised = Counter(item.raised_at_id for item in health)
    closed = Counter(item.closed_at_id for item in health if item.closed_at_id)
    rows = []
    for _, pk in meetings:
        minutes = (
            "Reviewed the shooting reviews' risk assessment: "
            f"{len(city.shared_at_meeting.get(pk, []))} people newly shared; plans for "
            f"{planned[pk]} people; {followups[pk]} follow-ups assigned. Partnership health: "
            f"{raised[pk]} item(s) raised, {closed[pk]} closed."
        )
        rows.append(Meeting(pk=pk, minutes=minutes))
    rows_update(Meeting, rows, ["minutes"])
