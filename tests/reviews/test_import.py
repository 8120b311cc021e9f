"""The incident CSV import: all or nothing, every bad row listed, re-import idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ceasefire.core.models import Incident, Involvement
from ceasefire.core.selectors import local_midnight
from reviews.imports import parse_incident_csv, parse_occurred_at
from reviews.services import ImportRefused, incidents_import
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = (
    "case_number,occurred_at,address,area,weapon,fatal_victims,nonfatal_victims,"
    "circumstance,group_involved,counting_status\n"
)
GOOD = HEADER + (
    "17-001,2017-03-14T21:30,1 International Blvd,3,firearm,1,2,group_conflict,yes,counted\n"
    "17-002,2017-03-15T02:10-07:00,2 Foothill Blvd,2,firearm,0,0,,unknown,\n"
    "17-003,2017-03-16T12:00,3 MacArthur Blvd,1,other,1,0,domestic,no,counted\n"
)


def test_a_good_file_creates_incidents_with_unidentified_victims(users):
    report = incidents_import(text=GOOD, user=users["police_facilitator"])
    assert report.created == ["17-001", "17-002", "17-003"]
    first = Incident.objects.get(case_number="17-001")
    assert first.kind == "homicide" and first.involvements.filter(person__isnull=True).count() == 3
    assert timezone.localtime(first.occurred_at).hour == 21
    assert Incident.objects.get(case_number="17-002").kind == "non_injury_shooting"
    assert Incident.objects.get(case_number="17-003").get_kind_display() == "Homicide"


def test_local_time_without_offset_and_explicit_offsets():
    assert parse_occurred_at("2017-03-14T21:30") == local_midnight(
        dt.date(2017, 3, 14)
    ) + dt.timedelta(hours=21, minutes=30)
    assert parse_occurred_at("2017-03-15T04:30Z") == dt.datetime(2017, 3, 15, 4, 30, tzinfo=dt.UTC)


def test_nonexistent_and_ambiguous_local_times_are_bad_rows():
    with pytest.raises(ValueError, match="does not exist"):
        parse_occurred_at("2017-03-12T02:30")
    with pytest.raises(ValueError, match="happened twice"):
        parse_occurred_at("2017-11-05T01:30")


def test_bad_rows_refuse_the_whole_file_and_each_is_listed(users):
    text = HEADER + (
        "17-001,2017-03-14T21:30,1 International Blvd,3,firearm,1,2,,,\n"
        "17-002,yesterday,2 Foothill,2,firearm,0,0,,,\n"
        "17-003,2017-03-16T12:00,,1,knife,x,0,,,\n"
        "17-001,2017-03-14T21:30,dup,3,firearm,1,0,,,\n"
        "17-004,2017-03-16T12:00,4 High St,1,other,0,1,,,\n"
        f"17-005,{timezone.localtime() + dt.timedelta(days=2):%Y-%m-%dT%H:%M},"
        "5 High St,1,firearm,0,1,,maybe,\n"
        "17-006,2017-03-16T12:00,6 High St,1,firearm,0,1,,,held\n"
    )
    with pytest.raises(ImportRefused) as refused:
        incidents_import(text=text, user=users["police_facilitator"])
    lines = {e.line for e in refused.value.row_errors}
    assert lines == {3, 4, 5, 6, 7, 8}  # line 8: held without a reason, found in the same pass
    reasons = " ".join(e.reason for e in refused.value.row_errors)
    assert (
        "not an ISO 8601" in reasons
        and "address is empty" in reasons
        and "weapon must be one of firearm|other" in reasons
    )
    assert (
        "fatal_victims must be a whole number" in reasons and "already appears on line 2" in reasons
    )
    assert (
        "is not a shooting" in reasons
        and "in the future" in reasons
        and "group_involved must be one of" in reasons
    )
    assert not Incident.objects.exists()


def test_held_rows_need_a_counting_reason_column(users):
    text = (
        HEADER.strip()
        + ",counting_reason\n17-006,2017-03-16T12:00,6 High St,1,firearm,0,1,,,held,\n"
    )
    with pytest.raises(ImportRefused, match="counting_reason"):
        incidents_import(text=text, user=users["police_facilitator"])
    ok = (
        HEADER.strip()
        + ",counting_reason\n"
        + "17-006,2017-03-16T12:00,6 High St,1,firearm,0,1,,,held,Victim says self-inflicted\n"
    )
    incidents_import(text=ok, user=users["police_facilitator"])
    assert Incident.objects.get().counting_reason == "Victim says self-inflicted"


def test_missing_and_unknown_columns_are_reported_on_line_one():
    rows, errors = parse_incident_csv("case_number,occurred_at\n1,2017-01-01T00:00\n")
    assert rows == [] and errors[0].line == 1 and "address" in errors[0].reason


def test_reimport_is_idempotent_and_keeps_identified_victims(users):
    incidents_import(text=GOOD, user=users["police_facilitator"])
    incident = Incident.objects.get(case_number="17-001")
    named = incident.involvements.filter(injury="nonfatal").first()
    named.person = f.PersonFactory()
    named.save(update_fields=["person"])
    again = incidents_import(text=GOOD, user=users["police_facilitator"])
    assert again.unchanged == ["17-001", "17-002", "17-003"] and not again.created
    assert (
        incident.involvements.count() == 3
        and incident.involvements.filter(person__isnull=False).count() == 1
    )
    changed = GOOD.replace(
        "17-001,2017-03-14T21:30,1 International Blvd,3,firearm,1,2",
        "17-001,2017-03-14T21:30,1 International Blvd,3,firearm,1,4",
    )
    report = incidents_import(text=changed, user=users["police_facilitator"])
    assert report.updated == ["17-001"]
    assert incident.involvements.filter(injury="nonfatal").count() == 4
    assert incident.involvements.filter(person__isnull=False).count() == 1


def test_reimport_cannot_drop_below_identified_victims(users):
    incidents_import(text=GOOD, user=users["police_facilitator"])
    incident = Incident.objects.get(case_number="17-001")
    for inv in incident.involvements.filter(injury="nonfatal"):
        inv.person = f.PersonFactory()
        inv.save(update_fields=["person"])
    fewer = GOOD.replace("firearm,1,2", "firearm,1,1")
    with pytest.raises(ImportRefused, match="already identified"):
        incidents_import(text=fewer, user=users["police_facilitator"])
    assert incident.involvements.filter(injury=Involvement.Injury.NONFATAL).count() == 2


def test_dry_run_writes_nothing(users):
    report = incidents_import(text=GOOD, user=users["police_facilitator"], dry_run=True)
    assert report.created == ["17-001", "17-002", "17-003"]
    assert not Incident.objects.exists()


def test_command_imports_and_reports(tmp_path, users):
    path = tmp_path / "incidents.csv"
    path.write_text(GOOD)
    out = StringIO()
    call_command("import_incidents", str(path), "--dry-run", stdout=out)
    assert "Would create 3" in out.getvalue() and not Incident.objects.exists()
    call_command("import_incidents", str(path), "--user", "police_facilitator", stdout=out)
    assert Incident.objects.count() == 3


def test_command_lists_bad_rows_and_fails(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "17-001,never,1 Main,3,firearm,1,0,,,\n")
    err = StringIO()
    with pytest.raises(CommandError, match="refused: 1 problem"):
        call_command("import_incidents", str(path), stderr=err)
    assert "Line 2: occurred_at 'never'" in err.getvalue()
