"""Shared fixtures: one organisation per kind, one user per role, clients signed in as each."""

from __future__ import annotations

import pytest
from django.test import Client

from ceasefire.core.models import Organisation, Role
from tests import factories as f

ALL_ROLES = [r.value for r in Role]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def orgs(db):
    return {
        "police": f.OrganisationFactory(name="Oakland Police Department", kind=Organisation.Kind.POLICE),
        "hsd": f.OrganisationFactory(name="Human Services Department", kind=Organisation.Kind.HUMAN_SERVICES),
        "cbo": f.OrganisationFactory(name="Youth Alive", kind=Organisation.Kind.COMMUNITY_BASED),
        "other_cbo": f.OrganisationFactory(name="Roots Community Health", kind=Organisation.Kind.COMMUNITY_BASED),
        "probation": f.OrganisationFactory(name="Probation Department", kind=Organisation.Kind.PROBATION),
        "faith": f.OrganisationFactory(name="Faith in Action", kind=Organisation.Kind.FAITH_COMMUNITY),
        "mayor": f.OrganisationFactory(name="Mayor's Office", kind=Organisation.Kind.MAYORS_OFFICE),
    }


ROLE_ORG = {
    Role.ADMIN: "mayor",
    Role.AUDITOR: "mayor",
    Role.POLICE_FACILITATOR: "police",
    Role.POLICE_VIEWER: "police",
    Role.PARTNER_LEAD: "hsd",
    Role.PARTNER_STAFF: "cbo",
    Role.COMMUNITY_PARTNER: "faith",
    Role.EXECUTIVE: "mayor",
}


@pytest.fixture
def users(orgs):
    """One user per role, in the organisation that role typically belongs to."""
    made = {}
    for role, org_key in ROLE_ORG.items():
        made[role.value] = f.UserFactory(username=role.value, role=role, organisation=orgs[org_key], is_staff=role == Role.ADMIN)
    return made


@pytest.fixture
def client_for(users):
    """client_for("partner_lead") → a test client signed in as that role."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
