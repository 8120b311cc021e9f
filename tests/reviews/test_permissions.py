"""Role × URL matrix for every URL of the reviews app (and the person page it extends).

Intelligence is police-only: partners, community partners, executives, admins and auditors get 403
on every page, fragment and API of the shooting log and the reviews; anonymous users are sent to sign in.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews.models import FollowUpChoice, ReviewIncident
from tests import factories as f
from tests.conftest import ALL_ROLES

pytestmark = pytest.mark.django_db

POLICE = {"police_facilitator", "police_viewer"}


@pytest.fixture
def objects(review, week, orgs):
    earlier = f.ShootingReviewFactory(
        date=review.date - dt.timedelta(days=7), window_end=review.window_start
    )
    task = f.TaskFactory(source_meeting=earlier, assigned_organisation=orgs["police"])
    designation = f.DesignationFactory(
        person=week["dante"], designated_on=timezone.localdate() - dt.timedelta(days=85)
    )
    choice = FollowUpChoice.objects.create(meeting=review, person=week["marcus"])
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    return {
        "review": review.pk,
        "incident": week["shooting"].pk,
        "victim": week["shooting"].involvements.get(person=week["marcus"]).pk,
        "unidentified": week["shooting"].involvements.get(person__isnull=True).pk,
        "group": week["ghost"].pk,
        "conflict": week["conflict"].pk,
        "task": task.pk,
        "designation": designation.pk,
        "choice": choice.pk,
        "entry": entry.pk,
        "person": week["marcus"].pk,
        "dante": week["dante"].pk,
    }


# (name, args, allowed roles) — allowed roles get 200, every other signed-in role 403.
GET_URLS = [
    ("reviews:index", [], POLICE),
    ("reviews:incident-list", [], POLICE),
    ("reviews:incident-create", [], {"police_facilitator"}),
    ("reviews:incident-import", [], {"police_facilitator"}),
    ("reviews:incident-detail", ["incident"], POLICE),
    ("reviews:person-search", [], {"police_facilitator"}),
    ("reviews:group-list", [], POLICE),
    ("reviews:group-detail", ["group"], POLICE),
    ("reviews:conflict-detail", ["conflict"], POLICE),
    ("reviews:review-create", [], {"police_facilitator"}),
    ("reviews:review-detail", ["review"], POLICE),
    ("reviews:review-minutes", ["review"], POLICE),
    ("reviews:api-incident-list", [], POLICE),
    ("reviews:api-incident-detail", ["incident"], POLICE),
    ("reviews:api-review-list", [], POLICE),
    ("reviews:api-review-detail", ["review"], POLICE),
]


def _url(name, args, objects):
    return reverse(
        name, args=[objects[a] if isinstance(a, str) and a in objects else a for a in args]
    )


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("name", "args", "allowed"), GET_URLS, ids=[u[0] for u in GET_URLS])
def test_get_matrix(client_for, objects, role, name, args, allowed):
    response = client_for(role).get(_url(name, args, objects))
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize(("name", "args", "allowed"), GET_URLS, ids=[u[0] for u in GET_URLS])
def test_anonymous_is_sent_to_sign_in_or_refused_by_the_api(objects, name, args, allowed):
    response = Client().get(_url(name, args, objects))
    assert response.status_code == (403 if ":api-" in name else 302)


def test_search_page_is_for_facilitators_only(client_for, objects):
    assert (
        client_for("police_viewer").get(reverse("reviews:person-search"), {"q": "Reed"}).status_code
        == 403
    )
    assert (
        b"Marcus Reed"
        in client_for("police_facilitator")
        .get(reverse("reviews:person-search"), {"q": "Reed"})
        .content
    )


# (name, args, data, facilitator's status) — the viewer and every other role get 403.
POST_URLS = [
    ("reviews:incident-create", [], {}, 400),
    ("reviews:incident-import", [], {}, 400),
    ("reviews:incident-detail", ["incident"], {}, 400),
    ("reviews:involvement-add", ["incident"], {}, 400),
    ("reviews:involvement-remove", ["incident", "victim"], {}, 302),
    (
        "reviews:involvement-identify",
        ["incident", "unidentified"],
        {"first_name": "Ana", "last_name": "Diaz"},
        302,
    ),
    ("reviews:review-create", [], {}, 400),
    (
        "reviews:review-answer",
        ["review", "=entry", "entry", "=motive"],
        {"value": "x", "version": 1, "was": ""},
        302,
    ),
    ("reviews:review-refresh", ["review"], {}, 302),
    ("reviews:review-task-status", ["review", "task"], {"status": "done", "version": 1}, 302),
    ("reviews:review-risk-decide", ["review"], {"decision": "confirmed"}, 302),
    ("reviews:review-designate", ["review"], {"level": "vhr", "basis": "x"}, 302),
    (
        "reviews:review-designation-action",
        ["review", "designation", "=lapse"],
        {"basis": "Calm"},
        302,
    ),
    ("reviews:review-followup", ["review"], {}, 302),
    ("reviews:review-followup-remove", ["review", "choice"], {}, 302),
    ("reviews:review-task-create", ["review"], {}, 302),
    ("reviews:review-close", ["review"], {"version": 1}, 302),
]


def _post_url(name, args, objects):
    """Arguments name fixture objects; a leading "=" marks a literal path segment."""
    return reverse(name, args=[a[1:] if a.startswith("=") else objects[a] for a in args])


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    ("name", "args", "data", "expected"), POST_URLS, ids=[u[0] for u in POST_URLS]
)
def test_post_matrix(client_for, objects, role, name, args, data, expected):
    response = client_for(role).post(_post_url(name, args, objects), data)
    assert response.status_code == (expected if role == "police_facilitator" else 403)


@pytest.mark.parametrize(
    ("name", "args", "data", "expected"), POST_URLS, ids=[u[0] for u in POST_URLS]
)
def test_anonymous_posts_are_sent_to_sign_in(objects, name, args, data, expected):
    assert Client().post(_post_url(name, args, objects), data).status_code == 302


@pytest.mark.parametrize("role", ALL_ROLES)
def test_person_page_matrix_for_a_person_not_shared(client_for, objects, role):
    response = client_for(role).get(reverse("core:person-detail", args=[objects["person"]]))
    assert response.status_code == (200 if role in POLICE else 404)


def test_executive_never_sees_a_person_even_when_shared(client_for, objects, week):
    f.ShareFactory(person=week["marcus"])
    assert (
        client_for("executive")
        .get(reverse("core:person-detail", args=[objects["person"]]))
        .status_code
        == 404
    )


def test_partner_gets_403_on_the_incident_api_with_narrative(client_for, objects):
    assert (
        client_for("partner_lead")
        .get(reverse("reviews:api-incident-detail", args=[objects["incident"]]))
        .status_code
        == 403
    )
