"""EXPLAIN the queries a request ran (PostgreSQL): which of them scan a big table row by row."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection

BIG_TABLES = ("core_incident", "core_person", "core_task", "core_auditevent")
WHOLE_TABLE_COUNT = re.compile(r'^SELECT COUNT\(\*\) AS "__count" FROM "\w+"$')


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def list_queries(captured: Iterable[dict]) -> list[str]:
    """The SELECTs that read a big table, but a bare count of a whole table (the pager's
    total, a full pass by nature whatever the plan; every filtered count is kept)."""
    queries = []
    for query in captured:
        sql = query["sql"]
        if not sql.startswith("SELECT") or WHOLE_TABLE_COUNT.match(sql):
            continue
        if any(f'"{table}"' in sql for table in BIG_TABLES):
            queries.append(sql)
    return queries


def sequential_scans(captured: Iterable[dict]) -> list[tuple[str, str]]:
    """(query, plan) of every list query whose plan has a Seq Scan on a big table."""
    found = []
    for sql in list_queries(captured):
        plan = plan_of(sql)
        if any(f"Seq Scan on {table}" in plan for table in BIG_TABLES):
            found.append((sql, plan))
    return found
