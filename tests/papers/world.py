"""A small city for the meeting papers: one meeting of each kind, and what their papers hold.

Names are chosen so a paper that shows too much is caught by a plain text search of its PDF:
"Marcus Reed" (a victim in the review's window), "Hidden Person" (the subject of a follow-up
assigned to the partner lead's organisation, never shared), "Darnell Shared" (shared).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from ceasefire.core.models import Involvement, Meeting
from ceasefire.core.selectors import local_midnight
from reviews.models import ReviewSummary
from tests import factories as f
from tests.conftest import make_orgs, make_users


def build_papers_world() -> SimpleNamespace:
    orgs = make_orgs()
    users = make_users(orgs)
    today = timezone.localdate()
    # --- the shooting review: a shooting in its window, one outside, a prior deliverable
    review = f.ShootingReviewFactory(date=today, facilitator=users["police_facilitator"])
    ReviewSummary.objects.create(meeting=review)  # as review_create makes it
    marcus = f.PersonFactory(first_name="Marcus", last_name="Reed")
    inside = f.IncidentFactory(
        case_number="WIN-1", occurred_at=review.window_start + dt.timedelta(days=2, hours=21)
    )
    f.VictimFactory(incident=inside, person=marcus, injury=Involvement.Injury.NONFATAL)
    f.IncidentFactory(
        case_number="OUT-1", occurred_at=local_midnight(today - dt.timedelta(days=40))
    )
    earlier_review = f.ClosedShootingReviewFactory(date=today - dt.timedelta(days=7))
    f.TaskFactory(
        title="Canvass the block of WIN-0",
        source_meeting=earlier_review,
        assigned_organisation=orgs["police"],
    )
    dante = f.PersonFactory(first_name="Dante", last_name="Hill")
    f.DesignationFactory(
        person=dante,
        designated_on=today - dt.timedelta(days=85),
        review_due=today + dt.timedelta(days=5),
    )
    # --- the coordination meeting: a shared person, a follow-up about someone never shared
    coordination = f.CoordinationMeetingFactory(date=today, facilitator=users["police_facilitator"])
    coordination.attending_organisations.add(orgs["faith"], orgs["hsd"])
    earlier = f.CoordinationMeetingFactory(
        date=today - dt.timedelta(days=14), state=Meeting.State.CLOSED, closed_at=timezone.now()
    )
    shared = f.ShareFactory(person=f.PersonFactory(first_name="Darnell", last_name="Shared"))
    hidden = f.PersonFactory(first_name="Hidden", last_name="Person")
    f.TaskFactory(
        title="Visit the family",
        source_meeting=earlier,
        assigned_organisation=orgs["hsd"],
        subject_person=hidden,
        due_date=today + dt.timedelta(days=3),
    )
    f.TaskFactory(
        title="Mentor meeting",
        source_meeting=earlier,
        assigned_organisation=orgs["cbo"],
        subject_person=shared.person,
        due_date=today + dt.timedelta(days=4),
    )
    f.PartnershipHealthItemFactory(
        title="More outreach workers needed", owner_organisation=orgs["hsd"], raised_at=earlier
    )
    # --- the performance review: commitments, one about a person (never for executives)
    performance = f.PerformanceReviewFactory(facilitator=users["police_facilitator"])
    earlier_perf = f.PerformanceReviewFactory(date=dt.date(2017, 2, 10))
    f.CommitmentFactory(
        title="Hire two analysts", source_meeting=earlier_perf, assigned_organisation=orgs["mayor"]
    )
    f.CommitmentFactory(
        title="Check on the case",
        source_meeting=earlier_perf,
        assigned_organisation=orgs["police"],
        subject_person=marcus,
    )
    return SimpleNamespace(
        orgs=orgs,
        users=users,
        review=review,
        coordination=coordination,
        performance=performance,
        marcus=marcus,
        hidden=hidden,
        shared=shared.person,
    )
