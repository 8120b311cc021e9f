"""Benchmark (``make bench``): the live meeting pages on the demo city, as their users open them.

For each page: the size of the HTML, the median time of RUNS requests through the Django test
client (the page is opened once first, so the session and caches are warm), and the number of
queries. Also the cost of one password check with the configured hasher (sign-in). SPEC and the
live-meeting issue set the bars: every meeting page under 300 KB and 300 ms median on SQLite.
The benchmark prints the numbers; it asserts only that every page answers.
"""

from __future__ import annotations

import statistics
import time

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from ceasefire.core.models import Meeting, User
from demo.users import CASE_MANAGER, EXECUTIVE, FACILITATOR

pytestmark = [pytest.mark.benchmark, pytest.mark.usefixtures("city")]
RUNS = 5


def _open(kind: str) -> Meeting:
    return Meeting.objects.filter(kind=kind).exclude(state=Meeting.State.CLOSED).get()


def _pages() -> list[tuple[str, str, str]]:
    review = _open(Meeting.Kind.SHOOTING_REVIEW)
    coordination = _open(Meeting.Kind.COORDINATION)
    return [
        ("open shooting review", FACILITATOR, reverse("reviews:review-detail", args=[review.pk])),
        (
            "coordination meeting",
            FACILITATOR,
            reverse("coordination:meeting-detail", args=[coordination.pk]),
        ),
        ("worksheet", EXECUTIVE, reverse("performance:index")),
        ("my follow-ups", CASE_MANAGER, reverse("coordination:followups")),
        ("groups", FACILITATOR, reverse("reviews:group-list")),
        ("shooting log", FACILITATOR, reverse("reviews:incident-list")),
        ("home", FACILITATOR, reverse("core:home")),
    ]


class QueryCounter:
    """An execute wrapper counting the queries a request makes."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def test_bench_live_meeting_pages(capsys):
    rows = []
    for name, username, url in _pages():
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert client.get(url, follow=True).status_code == 200, name
        times, counted = [], []
        for _ in range(RUNS):
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                started = time.perf_counter()
                response = client.get(url, follow=True)
                times.append(time.perf_counter() - started)
            counted.append(queries.count)
        rows.append((name, username, len(response.content), statistics.median(times), max(counted)))
    with capsys.disabled():
        print(
            f"\n[bench] live meeting pages on the demo city ({connection.vendor}), median of {RUNS}"
        )
        print(f"{'page':24} {'as':16} {'KB':>7} {'ms':>7} {'queries':>8}")
        for name, username, size, seconds, queries in rows:
            print(f"{name:24} {username:16} {size / 1024:7.0f} {seconds * 1000:7.0f} {queries:8}")


def test_bench_password_check_with_the_configured_hasher(capsys):
    hashers = settings.PASSWORD_HASHERS  # the tests' fast hasher is not what users sign in with
    with override_settings(PASSWORD_HASHERS=_configured_hashers()):
        encoded = make_password("a long demo passphrase")
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            assert check_password("a long demo passphrase", encoded)
            times.append(time.perf_counter() - started)
    with capsys.disabled():
        algorithm = encoded.split("$", 1)[0]
        print(
            f"\n[bench] one password check ({algorithm}): median "
            f"{statistics.median(times) * 1000:.0f} ms of {RUNS} (tests use {hashers[0]})"
        )


def _configured_hashers() -> list[str]:
    """The settings module's own list (the test suite swaps in a fast one)."""
    from ceasefire import settings as project_settings

    return (
        project_settings.PASSWORD_HASHERS
        if hasattr(project_settings, "PASSWORD_HASHERS")
        else ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    )
