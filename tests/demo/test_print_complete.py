"""Printed minutes are complete: every row of every list, never the first page of them.

On the demo city the coordination meeting's risk picture runs past one screen page (25 rows);
the printed minutes must still list every person and every follow-up, read their state once,
and cost the same number of queries however long the lists are.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.core import permissions
from ceasefire.core.models import Meeting, User
from coordination import selectors
from demo.users import FACILITATOR

pytestmark = pytest.mark.usefixtures("city")
COORDINATION = Meeting.Kind.COORDINATION
PAGE = 25  # the live meeting page's rows per list


@pytest.fixture
def facilitator():
    user = User.objects.get(username=FACILITATOR)
    client = Client()
    client.force_login(user)
    return user, client


def section(html: str, number: int) -> str:
    """The printed text of section ``number`` (from its heading to the next)."""
    start = html.index(f"<h2>{number} · ")
    end = html.index("<h2>", start + 4)
    return html[start:end]


def test_closed_coordination_minutes_print_every_risk_picture_row(facilitator):
    user, client = facilitator
    people = permissions.people_visible_to(user)
    meeting = max(
        Meeting.objects.filter(kind=COORDINATION, state=Meeting.State.CLOSED),
        key=lambda m: selectors.frozen_agenda(m, "risk_picture", people).count(),
    )
    items = list(selectors.frozen_agenda(meeting, "risk_picture", people))
    assert len(items) > PAGE, "the demo's biggest risk picture fits one page: nothing to prove"

    html = client.get(reverse("coordination:meeting-print", args=[meeting.pk])).content.decode()

    printed = section(html, 1).count("<li>")
    assert printed == len(items)
    for item in items:
        assert item.title in html
    state = re.search(r"<p>(Closed [^<]*)</p>", html)
    assert state, "the minutes say when they were closed"
    assert state.group(1).lower().count("closed") == 1, (
        "the state is read once: 'Closed <when> by <whom>'"
    )


def test_open_coordination_minutes_print_every_follow_up(facilitator):
    user, client = facilitator
    meeting = Meeting.objects.filter(kind=COORDINATION).exclude(state=Meeting.State.CLOSED).get()
    tasks = permissions.coordination_tasks_visible_to(user)
    followups = selectors.followups_carried_forward(meeting, tasks).count()
    shares = selectors.shares_on_agenda(meeting, permissions.people_visible_to(user)).count()
    assert followups > PAGE or shares > PAGE, "nothing longer than a page to print"

    html = client.get(reverse("coordination:meeting-print", args=[meeting.pk])).content.decode()

    assert section(html, 4).count("<li>") == followups
    assert section(html, 1).count("<li>") == max(shares, 1)
    assert "Next page" not in html and "_page=" not in html


def test_printing_every_row_costs_a_fixed_number_of_queries(
    facilitator, django_assert_max_num_queries
):
    _, client = facilitator
    meeting = Meeting.objects.filter(kind=COORDINATION).exclude(state=Meeting.State.CLOSED).get()
    with django_assert_max_num_queries(40):
        response = client.get(reverse("coordination:meeting-print", args=[meeting.pk]))
    assert response.status_code == 200
