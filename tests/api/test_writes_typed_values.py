"""A JSON body is typed where a page's form posts text: every write that goes through a page's
form gets numbers, true/false, lists and objects in each field and answers 400 on that field
(or, where the value is a fair one, the write), never a server error, and a refused one writes
nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceasefire.core.models import (
    ApiToken,
    Conflict,
    EnforcementAction,
    Group,
    GroupAffiliation,
    Involvement,
    Person,
)
from tests import factories as f

ODD_VALUES = [20240105, 1.5, True, {"a": 1}, [1, 2], ""]


def _writes():
    """(what, url, a valid body, the model it writes) for each page-form write of API v1."""
    person, group, other = f.PersonFactory(), f.GroupFactory(), f.GroupFactory()
    incident = f.IncidentFactory()
    return [
        (
            "affiliation",
            reverse("api:person-affiliations", args=[person.pk]),
            {"group": group.pk, "since": "2024-01-05", "basis": "Self-identified."},
            GroupAffiliation,
        ),
        (
            "conflict",
            reverse("api:conflict-list"),
            {"group_a": group.pk, "group_b": other.pk, "status": "hot", "started_on": "2024-01-05"},
            Conflict,
        ),
        (
            "enforcement action",
            reverse("api:enforcement-action-list"),
            {"person": person.pk, "taken_on": "2024-01-05", "kind": "arrest_violent_gun"},
            EnforcementAction,
        ),
        ("group", reverse("api:group-list"), {"name": "Acorn Boys", "area": "West"}, Group),
        (
            "person",
            reverse("api:person-list"),
            {"first_name": "Ana", "last_name": "Ruiz", "date_of_birth": "2001-03-04"},
            Person,
        ),
        (
            "involvement",
            reverse("api:incident-involvements", args=[incident.pk]),
            {"role": "witness", "first_name": "Ray", "last_name": "Cole", "age_estimate": 30},
            Involvement,
        ),
    ]


def test_a_typed_value_in_any_field_is_a_field_error_never_a_crash(token_client):
    client = token_client("police_facilitator", ApiToken.Scope.WRITE)
    tried = 0
    for what, url, valid, model in _writes():
        for field in valid:
            for value in ODD_VALUES:
                before = model.objects.count()
                response = client.post(url, {**valid, field: value}, format="json")
                tried += 1
                assert response.status_code in (201, 400), (what, field, value, response.content)
                if response.status_code == 400:
                    assert model.objects.count() == before, (what, field, value)
                    assert response.json()["fields"], (what, field, value)  # said on a field
                else:
                    model.objects.filter(pk=response.json()["id"]).delete()  # try the next
    assert tried > 100


@pytest.mark.parametrize("value", [20240105, {"day": 5}, ["2024-01-05"]])
def test_a_date_sent_as_a_number_list_or_object_says_so_on_the_field(token_client, value):
    client = token_client("police_facilitator", ApiToken.Scope.WRITE)
    url = reverse("api:person-affiliations", args=[f.PersonFactory().pk])
    body = {"group": f.GroupFactory().pk, "since": value, "basis": "Self-identified."}
    response = client.post(url, body, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["since"]
    assert not GroupAffiliation.objects.exists()
