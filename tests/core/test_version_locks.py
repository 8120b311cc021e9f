"""Two writers never deadlock on the version rows (migration core 0029).

A write to a worksheet table locks the FIGURES row and then the RECORDS row; a write to a
RECORDS-only table locks the RECORDS row alone; an audit event takes the audit chain's lock. Two
transactions doing these in opposite orders would each wait for the other. Every bump first
takes the writers' advisory lock (the audit chain's), so the second writer waits at its first
write instead. Each case: transaction A makes its first write, B (another connection) starts and
is left waiting, A makes its second write and commits, B finishes. Without the lock PostgreSQL
finds a deadlock after ``deadlock_timeout`` and aborts one of them.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from ceasefire.core.audit import audit_record
from ceasefire.core.dataversion import RECORDS, data_version

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row locks"),
]

WORKSHEET_TABLE = "core_incident"  # in both scopes: locks row 1, then row 2
RECORDS_ONLY_TABLE = "coordination_personplan"  # RECORDS alone: locks row 2


def touch(table: str) -> None:
    """A statement on ``table`` that changes no row: its statement-level triggers still fire."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET id = id WHERE false")


def audit() -> None:
    audit_record(actor=None, action="view", object_type="test", object_id=1)


def wait_until_blocked(pid: int, seconds: float = 10.0) -> None:
    """Return once backend ``pid`` waits for a lock (a real second connection: polled)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
            time.sleep(0.01)
    raise AssertionError("the second writer never waited: the case does not test anything")


def race(a_first, b_writes, a_second) -> dict:
    """A: ``a_first``; B: ``b_writes`` in another transaction until it waits; A: ``a_second``,
    commit; B finishes. Returns what each raised."""
    raised: dict = {}
    started = threading.Event()
    pid: list[int] = []

    def writer_b():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            started.set()
            with transaction.atomic():
                for write in b_writes:
                    write()
        except Exception as error:
            raised["b"] = error
            started.set()
        finally:
            connections["default"].close()

    b = threading.Thread(target=writer_b)
    try:
        with transaction.atomic():
            a_first()
            b.start()
            started.wait(10)
            wait_until_blocked(pid[0])
            a_second()
    except Exception as error:
        raised["a"] = error
    b.join(30)
    return raised


@pytest.mark.parametrize(
    ("a_first", "b_writes", "a_second"),
    [
        # A: a RECORDS-only table, then a worksheet table; B: the worksheet table, then the other
        (
            lambda: touch(RECORDS_ONLY_TABLE),
            [lambda: touch(WORKSHEET_TABLE), lambda: touch(RECORDS_ONLY_TABLE)],
            lambda: touch(WORKSHEET_TABLE),
        ),
        # A: a record, then its audit event; B: an audit event, then a record
        (lambda: touch(RECORDS_ONLY_TABLE), [audit, lambda: touch(RECORDS_ONLY_TABLE)], audit),
    ],
    ids=["records-then-worksheet", "record-then-audit"],
)
def test_writers_in_opposite_orders_both_commit(a_first, b_writes, a_second):
    before = data_version(RECORDS)

    raised = race(a_first, b_writes, a_second)

    assert raised == {}
    assert data_version(RECORDS) != before


def test_a_bump_holds_the_writers_lock_to_the_end_of_its_transaction():
    with transaction.atomic():
        touch(RECORDS_ONLY_TABLE)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND pid = pg_backend_pid() AND granted"
            )
            assert cursor.fetchone()[0] >= 1
