"""The core pages and the partnership settings are read without writing (audit events aside)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from ceasefire.core.models import PartnershipSettings
from tests import factories as f
from tests.conftest import ALL_ROLES
from tests.queries import tables_written

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_home_page_writes_nothing(client_for, role):
    client = client_for(role)
    with tables_written() as written:
        assert client.get(reverse("core:home")).status_code == 200

    assert written == set()


def test_the_person_page_writes_only_its_audit_event(client_for):
    person = f.PersonFactory()
    client = client_for("police_facilitator")

    with tables_written() as written:
        assert client.get(reverse("core:person-detail", args=[person.pk])).status_code == 200

    assert written == {"core_auditevent"}


def test_the_settings_row_exists_after_migrating():
    assert PartnershipSettings.objects.filter(pk=1).exists()


def test_loading_missing_settings_gives_the_defaults_and_writes_nothing():
    PartnershipSettings.objects.all().delete()

    with tables_written() as written:
        settings = PartnershipSettings.load()

    assert written == set()
    assert settings.pk == 1 and settings.designation_review_days == 90
    assert not PartnershipSettings.objects.exists()


def test_saving_loaded_defaults_creates_the_row():
    PartnershipSettings.objects.all().delete()
    settings = PartnershipSettings.load()
    settings.city_name = "Stockton"
    settings.save()

    assert PartnershipSettings.objects.get().city_name == "Stockton"


def test_the_data_migration_makes_the_settings_row_once():
    migration = importlib.import_module("ceasefire.core.migrations.0008_partnership_settings_row")
    PartnershipSettings.objects.all().delete()

    migration.create_settings_row(apps, None)
    migration.create_settings_row(apps, None)

    assert PartnershipSettings.objects.get().pk == 1
