"""Input is cleaned before it reaches the database: a NUL byte in any query or form field is
answered with a message, never a 500 (the CSV import's own limits: tests/reviews)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator(users) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(users["police_facilitator"])
    return client


@pytest.mark.parametrize(
    "path", ["/reviews/people/search/?q=%00", "/reviews/incidents/?q=a%00b", "/audit/?user=%00"]
)
def test_a_nul_byte_in_a_query_is_refused_with_a_message(facilitator, path):
    response = facilitator.get(path)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_byte_in_a_form_field_is_refused_with_a_message_and_nothing_is_written(
    facilitator,
):
    response = facilitator.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400 and b"NUL character" in response.content
