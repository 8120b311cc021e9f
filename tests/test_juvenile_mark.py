"""People 13 to 17 are marked juvenile everywhere they appear: one rule (``Person.is_juvenile``),
one filter (``juvenile_mark``), on every page that names a person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from ceasefire.core.models import Person
from tests import access
from tests import factories as f
from tests.coordination import access_table as coordination_table
from tests.reviews import access_table as reviews_table

pytestmark = pytest.mark.django_db

BADGE = '<span class="badge juvenile">juvenile</span>'


def _years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("years", "day_after", "marked"),
    [
        (13, 0, True),  # the 13th birthday
        (13, 1, False),  # 12 years 364 days
        (18, 1, True),  # 17 years 364 days
        (18, 0, False),  # the 18th birthday
    ],
)
def test_the_mark_follows_the_one_rule_in_core(years, day_after, marked):
    # the dates from the test's own today (a date computed at collection is a day off after
    # the city's midnight)
    born = _years_ago(years) + dt.timedelta(days=day_after)
    person = f.PersonFactory(date_of_birth=born)
    html = Template("{% load people_tags %}{{ p }}{{ p|juvenile_mark }}").render(
        Context({"p": person})
    )
    assert (BADGE in html) is marked and person.is_juvenile is marked


def test_no_person_no_mark():
    assert Template("{% load people_tags %}{{ p|juvenile_mark }}").render(Context({})) == ""


def _everyone_juvenile():
    Person.objects.update(date_of_birth=_years_ago(15), age_estimate=None)


def _page(client: Client, name: str, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return access.body(response).decode()


def test_coordination_pages_mark_juveniles(tmp_path):
    with override_settings(PASSWORD_HASHERS=access.FAST_HASHERS, MEDIA_ROOT=tmp_path):
        world = coordination_table.build_world()
        _everyone_juvenile()
        client = Client()
        client.force_login(world.users["police_facilitator"])
        pages = {
            "meeting": _page(client, "coordination:meeting-detail", world.meeting.pk),
            "minutes": _page(client, "coordination:meeting-print", world.meeting.pk),
            "caseload": _page(client, "coordination:caseload"),
            "follow-up": _page(client, "coordination:followup-detail", world.task.pk),
        }
    assert [name for name, html in pages.items() if BADGE not in html] == []


def test_review_incident_and_group_pages_mark_juveniles(tmp_path):
    with override_settings(PASSWORD_HASHERS=access.FAST_HASHERS, MEDIA_ROOT=tmp_path):
        world = reviews_table.build_world()
        _everyone_juvenile()
        client = Client()
        client.force_login(world.users["police_facilitator"])
        pages = {
            "incident": _page(client, "reviews:incident-detail", world.incident.pk),
            "group": _page(client, "reviews:group-detail", world.group.pk),
            "review": _page(client, "reviews:review-detail", world.review.pk),
            "person": _page(
                client, "core:person-detail", world.incident.involvements.first().person_id
            ),
        }
    assert [name for name, html in pages.items() if BADGE not in html] == []


def test_adults_are_not_marked(tmp_path):
    with override_settings(PASSWORD_HASHERS=access.FAST_HASHERS, MEDIA_ROOT=tmp_path):
        world = reviews_table.build_world()
        Person.objects.update(date_of_birth=_years_ago(30))
        client = Client()
        client.force_login(world.users["police_facilitator"])
        html = _page(client, "reviews:incident-detail", world.incident.pk)
    assert BADGE not in html
