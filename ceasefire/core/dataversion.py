"""The data-version triggers (``core.DataVersion``): their SQL, installed by migrations core 0020
(figures) and 0027 (records) and, on SQLite, put back after every ``migrate`` (``signals``).

Triggers set a ``core_dataversion`` row's version whenever one of its tables is written --
whatever wrote it: the services, the CSV import, the admin, a bulk load, a shell -- so what is
cached under that version is never stale. Two rows, two scopes: ``FIGURES`` (row 1) for the
tables the worksheet reads (``DATA_VERSION_TABLES``), so a review's answers leave the computed
worksheet cached; ``RECORDS`` (row 2) for every table a meeting page shows
(``RECORD_VERSION_TABLES``), under which the open review's agenda and the coordination meeting's
lists are cached: one computation per write, shared by everyone watching the meeting.

PostgreSQL: one statement-level trigger per table and scope (a bulk insert bumps once), the next
value of a sequence (never handed out twice, even after a rollback). SQLite: row-level triggers,
a random 63-bit number. The row is upserted, so a flush that emptied ``core_dataversion`` is
mended by the next write.

The bump locks its row until the writing transaction commits, so writes to these tables queue
behind each other; they are short in this app. SQLite alters a table by copying it, which drops
its triggers: ``install`` with ``if_missing=True`` after every migrate puts them back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import NamedTuple, TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection

T = TypeVar("T")


class Scope(NamedTuple):
    row: int  # core_dataversion.id
    trigger: str  # the triggers' name: {table}_{trigger}[_{op}]
    seconds: int  # how long a value is kept (a superseded version's values just expire)


FIGURES = Scope(1, "dataversion", 60 * 60)
# a live meeting writes every few seconds: each version's pages expire within ten minutes
RECORDS = Scope(2, "recordversion", 10 * 60)

POSTGRESQL_FUNCTION = """
CREATE SEQUENCE IF NOT EXISTS core_dataversion_seq;
CREATE OR REPLACE FUNCTION core_dataversion_bump() RETURNS trigger AS $$
BEGIN
    -- the scope's row: the trigger's argument (FIGURES' triggers, made before RECORDS, have none)
    INSERT INTO core_dataversion (id, version)
    VALUES (COALESCE(TG_ARGV[0]::smallint, 1), nextval('core_dataversion_seq'))
    ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRESQL_TRIGGER = """
DROP TRIGGER IF EXISTS {table}_{name} ON {table};
CREATE TRIGGER {table}_{name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION core_dataversion_bump({row});
"""
POSTGRESQL_DROP = "DROP TRIGGER IF EXISTS {table}_{name} ON {table};"
POSTGRESQL_FUNCTION_DROP = """
DROP FUNCTION IF EXISTS core_dataversion_bump();
DROP SEQUENCE IF EXISTS core_dataversion_seq;
"""

SQLITE_BUMP = (
    "INSERT INTO core_dataversion (id, version) VALUES ({row}, random() & 9223372036854775807) "
    "ON CONFLICT (id) DO UPDATE SET version = excluded.version;"
)
SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS {table}_{name}_{op} AFTER {op} ON {table} "
    f"BEGIN {SQLITE_BUMP} END"
)
SQLITE_DROP = "DROP TRIGGER IF EXISTS {table}_{name}_{op}"
SQLITE_OPS = ("insert", "update", "delete")


def install(
    execute, vendor: str, tables, *, if_missing: bool = False, scope: Scope = FIGURES
) -> None:
    """Create ``scope``'s triggers on ``tables`` with ``execute`` (a schema editor's or a
    cursor's).

    ``if_missing``: SQLite only, leave existing triggers alone (after a migrate).
    """
    names = {"name": scope.trigger, "row": scope.row}
    if vendor == "postgresql":
        if if_missing:
            return  # PostgreSQL keeps a table's triggers through ALTER TABLE
        execute(POSTGRESQL_FUNCTION)
        for table in tables:
            execute(POSTGRESQL_TRIGGER.format(table=table, **names))
    elif vendor == "sqlite":
        for table in tables:
            for op in SQLITE_OPS:
                execute(SQLITE_TRIGGER.format(table=table, op=op, **names))
    else:
        raise NotImplementedError(
            f"data-version triggers are written for PostgreSQL and SQLite, not {vendor}"
        )


def drop(execute, vendor: str, tables, *, scope: Scope = FIGURES) -> None:
    """Drop ``scope``'s triggers from ``tables`` (and, with FIGURES, the function they share)."""
    for table in tables:
        if vendor == "postgresql":
            execute(POSTGRESQL_DROP.format(table=table, name=scope.trigger))
        else:
            for op in SQLITE_OPS:
                execute(SQLITE_DROP.format(table=table, op=op, name=scope.trigger))
    if vendor == "postgresql" and scope == FIGURES:
        execute(POSTGRESQL_FUNCTION_DROP)


def data_version(scope: Scope = FIGURES) -> int | None:
    """The current version of ``scope`` (None when its row is missing, e.g. just after a flush).

    Plain SQL: a page reads it for every cached part it shows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM core_dataversion WHERE id = %s", [scope.row])
        row = cursor.fetchone()
    return row[0] if row else None


def queryset_key(rows) -> str:
    """A short digest of the SQL a queryset runs (its parameters included): what part of a table a
    cached value was read through, e.g. the tasks a reader's role lets them see."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return "none"
    return hashlib.blake2s(repr((sql, params)).encode(), digest_size=8).hexdigest()


def cached_on_data(
    key: str, compute: Callable[[], T], *, seconds: int | None = None, scope: Scope = FIGURES
) -> T:
    """``compute()``, kept in the cache under ``key`` and the current version of ``scope``: a
    write to any of its tables (``DATA_VERSION_TABLES`` for FIGURES, ``RECORD_VERSION_TABLES``
    for RECORDS) makes a new key, so what is read is never stale (a value computed by a
    transaction that then rolls back sits under a version never handed out again). Without a
    version row it is computed every time. ``compute`` must return something other than None,
    and only what the scope's tables feed. Kept ``seconds`` (the scope's own by default)."""
    version = data_version(scope)
    if version is None:
        return compute()
    full_key = f"{key}:{scope.trigger}{version}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, scope.seconds if seconds is None else seconds)
    return found
