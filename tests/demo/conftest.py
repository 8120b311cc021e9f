"""One seeded demo city for the package: last year in full and this year to date, at scale 1.

Seeding runs every meeting's close service and renders worksheet PDFs, so it is done once, inside
a transaction rolled back after the package (other packages still start empty), with worksheet
files in a temporary media root. The command-level tests in ``test_seed_demo.py`` that need an
empty database run first (its module sorts before the others) and also pass ``--reset``.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from ceasefire.core.selectors import local_midnight

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1
PASSWORD = "a-test-demo-password"
# The package runs from noon of the city's today (the clock still ticks): the seed, TODAY and the
# pages' own "today" are one day, even when a run starts just before the city's midnight.
CITY_NOON = local_midnight(TODAY) + dt.timedelta(hours=12)


@pytest.fixture(scope="package", autouse=True)
def _at_city_noon():
    with time_machine.travel(CITY_NOON, tick=True):
        yield


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="package")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """(seed_demo's output, the media root of its worksheet files); the city stays in the
    database until the package ends."""
    media = tmp_path_factory.mktemp("demo-media")
    test_settings = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media
    )
    with django_db_blocker.unblock(), test_settings, transaction.atomic():
        output = seed("--since", str(LAST_YEAR), "--seed", "7", "--password", PASSWORD)
        yield output, media
        transaction.set_rollback(True)


@pytest.fixture
def city(seeded, db, settings):
    """The seeded city (as seed_demo's printed output), its worksheet files in MEDIA_ROOT."""
    output, settings.MEDIA_ROOT = seeded
    return output
