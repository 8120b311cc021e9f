"""Coordination fixtures: a closed shooting review that shared a person; a coordination meeting."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from ceasefire.core import services as core_services
from ceasefire.core.models import Task
from tests import factories as f


@pytest.fixture
def today():
    return timezone.localdate()


def build_agenda(users: dict, orgs: dict, today) -> SimpleNamespace:
    """One closed review sharing ``shared``; ``hidden`` is not shared; a coordination meeting today.

    ``task`` is a custom-notification follow-up for ``shared`` assigned to the partner_staff's
    organisation (Youth Alive), made at last week's coordination meeting.
    """
    police = users["police_facilitator"]
    last_week = f.CoordinationMeetingFactory(
        date=today - dt.timedelta(days=7), state="closed", closed_at=timezone.now()
    )
    review = f.ClosedShootingReviewFactory(date=today - dt.timedelta(days=2))
    shared = f.PersonFactory(first_name="Darnell", last_name="Shared")
    hidden = f.PersonFactory(first_name="Marcus", last_name="Hidden")
    share = core_services.share_create(
        person=shared,
        user=police,
        risk_assessment="At high risk of violence",
        reason="Victim of a shooting this week",
        recommended_interventions=["custom_notification", "life_coach"],
        source_meeting=review,
    )
    meeting = f.CoordinationMeetingFactory(date=today, facilitator=police)
    task = core_services.task_create(
        user=police,
        title="Custom notification",
        kind=Task.Kind.CUSTOM_NOTIFICATION,
        assigned_organisation=orgs["cbo"],
        due_date=today + dt.timedelta(days=2),
        subject_person=shared,
        source_meeting=last_week,
    )
    return SimpleNamespace(
        police=police,
        review=review,
        shared=shared,
        hidden=hidden,
        share=share,
        meeting=meeting,
        last_week=last_week,
        task=task,
    )


@pytest.fixture
def agenda(users, orgs, today):
    return build_agenda(users, orgs, today)
