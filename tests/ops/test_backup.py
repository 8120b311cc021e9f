"""``manage.py backup`` / ``restore``: a real round trip on PostgreSQL (pg_dump, pg_restore) of
the data and the media files, the manifest's checks, and the refusal to overwrite data."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ceasefire.core import backup
from ceasefire.core.audit import Action, audit_record
from ceasefire.core.models import Incident, Person
from tests import factories as f

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
postgresql_only = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="backup/restore use pg_dump and pg_restore: PostgreSQL only (CI's second run)",
)
PDF = b"%PDF-1.7 worksheet 2017-02\n" * 100


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = settings.MEDIA_ROOT / "worksheets" / "2017" / "worksheet-2017-02.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(PDF)
    return settings.MEDIA_ROOT


@pytest.fixture
def seeded(transactional_db, media):
    """A few rows across tables (people, an incident with a victim, an audit event)."""
    person = f.PersonFactory(first_name="Roundtrip", last_name="Person")
    incident = f.IncidentFactory()
    f.VictimFactory(incident=incident, person=person)
    audit_record(actor=None, action=Action.VIEW, obj=person)
    return person, incident


@pytest.fixture
def schema_guard():
    """Should a test fail between wiping and restoring, the next tests still get their tables."""
    yield
    if "core_person" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)
        cache.clear()  # a new data-version sequence: what was cached under the old one must go


@postgresql_only
def test_a_round_trip_brings_back_every_row_and_the_media_files(
    seeded, media, tmp_path, schema_guard, capsys
):
    person, incident = seeded
    before = _row_counts()
    assert before["core_person"] == 1 and before["core_auditevent"] >= 1

    call_command("backup", output=str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("ceasefire-backup-*.tar")
    assert str(archive) in capsys.readouterr().out

    # restoring over data that is there is refused, and changes nothing
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    assert _row_counts() == before

    # wipe: no tables, no media
    backup._wipe_database()
    backup._wipe_media()
    assert connection.introspection.table_names() == []
    assert not any(media.rglob("*.pdf"))

    cache.set("read-from-the-old-database:v7", 42)  # a data version the backup will hand out again
    call_command("restore", str(archive))
    assert "Restored" in capsys.readouterr().out
    assert cache.get("read-from-the-old-database:v7") is None  # nothing cached survives
    assert _row_counts() == before
    restored = Person.objects.get(pk=person.pk)
    assert (restored.first_name, restored.last_name) == ("Roundtrip", "Person")
    kept = Incident.objects.get(pk=incident.pk)
    assert kept.fatal_victims + kept.nonfatal_victims == 1  # the counts the trigger keeps
    pdf = media / "worksheets" / "2017" / "worksheet-2017-02.pdf"
    assert pdf.read_bytes() == PDF
    assert backup.pending_migrations() == []
    # the database works on: new rows get new ids after the restored ones
    assert f.PersonFactory().pk > person.pk


@postgresql_only
def test_the_manifest_records_time_migrations_and_checksums(seeded, tmp_path):
    archive = backup.create_backup(tmp_path / "out")
    manifest = backup.read_manifest(archive, tmp_path / "unpacked")
    assert manifest["format"] == backup.FORMAT
    assert manifest["migrations"] == backup.applied_migrations()
    assert "0001_initial" in manifest["migrations"]["core"]
    assert manifest["media_files"] == 1
    assert manifest["database"]["vendor"] == "postgresql"
    for name in (backup.DUMP, backup.MEDIA):
        assert len(manifest["files"][name]["sha256"]) == 64
        assert manifest["files"][name]["bytes"] > 0
    assert manifest["created_at"].endswith("+00:00")


@postgresql_only
def test_a_damaged_or_foreign_archive_is_refused_before_anything_is_touched(seeded, tmp_path):
    archive = backup.create_backup(tmp_path / "out")
    before = _row_counts()

    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as outer:
        outer.extractall(unpacked, filter="data")
    (unpacked / backup.DUMP).write_bytes(b"not a dump")
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(damaged, "w") as outer:
        for name in (backup.MANIFEST, backup.DUMP, backup.MEDIA):
            outer.add(unpacked / name, arcname=name)
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(damaged), force=True)

    manifest = json.loads((unpacked / backup.MANIFEST).read_text())
    manifest["migrations"]["core"].append("9999_from_the_future")
    (unpacked / backup.MANIFEST).write_text(json.dumps(manifest))
    (unpacked / backup.DUMP).unlink()
    with tarfile.open(archive) as outer:
        outer.extract(backup.DUMP, unpacked, filter="data")
    newer = tmp_path / "newer.tar"
    with tarfile.open(newer, "w") as outer:
        for name in (backup.MANIFEST, backup.DUMP, backup.MEDIA):
            outer.add(unpacked / name, arcname=name)
    with pytest.raises(CommandError, match="newer version"):
        call_command("restore", str(newer))

    not_a_backup = tmp_path / "other.tar"
    with tarfile.open(not_a_backup, "w") as outer:
        outer.add(unpacked / backup.MEDIA, arcname=backup.MEDIA)
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(not_a_backup))
    assert _row_counts() == before


@postgresql_only
@pytest.mark.usefixtures("seeded", "schema_guard")
def test_force_replaces_data_that_is_there(tmp_path, media):
    archive = backup.create_backup(tmp_path / "out")
    f.PersonFactory(first_name="Later", last_name="Addition")
    (media / "later.csv").write_text("x")

    call_command("restore", str(archive), force=True)
    assert list(Person.objects.values_list("first_name", flat=True)) == ["Roundtrip"]
    assert not (media / "later.csv").exists()
    assert (media / "worksheets" / "2017" / "worksheet-2017-02.pdf").read_bytes() == PDF


@pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite message")
@pytest.mark.django_db
def test_on_sqlite_backup_says_what_to_do_instead(tmp_path):
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("backup", output=str(tmp_path))


@pytest.mark.django_db
def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nope.tar"))
