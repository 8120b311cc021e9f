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
behind each other; they are short in this app. On PostgreSQL every bump first takes the writers'
transaction-level advisory lock (``WRITERS_LOCK``, migration core 0029; the audit chain's writers
take the same one), so the version rows are locked by one writer at a time, whatever order its
tables are written in: a transaction that wrote a RECORDS-only table (row 2) and then a worksheet
table (row 1, then row 2) cannot deadlock with one that did the reverse, nor one that wrote an
audit event and then a record with one that did the reverse.

SQLite alters a table by copying it, which drops its triggers: ``install`` with
``if_missing=True`` after every migrate puts them back.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
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

# the writers' advisory lock ("audit" in ASCII): taken by every bump before it locks a version
# row and by every audit event's writer (core.models.audit), held to the end of the transaction
WRITERS_LOCK = 0x6175646974
POSTGRESQL_FUNCTION = f"""
CREATE SEQUENCE IF NOT EXISTS core_dataversion_seq;
CREATE OR REPLACE FUNCTION core_dataversion_bump() RETURNS trigger AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({WRITERS_LOCK});
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

# Per-table versions (migration core 0028): a row of core_tableversion per table of
# RECORD_VERSION_TABLES, set by a write to that table alone, so a page can be keyed by the
# versions of exactly the tables it read (``cached_on_tables``). Same sequence, same random().
POSTGRESQL_TABLE_FUNCTION = f"""
CREATE SEQUENCE IF NOT EXISTS core_dataversion_seq;
CREATE OR REPLACE FUNCTION core_tableversion_bump() RETURNS trigger AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({WRITERS_LOCK});
    INSERT INTO core_tableversion (name, version)
    VALUES (TG_TABLE_NAME, nextval('core_dataversion_seq'))
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRESQL_TABLE_TRIGGER = """
DROP TRIGGER IF EXISTS {table}_tableversion ON {table};
CREATE TRIGGER {table}_tableversion AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION core_tableversion_bump();
"""
POSTGRESQL_TABLE_DROP = "DROP TRIGGER IF EXISTS {table}_tableversion ON {table};"
SQLITE_TABLE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS {table}_tableversion_{op} AFTER {op} ON {table} BEGIN "
    "INSERT INTO core_tableversion (name, version) "
    "VALUES ('{table}', random() & 9223372036854775807) "
    "ON CONFLICT (name) DO UPDATE SET version = excluded.version; END"
)
SQLITE_TABLE_DROP = "DROP TRIGGER IF EXISTS {table}_tableversion_{op}"


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


def install_table_versions(execute, vendor: str, tables, *, if_missing: bool = False) -> None:
    """Create the per-table version triggers on ``tables`` (``if_missing``: SQLite, after a
    migrate; PostgreSQL keeps its triggers)."""
    if vendor == "postgresql":
        if if_missing:
            return
        execute(POSTGRESQL_TABLE_FUNCTION)
        for table in tables:
            execute(POSTGRESQL_TABLE_TRIGGER.format(table=table))
    elif vendor == "sqlite":
        for table in tables:
            for op in SQLITE_OPS:
                execute(SQLITE_TABLE_TRIGGER.format(table=table, op=op))
    else:
        raise NotImplementedError(f"table-version triggers are not written for {vendor}")


def drop_table_versions(execute, vendor: str, tables) -> None:
    for table in tables:
        if vendor == "postgresql":
            execute(POSTGRESQL_TABLE_DROP.format(table=table))
        else:
            for op in SQLITE_OPS:
                execute(SQLITE_TABLE_DROP.format(table=table, op=op))
    if vendor == "postgresql":
        execute("DROP FUNCTION IF EXISTS core_tableversion_bump();")


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
    and only what the scope's tables feed. Kept ``seconds`` (the scope's own by default).

    RECORDS values are kept by the versions of the tables they read (``cached_on_tables``): a
    write to another table of the scope leaves them cached."""
    if scope == RECORDS:
        return cached_on_tables(key, compute, seconds=seconds)
    version = data_version(scope)
    if version is None:
        return compute()
    full_key = f"{key}:{scope.trigger}{version}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, scope.seconds if seconds is None else seconds)
    return found


TABLE_NAME = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)
_WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "CREATE", "DROP", "ALTER")


class _TablesRead:
    """An execute wrapper noting the tables a computation reads (and whether it writes)."""

    def __init__(self) -> None:
        self.tables: set[str] = set()
        self.scopes: set[int] = set()
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        text = sql.lstrip()
        if text[:8].upper().startswith(_WRITES):
            self.wrote = True
        tables = set(TABLE_NAME.findall(sql))
        if "core_dataversion" in tables:  # a value cached under a scope's version was read
            rows = [p for p in (params or []) if isinstance(p, int)]
            self.scopes.update(rows or (FIGURES.row, RECORDS.row))
        self.tables |= tables
        return execute(sql, params, many, context)

    def versioned(self) -> frozenset[str] | None:
        """The tables the value depends on, or None when it cannot be keyed by them (a write, or
        a read of a table without a version)."""
        from .models import DATA_VERSION_TABLES, RECORD_VERSION_TABLES

        tables = self.tables - {"core_dataversion", "core_tableversion"}
        # a value cached under a scope's version may have read any of the scope's tables
        if FIGURES.row in self.scopes:
            tables |= set(DATA_VERSION_TABLES)
        if RECORDS.row in self.scopes:
            tables |= set(RECORD_VERSION_TABLES)
        if self.wrote or not tables <= set(RECORD_VERSION_TABLES):
            return None
        return frozenset(tables)


class _Computing(threading.local):
    def __init__(self) -> None:
        self.stack: list[
            _TablesRead
        ] = []  # the table-keyed computations under way, outermost first


_computing = _Computing()


def table_versions(tables) -> dict[str, int]:
    """The current version of each of ``tables`` (a table not written since its triggers were
    made has none: 0). The whole table is one row per versioned table: read it all."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, version FROM core_tableversion")
        found = dict(cursor.fetchall())
    return {t: found.get(t, 0) for t in tables}


def _versions_key(versions: dict[str, int]) -> str:
    return hashlib.blake2s(repr(sorted(versions.items())).encode(), digest_size=10).hexdigest()


def cached_on_tables(key: str, compute: Callable[[], T], *, seconds: int | None = None) -> T:
    """``compute()``, kept in the cache under ``key`` and the versions of exactly the tables it
    read: a write to any other table leaves it cached (a review's answer does not touch the
    coordination meeting's page), a write to one it read is a new key -- never stale.

    The tables are noted while ``compute`` runs (an execute wrapper on the connection); a value
    cached under FIGURES or RECORDS that it used counts as a read of every table of that scope.
    The versions are read before computing, so a write committed meanwhile makes the value's key
    one no later reader asks for. A computation that writes, or reads a table outside
    ``RECORD_VERSION_TABLES``, is returned and not kept. Kept ``seconds`` (RECORDS' by default).
    Outside a transaction, one reader computes a missing value while the others asking for the
    same key and versions wait for it (single flight, below); inside one, a reader may see data
    the others cannot yet, so it computes for itself.
    """
    from .models import RECORD_VERSION_TABLES

    tables_key = f"{key}:tables"
    tables = cache.get(tables_key)
    before = table_versions(RECORD_VERSION_TABLES)  # one small read: every table's version
    flight = None
    if tables:
        value_key = f"{key}:{_versions_key({t: before[t] for t in tables})}"
        found = cache.get(value_key)
        if found is None and not connection.in_atomic_block:
            flight = f"{value_key}:computing"
            if not cache.add(flight, 1, FLIGHT_SECONDS):  # someone else is computing it
                found = wait_for_flight(value_key, flight)
                flight = None
        if found is not None:
            for outer in _computing.stack:  # a value computed around this one read them too
                outer.tables.update(tables)
            return found
    reads = _TablesRead()
    _computing.stack.append(reads)
    try:
        with connection.execute_wrapper(reads):
            value = compute()
        read = reads.versioned()
        if read is not None and value is not None:
            versions = {t: before[t] for t in read}
            cache.set_many(
                {tables_key: sorted(read), f"{key}:{_versions_key(versions)}": value},
                RECORDS.seconds if seconds is None else seconds,
            )
    finally:
        _computing.stack.pop()
        if flight:
            cache.delete(flight)  # after the value is kept: the waiters take it
    return value


# Single flight: when a value is missing, the first reader computes it and the others with the
# same key wait for it (``wait_for_flight``) instead of computing it too -- after a live
# review's answer the whole room asks for the changed page at once. The flag expires by itself
# should its process die; a waiter gives up after FLIGHT_WAIT and computes for itself.
FLIGHT_SECONDS = 30
FLIGHT_WAIT = 2.0
FLIGHT_POLL = 0.005


def wait_for_flight(value_key: str, flight: str):
    """The value another reader is computing under ``value_key``, once it is kept; None when the
    reader finished without keeping one (a computation that wrote, say) or FLIGHT_WAIT passed."""
    deadline = time.monotonic() + FLIGHT_WAIT
    while time.monotonic() < deadline:
        found = cache.get_many([value_key, flight])
        if value_key in found:
            return found[value_key]
        if flight not in found:  # finished: kept just now, or nothing to keep
            return cache.get(value_key)
        time.sleep(FLIGHT_POLL)  # a real second reader's work: polled, not simulated
    return None
