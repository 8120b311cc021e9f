"""The follow-ups API: same permissions and services as the pages; paginated; clear errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from ceasefire.core import services as core_services
from tests import factories as f

pytestmark = pytest.mark.django_db
LIST = "coordination:api-followups"


def _patch(client, task, body):
    return client.patch(
        reverse("coordination:api-followup-detail", args=[task.pk]),
        data=json.dumps(body),
        content_type="application/json",
    )


def test_list_is_paginated_and_overdue_first(agenda, orgs, client_for, today, settings):
    overdue = f.TaskFactory(
        assigned_organisation=orgs["cbo"], due_date=today - dt.timedelta(days=1)
    )
    data = client_for("partner_staff").get(reverse(LIST)).json()
    assert data["count"] == 2 and "next" in data
    first = data["results"][0]
    assert first["id"] == overdue.pk and first["overdue"] is True
    assert data["results"][1]["subject"] == "Darnell Shared"


def test_list_pages_at_the_configured_size(orgs, client_for):
    f.TaskFactory.create_batch(52, assigned_organisation=orgs["cbo"])
    client = client_for("partner_staff")
    first = client.get(reverse(LIST)).json()
    assert len(first["results"]) == 50 and first["next"]
    assert len(client.get(first["next"]).json()["results"]) == 2


@pytest.mark.parametrize("extra", [2, 30])
def test_list_query_count_does_not_grow(orgs, client_for, extra, django_assert_max_num_queries):
    for person in f.PersonFactory.create_batch(extra):
        f.TaskFactory(assigned_organisation=orgs["cbo"], subject_person=person)
    client = client_for("partner_staff")
    with django_assert_max_num_queries(10):
        assert client.get(reverse(LIST)).status_code == 200


def test_update_status_with_a_note(agenda, client_for):
    response = _patch(
        client_for("partner_staff"),
        agenda.task,
        {"version": agenda.task.version, "status": "done", "note": "Delivered"},
    )
    assert response.status_code == 200
    assert (
        response.json()["status"] == "done"
        and response.json()["version"] == agenda.task.version + 1
    )
    assert agenda.task.updates.get().note == "Delivered"


def test_stale_version_is_a_409_with_the_reason(agenda, client_for, users):
    version = agenda.task.version
    core_services.task_update(
        task=agenda.task, user=users["police_facilitator"], expected_version=version, note="x"
    )
    response = _patch(
        client_for("partner_staff"), agenda.task, {"version": version, "status": "done"}
    )
    assert response.status_code == 409 and "changed by" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "done"}, "version"),
        ({"version": 1, "status": "finished"}, "status"),
        ({"version": 1}, "non_field_errors"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_writes_nothing(agenda, client_for, body, field):
    response = _patch(client_for("partner_staff"), agenda.task, body)
    assert response.status_code == 400 and field in response.json()
    agenda.task.refresh_from_db()
    assert agenda.task.status == "open" and not agenda.task.updates.exists()


def test_api_hides_a_withdrawn_persons_name(agenda, client_for):
    core_services.share_withdraw(share=agenda.share, user=agenda.police, reason="Relocated")
    data = (
        client_for("partner_staff")
        .get(reverse("coordination:api-followup-detail", args=[agenda.task.pk]))
        .json()
    )
    assert data["subject"] == "A person (not shared with you)"
    assert "Darnell" not in json.dumps(data)
