"""Property-based API test: schemathesis generates requests from the v1 schema and sends them with
a police token and a partner token on a small seeded database. No response may be a server error,
and every documented response must match the schema.

Hypothesis runs a few examples per operation (``SCHEMATHESIS_EXAMPLES``, default 3) so the suite
stays quick; raise it locally for a deeper search.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from ceasefire.core.models import ApiToken
from ceasefire.core.tokens import api_token_create
from tests import factories as f
from tests.conftest import make_orgs, make_users

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Requests through the WSGI app, not the test client: like the test client, keep Django from
    closing the test's database connection at each request's start and end (with
    ``DB_CONN_MAX_AGE=0`` it would, and on PostgreSQL the test's transaction would go with it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded_api(db, settings, tmp_path, wsgi_keeps_the_test_connection):
    """A small city and two read-write tokens (a police facilitator's, a partner lead's)."""
    settings.MEDIA_ROOT = tmp_path
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "100000/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    cache.clear()
    orgs = make_orgs()
    users = make_users(orgs)
    shared = f.ShareFactory().person
    incident = f.IncidentFactory(narrative="Payback")
    f.VictimFactory(incident=incident, person=shared)
    f.DesignationFactory(person=shared)
    f.TaskFactory(assigned_organisation=orgs["hsd"], subject_person=shared)
    f.EnrolmentFactory(person=shared, provider=orgs["hsd"])
    f.CustomNotificationFactory(person=shared)
    f.CallInFactory()
    f.EnforcementActionFactory(person=shared)
    f.UnitStaffingFactory()
    f.BenchmarkFactory()
    f.WorksheetFactory(snapshot={"outcomes": []}, status="ready")
    f.CoordinationMeetingFactory()
    tokens = []
    for role in ("police_facilitator", "partner_lead"):
        user = users[role]
        tokens.append(
            api_token_create(user=user, owner=user, name="fuzz", scope=ApiToken.Scope.WRITE)[1]
        )
    return tokens


def _run(tokens, mode: GenerationMode, checks) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            for token in tokens:
                response = case.call(headers={"Authorization": f"Bearer {token}"})
                case.validate_response(response, checks=checks)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # collect all: every broken operation
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    assert not failures, "\n\n".join(failures)


def test_no_server_error_and_no_schema_violation(seeded_api):
    """Every operation of the schema, a few generated requests each, with both tokens."""
    _run(seeded_api, GenerationMode.POSITIVE, (not_a_server_error, response_schema_conformance))


def test_requests_that_break_the_schema_are_refused_not_a_server_error(seeded_api):
    """The same with bodies, parameters and headers the schema forbids (a number for a date, an
    object for a name, a list for one choice): each is refused with a 4xx, never a crash."""
    _run(seeded_api, GenerationMode.NEGATIVE, (not_a_server_error,))
