"""Malformed ids, periods and parameters on every URL never produce a server error."""

import re

import pytest
from django.test import Client
from django.urls import get_resolver

pytestmark = pytest.mark.django_db

BAD_ARGUMENTS = ["0", "abc", "2017-03..2017-02"]
GARBAGE = {
    "page": "zz",
    "version": "x",
    "status": "nope",
    "q": "'",
    "date_from": "2017-99-99",
    "period": "x..y",
}


def _url_patterns():
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                found.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns)
    return sorted(p for p in found if not p.startswith("admin"))


@pytest.mark.parametrize("role", ["police_facilitator", "partner_staff"])
def test_malformed_input_on_every_url_never_gives_a_500(users, role):
    client = Client(raise_request_exception=False)
    client.force_login(users[role])
    errors = []
    for pattern in _url_patterns():
        for argument in BAD_ARGUMENTS:
            path = "/" + re.sub(r"<(?:\w+:)?\w+>", argument, pattern)
            for method in (client.get, client.post):
                status = method(path, GARBAGE).status_code
                if status >= 500:
                    errors.append((method.__name__, path, status))
    assert len(_url_patterns()) > 60
    assert errors == []
