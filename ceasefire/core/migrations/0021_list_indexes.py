"""Indexes of the lists that must not grow with the data (issue 14).

- ``incident_log_order_idx``: the shooting log's order (``-occurred_at, -id``), on every engine; the
  log, its API and the keyset/cursor pages read it instead of sorting the table.
- PostgreSQL only: the ``pg_trgm`` extension and trigram GIN indexes on ``UPPER(col::text)`` of
  the searched columns. Django compiles ``icontains`` to ``UPPER(col::text) LIKE UPPER(%s)`` on
  PostgreSQL, which is exactly these indexes' expression, so the people search and the shooting
  log's text search read an index instead of scanning the table. SQLite keeps its plain
  ``LIKE`` (no index, small demo databases).
"""

from django.db import migrations, models

TRIGRAM_INDEXES = [
    ("person_first_name_trgm", "core_person", "first_name"),
    ("person_last_name_trgm", "core_person", "last_name"),
    ("person_aliases_trgm", "core_person", "aliases"),
    ("incident_case_number_trgm", "core_incident", "case_number"),
    ("incident_address_trgm", "core_incident", "address"),
]


def trigram_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops) WITH (fastupdate = off)"
        )


def trigram_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0020_worksheet_cache_and_timings"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                models.F("occurred_at").desc(),
                models.F("id").desc(),
                name="incident_log_order_idx",
            ),
        ),
        migrations.RunPython(trigram_create, trigram_drop, elidable=False),
    ]
