"""The role × URL access table: what every visitor gets at every URL, declared once, run everywhere.

Each app declares its rows in ``tests/<app>/access_table.py`` (``TABLE``, and ``build_world()``
making the objects the rows point at); ``tests/<app>/test_access.py`` runs every row for every
visitor (the eight roles and an anonymous visitor); ``tests/test_access_coverage.py`` fails when a
URL of the project has no row, or a row names a URL that no longer exists.

A row reads as the rule it checks::

    Row("reviews:incident-detail", args=lambda w: [w.incident], expect=only(POLICE))
    Row("reviews:involvement-remove", "POST", args=..., expect=only(FACILITATOR, 302))
    Row("coordination:followup-detail", args=..., expect=only(SEE_TASK, partner_lead=404))

``only(allowed, outcome)`` gives the allowed roles that outcome, every other role 403 and an
anonymous visitor a redirect to sign in; keyword arguments name the exceptions, role by role.
An outcome is a status, or an :class:`Outcome` with where a redirect must go and checks on the
body ("no person data"). A row that serves htmx fragments runs a second time with ``HX-Request:
true`` and must give every visitor the same decision: ``htmx=True`` for the same outcomes,
``htmx=200`` when the allowed roles get a fragment instead of a redirect (refusals unchanged).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ceasefire.core.models import Role
from tests.conftest import tasks_in_process

ROLES: tuple[str, ...] = tuple(Role.values)
ANONYMOUS = "anonymous"
VISITORS: tuple[str, ...] = (*ROLES, ANONYMOUS)

POLICE = frozenset({"police_facilitator", "police_viewer"})
FACILITATOR = frozenset({"police_facilitator"})

Check = Callable[[HttpResponse, Any], None]


@dataclass(frozen=True)
class Outcome:
    """What a visitor gets: a status, where a redirect goes (a URL name), checks on the body."""

    status: int
    redirect_to: str = ""
    checks: tuple[Check, ...] = field(default=(), compare=False)

    @property
    def refused(self) -> bool:
        """Turned away: forbidden, hidden, the method not allowed, or sent to sign in."""
        return self.status in (403, 404, 405) or self.redirect_to in ("login", "admin:login")

    def verify(self, response: HttpResponse, world: Any) -> None:
        assert response.status_code == self.status, (
            f"expected {self}, got {response.status_code}: {body(response)[:300]!r}"
        )
        if self.redirect_to:
            where = urlsplit(response["Location"]).path
            assert where == reverse(self.redirect_to), f"redirected to {where}, not {self}"
        for check in self.checks:
            check(response, world)

    def __str__(self) -> str:
        return f"{self.status} → {self.redirect_to}" if self.redirect_to else str(self.status)


def ok(*checks: Check, status: int = 200) -> Outcome:
    """Allowed, and the body passes every check: ``ok(lacks("Darnell"))``."""
    return Outcome(status, checks=checks)


SIGN_IN = Outcome(302, redirect_to="login")
FORBIDDEN = Outcome(403)
NOT_FOUND = Outcome(404)

Expect = Mapping[str, Outcome]


def _outcome(value: int | Outcome) -> Outcome:
    return value if isinstance(value, Outcome) else Outcome(value)


def only(
    allowed: Iterable[str],
    outcome: int | Outcome = 200,
    *,
    others: int | Outcome = FORBIDDEN,
    anonymous: int | Outcome = SIGN_IN,
    **exceptions: int | Outcome,
) -> Expect:
    """``allowed`` roles get ``outcome``, roles named as keywords theirs, the rest ``others``."""
    allowed = set(allowed)
    unknown = (allowed | set(exceptions)) - set(ROLES)
    assert not unknown, f"not roles: {sorted(unknown)}"
    expect = {role: _outcome(outcome if role in allowed else others) for role in ROLES}
    expect.update({role: _outcome(value) for role, value in exceptions.items()})
    expect[ANONYMOUS] = _outcome(anonymous)
    return expect


def everyone(outcome: int | Outcome = 200, **kwargs: int | Outcome) -> Expect:
    """Every signed-in role gets ``outcome`` (an anonymous visitor is sent to sign in)."""
    return only(ROLES, outcome, **kwargs)


@dataclass(frozen=True)
class Row:
    """One request to one URL, and what each visitor must get.

    ``args`` and ``data`` are built from the world (objects stand for their primary keys); for a
    GET, ``data`` is the query string. ``label`` tells two rows of the same URL and method apart.
    """

    url: str
    method: str = "GET"
    args: Callable[[Any], list] | None = None
    data: Mapping | Callable[[Any], Mapping] | None = None
    expect: Expect = field(default_factory=everyone)
    htmx: bool | int | Outcome | Expect = False
    label: str = ""

    def __post_init__(self) -> None:
        assert self.method in ("GET", "POST", "PATCH", "PUT", "DELETE"), self.method
        for expect in filter(None, (self.expect, self.htmx_expect)):
            assert set(expect) == set(VISITORS), f"{self}: give an outcome for every visitor"
        for visitor, outcome in (self.htmx_expect or {}).items():
            assert outcome.refused == self.expect[visitor].refused, (
                f"{self}: htmx must not change the decision for {visitor}"
            )

    @property
    def htmx_expect(self) -> Expect | None:
        """True: the same outcomes; a status: that is what the allowed roles get instead."""
        if isinstance(self.htmx, bool):
            return self.expect if self.htmx else None
        if isinstance(self.htmx, int | Outcome):
            fragment = _outcome(self.htmx)
            return {v: o if o.refused else fragment for v, o in self.expect.items()}
        return self.htmx

    def path(self, world: Any) -> str:
        args = self.args(world) if self.args else []
        return reverse(self.url, args=[getattr(a, "pk", a) for a in args])

    def payload(self, world: Any) -> Mapping:
        return (self.data(world) if callable(self.data) else self.data) or {}

    def __str__(self) -> str:
        return f"{self.url}[{self.method}{' ' + self.label if self.label else ''}]"


@dataclass(frozen=True)
class Case:
    """One row, one visitor, plain or htmx."""

    row: Row
    visitor: str
    htmx: bool = False

    @property
    def outcome(self) -> Outcome:
        return (self.row.htmx_expect if self.htmx else self.row.expect)[self.visitor]

    def __str__(self) -> str:
        method = f"{self.row.method}{' ' + self.row.label if self.row.label else ''}"
        return f"{self.row.url}[{method}{' htmx' if self.htmx else ''}]-{self.visitor}"


def cases(table: Iterable[Row]) -> list:
    """Every row × every visitor (× htmx where the row serves fragments), as pytest params."""
    found = []
    for row in table:
        for htmx in (False, True) if row.htmx_expect else (False,):
            found.extend(
                pytest.param(case, id=str(case))
                for case in (Case(row, visitor, htmx) for visitor in VISITORS)
            )
    return found


def send(case: Case, world: Any) -> HttpResponse:
    """The case's request through the test client, signed in as its visitor."""
    client = Client()
    if case.visitor != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[case.visitor]
    row, headers = case.row, {"HX-Request": "true"} if case.htmx else {}
    path, data = row.path(world), row.payload(world)
    if row.method == "GET":
        return client.get(path, data, headers=headers)
    if row.method == "POST":
        return client.post(path, data, headers=headers)
    send_json = getattr(client, row.method.lower())
    return send_json(path, json.dumps(data), content_type="application/json", headers=headers)


def check(case: Case, world: Any) -> None:
    response = send(case, world)
    case.outcome.verify(response, world)
    headers_hold(response, signed_in=case.visitor != ANONYMOUS)


def headers_hold(response: HttpResponse, *, signed_in: bool) -> None:
    """Every response carries the strict Content-Security-Policy; nothing a signed-in visitor
    receives may be stored by a browser or a proxy."""
    policy = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "unsafe" not in policy, f"CSP: {policy!r}"
    if signed_in:
        assert "no-store" in response.get("Cache-Control", ""), response.get("Cache-Control")


def body(response: HttpResponse) -> bytes:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
        response.streaming_content = [content]  # a second check can read it again
        return content
    return response.content


Text = str | Callable[[Any], str]


def _texts(texts: tuple[Text, ...], world: Any) -> list[str]:
    return [text(world) if callable(text) else text for text in texts]


def contains(*texts: Text) -> Check:
    """A check: the body holds every text (a text may be built from the world)."""

    def check(response: HttpResponse, world: Any) -> None:
        content = body(response).decode()
        missing = [text for text in _texts(texts, world) if text not in content]
        assert not missing, f"missing from the body: {missing}"

    return check


def lacks(*texts: Text) -> Check:
    """A check: the body holds none of the texts (a text may be built from the world)."""

    def check(response: HttpResponse, world: Any) -> None:
        content = body(response).decode()
        found = [text for text in _texts(texts, world) if text in content]
        assert not found, f"in the body but must not be: {found}"

    return check


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def world_fixture(build: Callable[[], Any]):
    """A module-scoped ``world`` fixture: ``build()`` once, rolled back after the module.

    The world (which has ``users``, one per role) is made inside a transaction kept open while the
    module's tests run, with a signed-in session per role; each test still runs in its own
    savepoint (pytest-django's ``db``), so what a POST changes (a logout too) is gone before the
    next case. Building once instead of per case keeps the few hundred cases cheap.
    """

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker, tmp_path_factory):
        from ceasefire.celery import app

        media = tmp_path_factory.mktemp("media")
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True  # as in every test, even with REDIS_URL set (CI run 2)
        with (
            django_db_blocker.unblock(),
            override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media),
            tasks_in_process(),  # a worksheet's PDF job runs here, not on CI's Redis broker
            transaction.atomic(),
        ):
            try:
                built = build()
            finally:
                app.conf.task_always_eager = eager
            built.sessions = _sessions(built.users)
            with django_db_blocker.block():
                yield built
            transaction.set_rollback(True)

    return world


def _sessions(users: Mapping) -> dict[str, str]:
    """A signed-in session per role, made once with the world (a case only sends its cookie)."""
    assert set(users) >= set(ROLES), "the world needs a user for every role"
    sessions = {}
    for role in ROLES:
        client = Client()
        client.force_login(users[role])
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


@dataclass(frozen=True)
class Pattern:
    """A URL pattern of the project: its full route and its namespaced name ("" if unnamed)."""

    route: str
    name: str
    namespace: str


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the project, through every include."""
    found: list[Pattern] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name and ":".join(n for n in (namespace, pattern.name) if n)
                found.append(Pattern(route, name or "", namespace))

    walk(get_resolver().url_patterns, "/", "")
    return found
