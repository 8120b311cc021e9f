"""``permissions.reader_scope``: readers share a scope only when every rule gives them the same."""

from __future__ import annotations

import pytest

from ceasefire.core import permissions
from ceasefire.core.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_two_police_facilitators_read_alike(orgs, users):
    colleague = f.UserFactory(role=Role.POLICE_FACILITATOR, organisation=orgs["police"])
    assert permissions.reader_scope(colleague) == permissions.reader_scope(
        users["police_facilitator"]
    )


def test_each_role_has_its_own_scope(users):
    scopes = {role: permissions.reader_scope(user) for role, user in users.items()}
    assert len(set(scopes.values())) == len(scopes)


def test_a_partner_reads_their_own_tasks_so_a_colleague_is_another_scope(orgs, users):
    lead = users["partner_lead"]
    colleague = f.UserFactory(role=Role.PARTNER_LEAD, organisation=lead.organisation)
    assert permissions.reader_scope(colleague) != permissions.reader_scope(lead)


def test_another_organisation_or_an_inactive_account_is_another_scope(orgs, users):
    lead = users["partner_lead"]
    before = permissions.reader_scope(lead)
    lead.organisation = orgs["faith"]
    assert permissions.reader_scope(lead) != before
    lead.organisation, lead.is_active = orgs["hsd"], False
    assert permissions.reader_scope(lead) not in {before, permissions.reader_scope(users["admin"])}
