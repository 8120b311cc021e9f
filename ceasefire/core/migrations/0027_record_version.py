"""The RECORDS data version (row 2 of core_dataversion, its triggers: ceasefire/core/dataversion.py):
set by a write to any table a meeting page shows, so the open review's agenda and the coordination
meeting's lists can be cached under it. The FIGURES triggers (0020) now pass their row too.

Keep TABLES equal to core.models.RECORD_VERSION_TABLES (frozen here, as migrations are); the
tests in tests/core/test_record_version.py fail if a listed table has no trigger.
"""

from django.db import migrations

from ceasefire.core import dataversion

TABLES = (
    "core_agendaitem",
    "core_benchmark",
    "core_callin",
    "core_callin_attendees",
    "core_conflict",
    "core_customnotification",
    "core_enforcementaction",
    "core_enforcementplanstatus",
    "core_enrolment",
    "core_group",
    "core_groupaffiliation",
    "core_incident",
    "core_incident_groups",
    "core_incident_related_incidents",
    "core_involvement",
    "core_meeting",
    "core_meeting_attendees",
    "core_meeting_attending_organisations",
    "core_notice",
    "core_organisation",
    "core_partnershipsettings",
    "core_partnershipshare",
    "core_person",
    "core_rightsrequest",
    "core_riskdesignation",
    "core_riskdesignation_basis_incidents",
    "core_servicecontact",
    "core_task",
    "core_taskupdate",
    "core_unit",
    "core_unitstaffing",
    "core_user",
    "coordination_longtermplan",
    "coordination_partnershiphealthitem",
    "coordination_personplan",
    "reviews_designationdecision",
    "reviews_followupchoice",
    "reviews_reviewincident",
    "reviews_reviewsummary",
    "reviews_riskdecision",
)
ROW = dataversion.RECORDS.row


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    dataversion.install(schema_editor.execute, vendor, TABLES, scope=dataversion.RECORDS)
    schema_editor.execute(f"INSERT INTO core_dataversion (id, version) VALUES ({ROW}, 1)")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    dataversion.drop(schema_editor.execute, vendor, TABLES, scope=dataversion.RECORDS)
    schema_editor.execute(f"DELETE FROM core_dataversion WHERE id = {ROW}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0026_task_open_due_index"),
        ("coordination", "0001_initial"),
        ("reviews", "0006_importjob_heartbeat"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
