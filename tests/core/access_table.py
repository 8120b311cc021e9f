"""Who gets what at the core URLs: sign-in and out, home, people, the audit log, the admin index.

A person page is for the police, and for partner leads only while the person is shared with the
partnership; anyone else gets 404 (the person does not exist for them). The people API applies
the same rules and refuses anonymous callers with 403 instead of a redirect.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from ceasefire.core.models import RightsRequest
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
from tests.core.access_table_accounts import ACCOUNT_ROWS, ADMIN_ROWS

SEES_SHARED = POLICE | {"partner_lead"}
HOME = Outcome(302, redirect_to="core:home")
ADMIN_SIGN_IN = Outcome(302, redirect_to="admin:login")


def build_world() -> SimpleNamespace:
    """The usual organisations and one user per role; a person shared, a person not shared."""
    orgs = make_orgs()
    users = make_users(orgs)
    shared = f.ShareFactory(person=f.PersonFactory(first_name="Darnell", last_name="Shared"))
    from ceasefire.core.models import PartnershipSettings

    partnership = PartnershipSettings.load()
    partnership.save()
    unshared = f.PersonFactory(first_name="Marcus", last_name="Unshared")
    viewer = users["police_viewer"]
    return SimpleNamespace(
        orgs=orgs,
        users=users,
        token=api_token_create(user=viewer, owner=viewer, name="Records sync")[0],
        benchmark=f.BenchmarkFactory(),
        unit=f.UnitFactory(organisation=orgs["police"]),
        partnership=partnership,
        shared=shared.person,
        unshared=unshared,
        affiliation=f.AffiliationFactory(person=unshared),
        enforcement_action=f.EnforcementActionFactory(person=unshared),
        request=RightsRequest.objects.create(
            person=unshared,
            kind="information",
            requested_by="Marcus",
            received_on=dt.date(2017, 3, 1),
            due_on=dt.date(2017, 3, 31),
        ),
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
    Row(
        "core:person-designation-propose",
        "POST",
        args=lambda w: [w.unshared],
        data={"level": "vhr", "basis": "No criteria ticked"},
        expect=only({"police_facilitator"}, 400, police_viewer=403, others=NOT_FOUND),
        label="refused: no criteria",
    ),
    Row(
        "core:person-designation-propose",
        "POST",
        args=lambda w: [w.shared],
        data={"level": "vhr", "basis": "No criteria ticked"},
        expect=only(
            {"police_facilitator"},
            400,
            police_viewer=403,
            partner_lead=403,
            others=NOT_FOUND,
        ),
        label="shared person",
    ),
    Row("core:audit-log", expect=only({"auditor"})),
    Row("core:oversight", expect=only({"auditor"}, ok(lacks("Darnell", "Marcus")))),
    Row(
        "core:oversight",
        data={"format": "csv"},
        expect=only({"auditor"}, ok(lacks("Darnell", "Marcus"))),
        label="csv",
    ),
    Row("core:retention-preview", expect=only({"police_facilitator"})),
    Row("core:requests-overdue", expect=only({"police_facilitator"})),
    Row(
        "core:person-affiliation-add",
        args=lambda w: [w.unshared],
        expect=only({"police_facilitator"}, police_viewer=403, others=NOT_FOUND),
    ),
    Row(
        "core:person-affiliation-add",
        "POST",
        args=lambda w: [w.unshared],
        data={"since": "2017-03-14", "basis": ""},
        expect=only({"police_facilitator"}, 400, police_viewer=403, others=NOT_FOUND),
        label="refused: no group, no basis",
    ),
    Row(
        "core:person-affiliation-add",
        "POST",
        args=lambda w: [w.unshared],
        data=lambda w: {
            "group": f.GroupFactory().pk,
            "since": "2017-03-14",
            "basis": "Self-identified.",
        },
        expect=only({"police_facilitator"}, 302, police_viewer=403, others=NOT_FOUND),
    ),
    Row(
        "core:affiliation-end",
        "POST",
        args=lambda w: [w.affiliation],
        expect=only({"police_facilitator"}, 302),
    ),
    Row(
        "core:person-enforcement-record",
        args=lambda w: [w.unshared],
        expect=only({"police_facilitator"}, police_viewer=403, others=NOT_FOUND),
    ),
    Row(
        "core:person-enforcement-record",
        "POST",
        args=lambda w: [w.unshared],
        data={"kind": "arrest_violent_gun", "taken_on": "2999-01-01"},
        expect=only({"police_facilitator"}, 400, police_viewer=403, others=NOT_FOUND),
        label="refused: in the future",
    ),
    Row(
        "core:person-enforcement-record",
        "POST",
        args=lambda w: [w.unshared],
        data={"kind": "arrest_violent_gun", "taken_on": "2017-03-14"},
        expect=only({"police_facilitator"}, 302, police_viewer=403, others=NOT_FOUND),
    ),
    Row(
        "core:person-enforcement-correct",
        args=lambda w: [w.unshared, w.enforcement_action],
        expect=only({"police_facilitator"}, police_viewer=403, others=NOT_FOUND),
    ),
    Row(
        "core:person-enforcement-correct",
        "POST",
        args=lambda w: [w.unshared, w.enforcement_action],
        data={"kind": "warrant", "taken_on": "2017-03-14"},
        expect=only({"police_facilitator"}, 400, police_viewer=403, others=NOT_FOUND),
        label="refused: no version",
    ),
    Row(
        "core:person-enforcement-correct",
        "POST",
        args=lambda w: [w.unshared, w.enforcement_action],
        data={"kind": "warrant", "taken_on": "2017-03-14", "version": 0},
        expect=only({"police_facilitator"}, 400, police_viewer=403, others=NOT_FOUND),
        label="refused: stale",
    ),
    Row(
        "core:person-enforcement-correct",
        "POST",
        args=lambda w: [w.unshared, w.enforcement_action],
        data={"kind": "warrant", "taken_on": "2017-03-14", "version": 1},
        expect=only({"police_facilitator"}, 302, police_viewer=403, others=NOT_FOUND),
    ),
    Row(
        "core:person-enforcement-correct",
        args=lambda w: [w.shared, w.enforcement_action],
        expect=only(
            {"police_facilitator"}, 404, police_viewer=403, partner_lead=403, others=NOT_FOUND
        ),
        label="another person's action",
    ),
    Row(
        "core:person-notice-record",
        "POST",
        args=lambda w: [w.unshared],
        data={"given_on": "2017-03-14", "channel": "letter"},
        expect=only({"police_facilitator"}, 302, police_viewer=403, others=NOT_FOUND),
    ),
    Row(
        "core:person-request-record",
        "POST",
        args=lambda w: [w.unshared],
        data={"kind": "information", "requested_by": "His attorney", "received_on": "2017-03-14"},
        expect=only({"police_facilitator"}, 302, police_viewer=403, others=NOT_FOUND),
    ),
    Row(
        "core:request-respond",
        "POST",
        args=lambda w: [w.request],
        data={"outcome": "answered", "response": "You are not on the list."},
        expect=only({"police_facilitator"}, 302),
    ),
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
    # health checks: no sign-in, no person data (tests/ops/test_health.py)
    Row("core:health", expect=everyone(ok(lacks("Darnell")), anonymous=ok(lacks("Darnell")))),
    Row(
        "core:health-ready",
        expect=everyone(ok(lacks("Darnell")), anonymous=ok(lacks("Darnell"))),
    ),
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
    *ACCOUNT_ROWS,
    *ADMIN_ROWS,
]
