"""The computed worksheet is cached under the data version: reused until data that feeds it changes.

Every kind of write to a feeding table -- a service, ``.update()``, a bulk load, raw SQL, a
delete -- sets a new data version (database triggers), so the next worksheet is computed again
and shows the change; nothing else does.
"""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ceasefire.core.models import (
    DATA_VERSION_TABLES,
    Benchmark,
    CustomNotification,
    EnforcementAction,
    Enrolment,
    Incident,
    Involvement,
    PartnershipSettings,
    RiskDesignation,
    Worksheet,
)
from performance import selectors, services
from performance.indicators import Period
from tests import factories as f

LA = ZoneInfo("America/Los_Angeles")
FEB_MAR_2017 = Period(2017, 2, 3)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _row(figures: dict, indicator: str) -> dict:
    return {r["indicator"]: r for r in figures["outcomes"] + figures["activities"]}[indicator]


def _period_actual(figures: dict, indicator: str) -> int:
    return _row(figures, indicator)["period"]["actual"]


def test_every_feeding_table_has_its_data_version_trigger():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", ["%_dataversion"])
            names = {name for (name,) in cursor.fetchall()}
            expected = {f"{t}_dataversion" for t in DATA_VERSION_TABLES}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            names = {name for (name,) in cursor.fetchall()}
            expected = {
                f"{t}_dataversion_{op}"
                for t in DATA_VERSION_TABLES
                for op in ("insert", "update", "delete")
            }
    assert expected <= names


def test_the_worksheet_reads_only_tables_that_set_the_data_version(reference_data, activity_data):
    with CaptureQueriesContext(connection) as queries:
        selectors.worksheet_figures(FEB_MAR_2017)
    read = {
        table
        for q in queries.captured_queries
        for table in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', q["sql"])
        if table.startswith(("core_", "reviews_", "coordination_", "performance_"))
    }
    assert read
    assert read <= set(DATA_VERSION_TABLES)


def test_a_second_worksheet_is_one_query_and_the_same_figures(
    reference_data, activity_data, django_assert_num_queries
):
    first = selectors.worksheet_compute(FEB_MAR_2017)
    with django_assert_num_queries(1):  # the data version
        second = selectors.worksheet_compute(FEB_MAR_2017)
    assert second == first


def test_notes_are_applied_on_top_of_the_cached_figures(reference_data):
    plain = selectors.worksheet_compute(FEB_MAR_2017)
    noted = selectors.worksheet_compute(FEB_MAR_2017, notes={"homicides": "Up in March"})
    assert _row(plain, "homicides")["note"] == ""
    assert _row(noted, "homicides")["note"] == "Up in March"
    assert _row(selectors.worksheet_compute(FEB_MAR_2017), "homicides")["note"] == ""


def test_changing_the_returned_figures_does_not_change_the_cache(reference_data):
    figures = selectors.worksheet_compute(FEB_MAR_2017)
    figures["outcomes"].clear()
    assert selectors.worksheet_compute(FEB_MAR_2017)["outcomes"]


def test_a_new_day_computes_again(reference_data):
    with mock.patch.object(
        selectors.worksheet, "worksheet_figures", wraps=selectors.worksheet_figures
    ) as compute:
        selectors.worksheet_compute(FEB_MAR_2017, today=dt.date(2017, 4, 3))
        selectors.worksheet_compute(FEB_MAR_2017, today=dt.date(2017, 4, 3))
        selectors.worksheet_compute(FEB_MAR_2017, today=dt.date(2017, 4, 4))
    assert compute.call_count == 2


def test_a_read_does_not_change_the_data_version(reference_data, activity_data):
    before = selectors.data_version()
    selectors.worksheet_compute(FEB_MAR_2017)
    assert selectors.data_version() == before


def test_a_worksheet_version_row_does_not_change_the_data_version(reference_data):
    before = selectors.data_version()
    f.WorksheetFactory()
    assert selectors.data_version() == before


# --- every kind of feeding data: the cached worksheet shows the change ---------------------------


def _new_homicide() -> None:
    incident = f.IncidentFactory(occurred_at=dt.datetime(2017, 2, 20, 12, tzinfo=LA))
    f.InvolvementFactory(incident=incident, role="victim", injury="fatal")


def _incident_not_counted() -> None:
    Incident.objects.filter(fatal_victims__gt=0, occurred_at__year=2017).update(
        counting_status="held", counting_reason="Under review"
    )


def _counted_homicide_victim() -> Involvement:
    return Involvement.objects.filter(
        injury="fatal",
        incident__counting_status="counted",
        incident__weapon="firearm",
        incident__occurred_at__gte=dt.datetime(2017, 2, 1, tzinfo=LA),
        incident__occurred_at__lt=dt.datetime(2017, 4, 1, tzinfo=LA),
    ).first()


def _victim_recorded_as_wounded() -> None:
    victim = _counted_homicide_victim()
    victim.injury = "nonfatal"
    victim.save(update_fields=["injury"])


def _involvement_deleted() -> None:
    _counted_homicide_victim().delete()


def _benchmark_changed() -> None:
    Benchmark.objects.filter(indicator="homicides", year=2017).update(annual_target=999)


def _contact_made() -> None:
    CustomNotification.objects.create(
        person=f.PersonFactory(), delivered_on=dt.date(2017, 3, 10), delivered_by="Pastor Jones"
    )


def _enrolment_started() -> None:
    Enrolment.objects.create(
        person=f.PersonFactory(),
        provider=f.OrganisationFactory(),
        referral_source="call_in",
        started_on=dt.date(2017, 3, 2),
    )


def _arrest_made() -> None:
    f.EnforcementActionFactory(taken_on=dt.date(2017, 3, 3))


def _designation_ended() -> None:
    RiskDesignation.objects.update(ended_on=dt.date(2017, 1, 2), end_reason="lapsed")


def _raw_sql_delete_of_contacts() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CustomNotification._meta.db_table}")


def _coordination_meeting_held() -> None:
    f.CoordinationMeetingFactory(date=dt.date(2017, 3, 15))


def _meetings_per_month_set() -> None:
    PartnershipSettings.objects.update(coordination_meetings_per_month=7)


def _arrests_bulk_loaded() -> None:
    person, unit = f.PersonFactory(), f.UnitFactory()
    EnforcementAction.objects.bulk_create(
        EnforcementAction(
            person=person, unit=unit, taken_on=dt.date(2017, 2, day), kind="arrest_violent_gun"
        )
        for day in (2, 3, 4)
    )


CHANGES = [
    _new_homicide,
    _incident_not_counted,
    _victim_recorded_as_wounded,
    _involvement_deleted,
    _benchmark_changed,
    _contact_made,
    _enrolment_started,
    _arrest_made,
    _designation_ended,
    _raw_sql_delete_of_contacts,
    _coordination_meeting_held,
    _meetings_per_month_set,
    _arrests_bulk_loaded,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__.strip("_"))
def test_a_write_to_feeding_data_shows_in_the_next_worksheet(reference_data, activity_data, change):
    before = selectors.worksheet_compute(FEB_MAR_2017)
    assert selectors.worksheet_compute(FEB_MAR_2017) == before  # cached
    version = selectors.data_version()
    change()
    assert selectors.data_version() != version
    after = selectors.worksheet_compute(FEB_MAR_2017)
    assert after != before
    assert after == selectors.worksheet_figures(FEB_MAR_2017)  # what a fresh computation says


def test_a_task_write_sets_a_new_data_version(db):
    version = selectors.data_version()
    task = f.TaskFactory()
    assert selectors.data_version() != version
    version = selectors.data_version()
    task.delete()
    assert selectors.data_version() != version


def test_without_a_version_row_nothing_is_cached(reference_data):
    from ceasefire.core.models import DataVersion

    DataVersion.objects.all().delete()
    with mock.patch.object(
        selectors.worksheet, "worksheet_figures", wraps=selectors.worksheet_figures
    ) as compute:
        selectors.worksheet_compute(FEB_MAR_2017)
        selectors.worksheet_compute(FEB_MAR_2017)
    assert compute.call_count == 2
    f.TaskFactory()  # the next write puts the row back
    assert selectors.data_version() is not None


def test_an_unreachable_cache_computes_the_figures(reference_data):
    with mock.patch.object(selectors.worksheet.cache, "get", side_effect=ConnectionError("down")):
        figures = selectors.worksheet_compute(FEB_MAR_2017)
    assert _period_actual(figures, "homicides") == _period_actual(
        selectors.worksheet_figures(FEB_MAR_2017), "homicides"
    )


def test_the_pdf_job_reuses_the_figures_the_page_computed(
    reference_data, activity_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    selectors.worksheet_compute(FEB_MAR_2017)  # the page, live figures
    ws = Worksheet.objects.create(period_start=FEB_MAR_2017.start, period_end=FEB_MAR_2017.end)
    with (
        mock.patch.object(
            selectors.worksheet, "worksheet_figures", wraps=selectors.worksheet_figures
        ) as compute,
        mock.patch("performance.pdf.worksheet_pdf_render", return_value=b"%PDF-1.7"),
    ):
        services.worksheet_build(worksheet_id=ws.pk)
    assert compute.call_count == 0
    ws.refresh_from_db()
    assert ws.status == "ready"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite drops triggers on a rebuild")
def test_triggers_a_sqlite_table_rebuild_dropped_are_back_after_migrate():
    from django.apps import apps
    from django.db.models.signals import post_migrate

    from ceasefire.core.signals import data_version_triggers

    uid = "ceasefire-data-version-triggers"
    assert any(receiver[0][0] == uid for receiver in post_migrate.receivers)
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER core_incident_dataversion_update")
    data_version_triggers(sender=apps.get_app_config("core"), using="default")
    incident = f.IncidentFactory()
    version = selectors.data_version()
    Incident.objects.filter(pk=incident.pk).update(counting_reason="Checked")
    assert selectors.data_version() != version


def test_an_enforcement_action_recorded_through_the_service_shows_in_the_next_worksheet(
    reference_data, activity_data, users
):
    from ceasefire.core import record_services

    before = selectors.worksheet_compute(FEB_MAR_2017)
    version = selectors.data_version()
    record_services.enforcement_action_record(
        user=users["police_facilitator"],
        person=f.PersonFactory(),
        taken_on=dt.date(2017, 3, 2),
        kind=EnforcementAction.Kind.ARREST_VIOLENT_GUN,
    )
    assert selectors.data_version() != version
    after = selectors.worksheet_compute(FEB_MAR_2017)
    assert after != before
    assert after == selectors.worksheet_figures(FEB_MAR_2017)
