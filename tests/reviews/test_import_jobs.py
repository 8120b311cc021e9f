"""Import jobs: the upload stores the file and returns at once; the job reports its progress, then
its result; all or nothing; the command takes the same path."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from ceasefire.core.models import Incident, Involvement
from reviews import services
from reviews.models import ImportJob
from reviews.services import bulk_import
from tests import factories as f
from tests.reviews.test_bench_import import incident_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _job(users, text: str, **kwargs) -> ImportJob:
    return services.import_job_create(
        user=users["police_facilitator"],
        file=ContentFile(text.encode(), name="log.csv"),
        dispatch=False,
        **kwargs,
    )


def test_the_upload_returns_at_once_with_a_queued_job(client_for):
    client = client_for("police_facilitator")
    upload = SimpleUploadedFile("log.csv", incident_csv(3).encode())
    response = client.post(reverse("reviews:incident-import"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reviews:import-job", args=[job.pk]
    )
    assert job.status == "queued" and not Incident.objects.exists()  # the job runs after commit
    page = client.get(response["Location"])
    assert 'hx-trigger="every 1s"' in page.content.decode()


def test_the_job_imports_in_batches_and_reports_its_result(users, monkeypatch):
    monkeypatch.setattr(bulk_import, "BATCH", 4)
    seen = []
    real = services.import_jobs._save
    monkeypatch.setattr(
        services.import_jobs,
        "_save",
        lambda job, **fields: (seen.append(dict(fields)), real(job, **fields)),
    )
    job = services.import_job_run(job_id=_job(users, incident_csv(10)).pk)
    assert job.status == "done" and job.result["created"] == 10
    assert Incident.objects.count() == 10
    assert [s["rows_checked"] for s in seen if set(s) == {"rows_checked", "error_count"}] == [
        4,
        8,
        10,
    ]
    assert not job.file  # the records extract is not kept


def test_victim_counts_come_from_the_unidentified_victims_written(users):
    services.import_job_run(job_id=_job(users, incident_csv(18)).pk)
    homicide = Incident.objects.get(case_number="B-0000000")
    assert homicide.fatal_victims == 1
    assert Involvement.objects.filter(incident=homicide, person__isnull=True).count() == 1


def test_a_re_import_updates_facts_and_victims_keeping_identified_people(users):
    services.import_job_run(job_id=_job(users, incident_csv(3)).pk)
    incident = Incident.objects.get(case_number="B-0000000")
    person = f.PersonFactory()
    Involvement.objects.filter(incident=incident).update(person=person)
    text = (
        incident_csv(3)
        .replace("B-0000000,", "B-0000000,")
        .replace("0 International Blvd,1,firearm,1,0", "0 Broadway,1,firearm,2,0")
    )
    job = services.import_job_run(job_id=_job(users, text).pk)
    assert job.result == {"created": 0, "updated": 1, "unchanged": 2, "dry_run": False}
    incident.refresh_from_db()
    assert (incident.address, incident.fatal_victims, incident.version) == ("0 Broadway", 2, 2)
    assert incident.involvements.filter(person=person).exists()


def test_a_bad_row_refuses_the_whole_file_listing_every_line(users):
    text = incident_csv(5) + "B-x,not a date,1 Main,1,firearm,0,0\nB-y,,,,knife,0,0\n"
    job = services.import_job_run(job_id=_job(users, text).pk)
    assert job.status == "refused" and job.error_count >= 3
    assert {e["line"] for e in job.errors} == {7, 8}
    assert not Incident.objects.exists()


def test_a_dry_run_checks_and_writes_nothing(users):
    job = services.import_job_run(job_id=_job(users, incident_csv(5), dry_run=True).pk)
    assert job.status == "done" and job.result["created"] == 5
    assert not Incident.objects.exists()


def test_a_job_that_fails_while_writing_leaves_nothing_behind(users, monkeypatch):
    real = bulk_import._victims
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) > 3:
            raise RuntimeError("the disk is full")
        return real(*args)

    monkeypatch.setattr(bulk_import, "_victims", failing)
    job = services.import_job_run(job_id=_job(users, incident_csv(10)).pk)
    assert job.status == "failed"
    assert not Incident.objects.exists() and not Involvement.objects.exists()


def test_the_job_reads_in_a_fixed_number_of_queries_per_batch(users, django_assert_max_num_queries):
    job = _job(users, incident_csv(200))
    with django_assert_max_num_queries(40):
        services.import_job_run(job_id=job.pk)
    assert Incident.objects.count() == 200


def test_the_command_runs_the_same_job(tmp_path, users):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "log.csv"
    path.write_text(incident_csv(4))
    out = StringIO()
    call_command("import_incidents", str(path), stdout=out)
    assert "Created 4" in out.getvalue()
    assert ImportJob.objects.get().status == "done"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's transactions")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_failed_write_rolls_back_every_batch(users, monkeypatch):
    monkeypatch.setattr(bulk_import, "BATCH", 3)
    real = bulk_import._existing
    calls = []

    def failing(rows):
        calls.append(1)
        if len(calls) > 6:  # pass 2, its third batch
            raise RuntimeError("connection lost")
        return real(rows)

    monkeypatch.setattr(bulk_import, "_existing", failing)
    job = services.import_job_run(job_id=_job(users, incident_csv(12)).pk)
    assert job.status == "failed"
    assert not Incident.objects.exists()


PEOPLE_HEADER = "case_number,role,injury,last_name,first_name,date_of_birth,gender,neighbourhood\n"


def _people_job(users, text: str) -> ImportJob:
    return services.import_job_create(
        user=users["police_facilitator"],
        file=ContentFile(text.encode(), name="extract.csv"),
        kind=ImportJob.Kind.PEOPLE,
        dispatch=False,
    )


def test_a_records_extract_names_victims_and_adds_suspects(users):
    services.import_job_run(job_id=_job(users, incident_csv(4)).pk)  # B-0000000: one killed
    known = f.PersonFactory(last_name="Diaz", first_name="Ana", date_of_birth="1999-02-03")
    text = PEOPLE_HEADER + (
        "B-0000000,V,K,diaz,ana,1999-02-03,F,Fruitvale\n"
        "B-0000000,S,,Moore,Tyrell,2001-06-07,M,\n"
        "B-0000003,suspect,,Moore,Tyrell,2001-06-07,M,\n"
    )
    job = services.import_job_run(job_id=_people_job(users, text).pk)
    assert job.status == "done", job.errors
    assert job.result == {
        "people_created": 1,
        "victims_identified": 1,
        "involvements_added": 2,
        "dry_run": False,
    }
    homicide = Incident.objects.get(case_number="B-0000000")
    assert homicide.involvements.get(role="victim").person == known
    assert homicide.fatal_victims == 1  # naming a victim changes no count
    assert Involvement.objects.filter(person__last_name="Moore", role="suspect").count() == 2


def test_a_records_extract_row_for_an_unknown_incident_refuses_the_file(users):
    text = PEOPLE_HEADER + "Z-404,W,,Lee,Sam,,,\nZ-405,victim,,Lee,Sam,,,\n"
    job = services.import_job_run(job_id=_people_job(users, text).pk)
    assert job.status == "refused"
    reasons = " ".join(e["reason"] for e in job.errors)
    assert "no incident Z-404" in reasons and "a victim needs an injury" in reasons
