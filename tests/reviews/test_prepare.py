"""Open reviews pick up shootings logged in their window after the agenda was built."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from ceasefire.core.models import Meeting
from reviews.models import ReviewIncident
from reviews.tasks import prepare_open_reviews
from tests import factories as f

pytestmark = pytest.mark.django_db


def _review(state, users):
    now = timezone.now()
    return f.MeetingFactory(
        kind=Meeting.Kind.SHOOTING_REVIEW,
        state=state,
        facilitator=users["police_facilitator"],
        window_start=now - dt.timedelta(days=7),
        window_end=now + dt.timedelta(hours=1),
        closed_at=now if state == Meeting.State.CLOSED else None,
    )


def test_prepare_adds_new_shootings_to_open_reviews_only(users, capsys):
    draft = _review(Meeting.State.DRAFT, users)
    closed = _review(Meeting.State.CLOSED, users)
    shooting = f.IncidentFactory(occurred_at=timezone.now() - dt.timedelta(days=1))
    call_command("prepare_reviews")
    assert "1 shooting(s) added to 1 open review(s)." in capsys.readouterr().out
    assert list(
        ReviewIncident.objects.filter(meeting=draft).values_list("incident", flat=True)
    ) == [shooting.pk]
    assert not ReviewIncident.objects.filter(meeting=closed).exists()
    assert prepare_open_reviews() == 0  # idempotent
