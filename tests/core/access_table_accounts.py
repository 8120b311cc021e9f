"""Who gets what at the sign-in, second-factor and password URLs, the admin site and the audit
export (rows of the core table, kept in their own module).

The admin site is for the admin role only: every other role, and an anonymous visitor, is sent to
the admin's sign-in page. Nobody reaches a person through it (no such model is registered). The
world's sessions have passed the second step, so the second-factor pages send them on.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from tests.access import SIGN_IN, Outcome, Row, everyone, only

HOME = Outcome(302, redirect_to="core:home")
ADMIN_SIGN_IN = Outcome(302, redirect_to="admin:login")
ADMIN_INDEX = Outcome(302, redirect_to="admin:index")
ADMIN = {"admin"}


def admin_only(outcome=200, **kwargs):
    return only(ADMIN, outcome, others=ADMIN_SIGN_IN, anonymous=ADMIN_SIGN_IN, **kwargs)


def _role_unchanged(response, world):
    world.users["admin"].refresh_from_db()
    assert world.users["admin"].role == "admin", "the admin changed its own role"


def _own_change_form(world) -> dict:
    admin = world.users["admin"]
    return {
        "username": admin.username,
        "organisation": world.orgs["police"].pk,
        "role": "police_facilitator",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }


MODELS = {
    "core_user": lambda w: w.users["partner_staff"],
    "core_organisation": lambda w: w.orgs["faith"],
    "core_benchmark": lambda w: w.benchmark,
    "core_unit": lambda w: w.unit,
    "core_partnershipsettings": lambda w: w.partnership,
}


def _model_rows() -> list[Row]:
    rows = []
    for model, obj in MODELS.items():
        add = admin_only(403) if model == "core_partnershipsettings" else admin_only()
        rows += [
            Row(f"admin:{model}_changelist", expect=admin_only()),
            Row(f"admin:{model}_add", expect=add),
            Row(f"admin:{model}_change", args=lambda w, obj=obj: [obj(w)], expect=admin_only()),
            Row(f"admin:{model}_history", args=lambda w, obj=obj: [obj(w)], expect=admin_only()),
        ]
        delete = admin_only(403) if model == "core_partnershipsettings" else admin_only()
        rows.append(Row(f"admin:{model}_delete", args=lambda w, obj=obj: [obj(w)], expect=delete))
    return rows


ACCOUNT_ROWS = [
    Row("mfa-verify", expect=everyone(HOME)),
    Row("mfa-enrol", expect=everyone(Outcome(302, redirect_to="mfa-verify"))),
    Row("mfa-recovery-codes", expect=everyone(HOME)),
    Row("password_change", expect=everyone(200, anonymous=SIGN_IN)),
    Row("password_reset", expect=everyone(200, anonymous=200)),
    Row(
        "password_reset",
        "POST",
        data={"email": "nobody@example.org"},
        expect=everyone(
            Outcome(302, redirect_to="password_reset_done"),
            anonymous=Outcome(302, redirect_to="password_reset_done"),
        ),
    ),
    Row("password_reset_done", expect=everyone(200, anonymous=200)),
    Row(
        "password_reset_confirm",
        args=lambda w: ["MQ", "not-a-token"],
        expect=everyone(200, anonymous=200),
    ),
    Row("password_reset_complete", expect=everyone(200, anonymous=200)),
    Row("core:audit-export", expect=only({"auditor"})),
    Row(
        "core:audit-export",
        "POST",
        data={"format": "csv", "reason": "Quarterly access review"},
        expect=only({"auditor"}),
    ),
]

ADMIN_ROWS = [
    Row("admin:login", expect=everyone(200, admin=ADMIN_INDEX, anonymous=200)),
    # Django's admin logout is POST only; a visitor without the admin role goes to the index
    # first, which sends them to the admin's sign-in.
    Row("admin:logout", expect=only(ADMIN, 405, others=ADMIN_INDEX, anonymous=ADMIN_INDEX)),
    Row("admin:password_change", expect=admin_only()),
    Row("admin:password_change_done", expect=admin_only()),
    Row("admin:autocomplete", expect=admin_only(403)),
    Row("admin:jsi18n", expect=admin_only()),
    Row(
        "admin:view_on_site",
        args=lambda w: [
            ContentType.objects.get_for_model(type(w.orgs["faith"])).pk,
            w.orgs["faith"],
        ],
        expect=admin_only(404),
    ),
    Row("admin:app_list", args=lambda w: ["core"], expect=admin_only()),
    Row(
        "admin:auth_user_password_change",
        args=lambda w: [w.users["partner_staff"]],
        expect=admin_only(),
    ),
    Row(
        "admin:core_user_change",
        "POST",
        args=lambda w: [w.users["admin"]],
        data=_own_change_form,
        expect=admin_only(Outcome(302, checks=(_role_unchanged,))),
        label="own role",
    ),
    *_model_rows(),
]
