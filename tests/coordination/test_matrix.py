"""Role × URL matrix: every coordination URL with every role, asserting the exact status."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from tests import factories as f

ROLES = [
    "admin",
    "auditor",
    "police_facilitator",
    "police_viewer",
    "partner_lead",
    "partner_staff",
    "community_partner",
    "executive",
]


@pytest.fixture
def world(agenda, orgs, today):
    """The agenda fixture plus what the POST URLs need; the faith organisation attends the meeting."""
    agenda.meeting.attending_organisations.add(orgs["faith"])
    agenda.item = f.PartnershipHealthItemFactory(
        raised_at=agenda.meeting, owner_organisation=orgs["hsd"]
    )
    agenda.enrolment = f.EnrolmentFactory(
        provider=orgs["cbo"], person=agenda.hidden, started_on=today - dt.timedelta(days=9)
    )
    return agenda


def _requests(w, today):
    """name → (method, path, data, {role: status}); roles not listed expect 403."""
    m, t, p = w.meeting.pk, w.task.pk, w.shared.pk
    day = today.isoformat()
    staff_like = {"police_facilitator": 200, "partner_lead": 200}
    return {
        "index": (
            "get",
            reverse("coordination:index"),
            None,
            {**staff_like, "community_partner": 200, "police_viewer": 302, "partner_staff": 302},
        ),
        "meeting-detail": (
            "get",
            reverse("coordination:meeting-detail", args=[m]),
            None,
            {**staff_like, "community_partner": 200},
        ),
        "meeting-print": (
            "get",
            reverse("coordination:meeting-print", args=[m]),
            None,
            {**staff_like, "community_partner": 200},
        ),
        "meeting-create": (
            "post",
            reverse("coordination:meeting-create"),
            {"date": (today + dt.timedelta(days=1)).isoformat()},
            {"police_facilitator": 302, "partner_lead": 302},
        ),
        "meeting-attendance": (
            "post",
            reverse("coordination:meeting-attendance", args=[m]),
            {
                "version": w.meeting.version,
                "organisations": [w.police.organisation_id],
                "risk_alignment": "on",
            },
            {"police_facilitator": 302, "partner_lead": 302},
        ),
        "meeting-minutes": (
            "post",
            reverse("coordination:meeting-minutes", args=[m]),
            {"version": w.meeting.version, "minutes": "Agreed plans."},
            {"police_facilitator": 302, "partner_lead": 302},
        ),
        "meeting-close": (
            "post",
            reverse("coordination:meeting-close", args=[m]),
            {"version": w.meeting.version},
            {"police_facilitator": 302, "partner_lead": 302},
        ),
        "plan-intervention-add": (
            "post",
            reverse("coordination:plan-intervention-add", args=[m, p]),
            {
                "kind": "life_coach",
                "assigned_organisation": w.task.assigned_organisation_id,
                "due_date": day,
            },
            {"police_facilitator": 302, "partner_lead": 302},
        ),
        "person-plan-save": (
            "post",
            reverse("coordination:person-plan-save", args=[m, p]),
            {"notes": "Mother asked for help"},
            {"police_facilitator": 302, "partner_lead": 302},
        ),
        "long-term-plan-save": (
            "post",
            reverse("coordination:long-term-plan-save", args=[m, p]),
            {"plan": "Weekly life coach", "version": ""},
            {"police_facilitator": 302, "partner_lead": 302},
        ),
        "health-item-add": (
            "post",
            reverse("coordination:health-item-add", args=[m]),
            {
                "category": "boundaries",
                "title": "Data sharing limits",
                "owner_organisation": w.task.assigned_organisation_id,
            },
            {"police_facilitator": 302, "partner_lead": 302},
        ),
        "health-item-update": (
            "post",
            reverse("coordination:health-item-update", args=[m, w.item.pk]),
            {"version": w.item.version, "status": "in_progress", "notes": ""},
            {"police_facilitator": 302, "partner_lead": 302},
        ),
        "share-withdraw": (
            "post",
            reverse("coordination:share-withdraw", args=[m, w.share.pk]),
            {"reason": "No longer at risk"},
            {"police_facilitator": 302},
        ),
        "followups": (
            "get",
            reverse("coordination:followups"),
            None,
            dict.fromkeys(
                [
                    "police_facilitator",
                    "police_viewer",
                    "partner_lead",
                    "partner_staff",
                    "community_partner",
                ],
                200,
            ),
        ),
        "followup-detail": (
            "get",
            reverse("coordination:followup-detail", args=[t]),
            None,
            {
                "police_facilitator": 200,
                "police_viewer": 200,
                "partner_staff": 200,
                "partner_lead": 404,
                "community_partner": 404,
            },
        ),
        "followup-update": (
            "post",
            reverse("coordination:followup-update", args=[t]),
            {"version": w.task.version, "status": "in_progress"},
            {
                "police_facilitator": 302,
                "partner_staff": 302,
                "police_viewer": 403,
                "partner_lead": 404,
                "community_partner": 404,
            },
        ),
        "followup-notification": (
            "post",
            reverse("coordination:followup-notification", args=[t]),
            {"delivered_on": day, "delivered_by": "Pastor Jones", "outcome": "delivered"},
            {
                "police_facilitator": 302,
                "partner_staff": 302,
                "police_viewer": 403,
                "partner_lead": 404,
                "community_partner": 404,
            },
        ),
        "followup-enrol": (
            "post",
            reverse("coordination:followup-enrol", args=[t]),
            {
                "provider": w.task.assigned_organisation_id,
                "referral_source": "custom_notification",
                "started_on": day,
            },
            {
                "police_facilitator": 302,
                "partner_staff": 302,
                "police_viewer": 403,
                "partner_lead": 404,
                "community_partner": 404,
            },
        ),
        "followup-contact": (
            "post",
            reverse("coordination:followup-contact", args=[t]),
            {"contacted_on": day, "kind": "life_coach"},
            {
                "police_facilitator": 302,
                "partner_staff": 302,
                "police_viewer": 403,
                "partner_lead": 404,
                "community_partner": 404,
            },
        ),
        "caseload": (
            "get",
            reverse("coordination:caseload"),
            None,
            {"police_facilitator": 200, "partner_lead": 200, "partner_staff": 200},
        ),
        "enrolment-exit": (
            "post",
            reverse("coordination:enrolment-exit", args=[w.enrolment.pk]),
            {"ended_on": day},
            {"police_facilitator": 302, "partner_staff": 302, "partner_lead": 404},
        ),
        "call-ins": (
            "get",
            reverse("coordination:call-ins"),
            None,
            {"police_facilitator": 200, "partner_lead": 200},
        ),
        "call-ins-post": (
            "post",
            reverse("coordination:call-ins"),
            {"held_on": day, "attendees": [p]},
            {"police_facilitator": 302, "partner_lead": 302},
        ),
        "api-followups": (
            "get",
            reverse("coordination:api-followups"),
            None,
            dict.fromkeys(
                [
                    "police_facilitator",
                    "police_viewer",
                    "partner_lead",
                    "partner_staff",
                    "community_partner",
                ],
                200,
            ),
        ),
        "api-followup-detail": (
            "get",
            reverse("coordination:api-followup-detail", args=[t]),
            None,
            {
                "police_facilitator": 200,
                "police_viewer": 200,
                "partner_staff": 200,
                "partner_lead": 404,
                "community_partner": 404,
            },
        ),
        "api-followup-patch": (
            "patch",
            reverse("coordination:api-followup-detail", args=[t]),
            {"version": w.task.version, "status": "in_progress"},
            {
                "police_facilitator": 200,
                "partner_staff": 200,
                "police_viewer": 403,
                "partner_lead": 404,
                "community_partner": 404,
            },
        ),
    }


URL_NAMES = [
    "index",
    "meeting-detail",
    "meeting-print",
    "meeting-create",
    "meeting-attendance",
    "meeting-minutes",
    "meeting-close",
    "plan-intervention-add",
    "person-plan-save",
    "long-term-plan-save",
    "health-item-add",
    "health-item-update",
    "share-withdraw",
    "followups",
    "followup-detail",
    "followup-update",
    "followup-notification",
    "followup-enrol",
    "followup-contact",
    "caseload",
    "enrolment-exit",
    "call-ins",
    "call-ins-post",
    "api-followups",
    "api-followup-detail",
    "api-followup-patch",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", URL_NAMES)
def test_role_url_matrix(world, client_for, today, role, name):
    method, path, data, expected = _requests(world, today)[name]
    client = client_for(role)
    if method == "get":
        response = client.get(path)
    elif method == "patch":
        response = client.patch(path, data=json.dumps(data), content_type="application/json")
    else:
        response = client.post(path, data)
    assert response.status_code == expected.get(role, 403), response.content[:500]


def test_matrix_covers_every_coordination_url():
    from coordination.urls import urlpatterns

    names = {p.name for p in urlpatterns}
    covered = {
        n.removesuffix("-post")
        .removesuffix("-patch")
        .replace("api-followup-patch", "api-followup-detail")
        for n in URL_NAMES
    }
    assert names <= covered, names - covered


@pytest.mark.parametrize("name", ["index", "meeting-detail", "followups", "api-followups"])
def test_anonymous_users_are_sent_to_sign_in(world, client, today, name):
    _method, path, _data, _expected = _requests(world, today)[name]
    response = client.get(path)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
