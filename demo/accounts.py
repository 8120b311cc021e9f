"""Organisations, one demo user per role, police units with their monthly staffing and plans.

These rows are updated in place by ``--reset`` (audit events point at users).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceasefire.core import permissions
from ceasefire.core.models import (
    EnforcementPlanStatus,
    Organisation,
    PartnershipSettings,
    Unit,
    UnitStaffing,
    User,
)

from . import users
from .city import AREA_IDS, City, bulk, month_starts, rng_for

ORGANISATIONS = [
    ("police", "Oakland Police Department", Organisation.Kind.POLICE),
    ("hsd", "Human Services Department", Organisation.Kind.HUMAN_SERVICES),
    ("probation", "County Probation Department", Organisation.Kind.PROBATION),
    ("life_coaches", "Lakeside Life Coaching Collective", Organisation.Kind.COMMUNITY_BASED),
    ("outreach", "Eastmont Street Outreach", Organisation.Kind.COMMUNITY_BASED),
    ("hospital", "Bayside Hospital Violence Response", Organisation.Kind.COMMUNITY_BASED),
    ("family", "Fruitvale Family Support Network", Organisation.Kind.COMMUNITY_BASED),
    ("reentry", "Second Chance Reentry Partners", Organisation.Kind.COMMUNITY_BASED),
    ("faith", "Interfaith Ceasefire Council", Organisation.Kind.FAITH_COMMUNITY),
    ("congregations", "East Bay Congregations United", Organisation.Kind.FAITH_COMMUNITY),
    ("mayor", "Office of the Mayor", Organisation.Kind.MAYORS_OFFICE),
]
CBO_KEYS = ["life_coaches", "outreach", "hospital", "family", "reentry"]
PROVIDER_KEYS = ["life_coaches", "outreach", "reentry", "family"]

ADMIN_MODELS = ["user", "organisation", "benchmark", "unit", "partnershipsettings"]

# name, kind, authorised strength
UNITS = [
    ("Ceasefire Unit", Unit.Kind.SPECIALISED, 8),
    ("SIU East", Unit.Kind.SPECIALISED, 8),
    ("SIU West", Unit.Kind.SPECIALISED, 8),
    ("Gang Unit", Unit.Kind.SPECIALISED, 8),
    *[(f"Area {a} CRT", Unit.Kind.AREA, 6) for a in AREA_IDS],
]
PLAN_NOTES = ["Awaiting new commander sign-off", "Plan under revision"]


def organisation_name(key: str) -> str:
    return next(name for k, name, _ in ORGANISATIONS if k == key)


def organisations_create(city: City) -> None:
    for key, name, kind in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "active": True,
                "email": f"{key.replace('_', '-')}@demo.example.org",
            },
        )
        city.orgs[key] = org
    partnership = PartnershipSettings.load()
    partnership.police_lead = city.orgs["police"]
    partnership.human_services_lead = city.orgs["hsd"]
    # a demo shows its public transparency page (a real partnership switches it on in the admin)
    partnership.public_page_enabled = True
    partnership.save(update_fields=["police_lead", "human_services_lead", "public_page_enabled"])


def users_create(city: City) -> None:
    """One demo user per role, all with the printed password (hashed once: it is one password)
    and pre-enrolled with the demo's authenticator secret."""
    password_hash = make_password(city.options.password)
    for username, role, org_key, first, last in users.DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "organisation": city.orgs[org_key],
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.example.org",
                "is_staff": role in permissions.CAPABILITIES["admin.manage"],
                "is_superuser": False,
                "is_active": True,
                "password": password_hash,
            },
        )
        city.users[username] = user
        TOTPDevice.objects.update_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": users.DEMO_TOTP_KEY, "confirmed": True, "last_t": -1},
        )
    admin_permissions = Permission.objects.filter(
        content_type__app_label="core", content_type__model__in=ADMIN_MODELS
    )
    city.users[users.ADMIN].user_permissions.set(admin_permissions)


def units_create(city: City) -> None:
    """The units, and each month a staffing record and an enforcement-plan status per unit."""
    rng = rng_for(city.options, "units")
    for name, kind, _ in UNITS:
        unit, _ = Unit.objects.update_or_create(
            name=name, defaults={"kind": kind, "organisation": city.orgs["police"]}
        )
        city.units.append(unit)
    staffing, plans = [], []
    for month in month_starts(city.start, city.today):
        for unit, (_, _, authorised) in zip(city.units, UNITS, strict=True):
            staffing.append(_staffing(city, rng, unit, month, authorised))
            plans.append(_plan_status(city, rng, unit, month))
    bulk(UnitStaffing, staffing)
    bulk(EnforcementPlanStatus, plans)


def _staffing(city: City, rng, unit: Unit, month: dt.date, authorised: int) -> UnitStaffing:
    filled = authorised - rng.choices([0, 1, 2, 3], weights=[45, 35, 15, 5])[0]
    return UnitStaffing(
        unit=unit,
        recorded_on=month,
        authorised=authorised,
        filled=filled,
        recorded_by=city.facilitator,
    )


def _plan_status(city: City, rng, unit: Unit, month: dt.date) -> EnforcementPlanStatus:
    up_to_date = rng.random() < 0.85
    return EnforcementPlanStatus(
        unit=unit,
        recorded_on=month,
        up_to_date=up_to_date,
        notes="" if up_to_date else rng.choice(PLAN_NOTES),
        recorded_by=city.facilitator,
    )
