"""Every data-version bump takes the writers' advisory lock before it locks a version row
(ceasefire/core/dataversion.py, ``WRITERS_LOCK``), so two writing transactions cannot lock the
FIGURES and RECORDS rows -- or a version row and the audit chain -- in opposite orders and
deadlock. PostgreSQL only: SQLite has one writer at a time. ``CREATE OR REPLACE`` keeps the
triggers that call the functions; the bodies are frozen here, as migrations are.
"""

from django.db import migrations

LOCK = 0x6175646974  # dataversion.WRITERS_LOCK, core.models.audit.ADVISORY_LOCK_KEY


def _functions(take_lock: bool) -> str:
    lock = f"PERFORM pg_advisory_xact_lock({LOCK});" if take_lock else ""
    return f"""
CREATE OR REPLACE FUNCTION core_dataversion_bump() RETURNS trigger AS $$
BEGIN
    {lock}
    INSERT INTO core_dataversion (id, version)
    VALUES (COALESCE(TG_ARGV[0]::smallint, 1), nextval('core_dataversion_seq'))
    ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION core_tableversion_bump() RETURNS trigger AS $$
BEGIN
    {lock}
    INSERT INTO core_tableversion (name, version)
    VALUES (TG_TABLE_NAME, nextval('core_dataversion_seq'))
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_functions(take_lock=True))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_functions(take_lock=False))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0028_table_version"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
