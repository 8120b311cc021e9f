"""The data-version triggers (``core.DataVersion``): their SQL, installed by migration core 0019
and, on SQLite, put back after every ``migrate`` (``signals``).

Triggers set ``core_dataversion.version`` whenever one of the tables is written -- whatever wrote
it: the services, the CSV import, the admin, a bulk load, a shell -- so the computed worksheet
cached under that version is never stale. PostgreSQL: one statement-level trigger per table (a
bulk insert bumps once), the next value of a sequence (never handed out twice, even after a
rollback). SQLite: row-level triggers, a random 63-bit number. The row is upserted, so a flush
that emptied ``core_dataversion`` is mended by the next write.

The bump locks the one row until the writing transaction commits, so writes to these tables queue
behind each other; they are short in this app. SQLite alters a table by copying it, which drops
its triggers: ``install`` with ``if_missing=True`` after every migrate puts them back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

POSTGRESQL_FUNCTION = """
CREATE SEQUENCE IF NOT EXISTS core_dataversion_seq;
CREATE OR REPLACE FUNCTION core_dataversion_bump() RETURNS trigger AS $$
BEGIN
    INSERT INTO core_dataversion (id, version) VALUES (1, nextval('core_dataversion_seq'))
    ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRESQL_TRIGGER = """
DROP TRIGGER IF EXISTS {table}_dataversion ON {table};
CREATE TRIGGER {table}_dataversion AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION core_dataversion_bump();
"""
POSTGRESQL_DROP = "DROP TRIGGER IF EXISTS {table}_dataversion ON {table};"
POSTGRESQL_FUNCTION_DROP = """
DROP FUNCTION IF EXISTS core_dataversion_bump();
DROP SEQUENCE IF EXISTS core_dataversion_seq;
"""

SQLITE_BUMP = (
    "INSERT INTO core_dataversion (id, version) VALUES (1, random() & 9223372036854775807) "
    "ON CONFLICT (id) DO UPDATE SET version = excluded.version;"
)
SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS {table}_dataversion_{op} AFTER {op} ON {table} "
    f"BEGIN {SQLITE_BUMP} END"
)
SQLITE_DROP = "DROP TRIGGER IF EXISTS {table}_dataversion_{op}"
SQLITE_OPS = ("insert", "update", "delete")


def install(execute, vendor: str, tables, *, if_missing: bool = False) -> None:
    """Create the triggers on ``tables`` with ``execute`` (a schema editor's or a cursor's).

    ``if_missing``: SQLite only, leave existing triggers alone (after a migrate).
    """
    if vendor == "postgresql":
        if if_missing:
            return  # PostgreSQL keeps a table's triggers through ALTER TABLE
        execute(POSTGRESQL_FUNCTION)
        for table in tables:
            execute(POSTGRESQL_TRIGGER.format(table=table))
    elif vendor == "sqlite":
        for table in tables:
            for op in SQLITE_OPS:
                execute(SQLITE_TRIGGER.format(table=table, op=op))
    else:
        raise NotImplementedError(
            f"data-version triggers are written for PostgreSQL and SQLite, not {vendor}"
        )


def drop(execute, vendor: str, tables) -> None:
    for table in tables:
        if vendor == "postgresql":
            execute(POSTGRESQL_DROP.format(table=table))
        else:
            for op in SQLITE_OPS:
                execute(SQLITE_DROP.format(table=table, op=op))
    if vendor == "postgresql":
        execute(POSTGRESQL_FUNCTION_DROP)


def data_version() -> int | None:
    """The current data version (None when its row is missing, e.g. just after a flush)."""
    from .models import DataVersion

    return DataVersion.objects.filter(pk=1).values_list("version", flat=True).first()


def cached_on_data(key: str, compute: Callable[[], T], *, seconds: int = 60 * 60) -> T:
    """``compute()``, kept in the cache under ``key`` and the current data version: a write to any
    table of ``DATA_VERSION_TABLES`` makes a new key, so what is read is never stale (a value
    computed by a transaction that then rolls back sits under a version never handed out again).
    Without a version row it is computed every time. ``compute`` must return something other than
    None, and only what ``DATA_VERSION_TABLES`` feed."""
    version = data_version()
    if version is None:
        return compute()
    full_key = f"{key}:v{version}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, seconds)
    return found
