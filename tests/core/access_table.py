"""Who gets what at the core URLs: sign-in and out, home, people, the audit log, the admin index.

A person page is for the police, and for partner leads only while the person is shared with the
partnership; anyone else gets 404 (the person does not exist for them). The people API applies
the same rules and refuses anonymous callers with 403 instead of a redirect.
"""

from __future__ import annotations

from types import SimpleNamespace

from ceasefire.core.tokens import api_token_create
from tests import factories as f
from tests.access import (
    NOT_FOUND,
    POLICE,
    SIGN_IN,
    Outcome,
    Row,
    contains,
    everyone,
    lacks,
    ok,
    only,
)
from tests.conftest import make_orgs, make_users

SEES_SHARED = POLICE | {"partner_lead"}
HOME = Outcome(302, redirect_to="core:home")
ADMIN_SIGN_IN = Outcome(302, redirect_to="admin:login")


def build_world() -> SimpleNamespace:
    """The usual organisations and one user per role; a person shared, a person not shared."""
    orgs = make_orgs()
    users = make_users(orgs)
    shared = f.ShareFactory(person=f.PersonFactory(first_name="Darnell", last_name="Shared"))
    viewer = users["police_viewer"]
    return SimpleNamespace(
        orgs=orgs,
        users=users,
        token=api_token_create(user=viewer, owner=viewer, name="Records sync")[0],
        shared=shared.person,
        unshared=f.PersonFactory(first_name="Marcus", last_name="Unshared"),
    )


TABLE = [
    Row("login", expect=everyone(HOME, anonymous=200)),
    Row("login", "POST", data={"username": "nobody"}, expect=everyone(HOME, anonymous=200)),
    Row("logout", expect=everyone(405, anonymous=405)),
    Row("logout", "POST", expect=everyone(SIGN_IN, anonymous=SIGN_IN)),
    Row("core:home"),
    Row(
        "core:person-detail",
        args=lambda w: [w.shared],
        expect=only(SEES_SHARED, others=NOT_FOUND),
        label="shared",
    ),
    Row(
        "core:person-detail",
        args=lambda w: [w.unshared],
        expect=only(POLICE, others=NOT_FOUND),
        label="not shared",
    ),
    Row("core:audit-log", expect=only({"auditor"})),
    Row(
        "core:api-person-list",
        expect=only(
            POLICE,
            partner_lead=ok(contains("Darnell"), lacks("Marcus")),
            others=ok(lacks("Darnell", "Marcus")),
            anonymous=403,
        ),
    ),
    Row(
        "core:api-person-detail",
        args=lambda w: [w.shared],
        expect=only(SEES_SHARED, others=NOT_FOUND, anonymous=403),
        label="shared",
    ),
    Row(
        "core:api-person-detail",
        args=lambda w: [w.unshared],
        expect=only(POLICE, others=NOT_FOUND, anonymous=403),
        label="not shared",
    ),
    # off until an admin switches it on (tests/core/test_public.py switches it on)
    Row("core:public", expect=everyone(NOT_FOUND, anonymous=NOT_FOUND)),
    Row("core:public-feed", expect=everyone(NOT_FOUND, anonymous=NOT_FOUND)),
    Row("core:token-list"),
    Row("core:token-list", "POST", data={"name": ""}, expect=everyone(400)),
    Row(
        "core:token-revoke",
        "POST",
        args=lambda w: [w.token],
        expect=only(
            {"police_viewer", "admin"},
            Outcome(302, redirect_to="core:token-list"),
            others=NOT_FOUND,
        ),
    ),
    Row("admin:index", expect=only({"admin"}, others=ADMIN_SIGN_IN, anonymous=ADMIN_SIGN_IN)),
]
