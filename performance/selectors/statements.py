"""Hand-written aggregates over rows the ORM selects (internal to the package).

The worksheet's counts are many filtered aggregates (a figure per window and part: 14 to 22 in one
query) over one row set. Building them as ORM aggregates costs more Python than the database takes
to answer (each ``Count(..., filter=Q(...))`` is resolved, hashed and compiled), so the row set —
the shared definitions of ``filters`` — stays an ORM queryset, and the aggregates over it are
written here as plain SQL: ``COUNT(DISTINCT CASE WHEN … THEN col END)``, portable to SQLite. The
statement of a given call (same period, same day, same settings) is built once per process and kept
(``statement``): the figures are counted anew each time, only the SQL text is reused.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet

from ..indicators import Window


@dataclass
class Aggregates:
    """Named aggregates over the columns of a row set, with their parameters, in order."""

    names: list[str] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)

    def add(self, name: str, expression: str, params: list | tuple = ()) -> None:
        self.names.append(name)
        self.sql.append(expression)
        self.params.extend(params)

    def count(
        self,
        name: str,
        column: str,
        *conditions: tuple[str, list],
        distinct: bool = False,
    ) -> None:
        """``COUNT([DISTINCT] column)`` over the rows meeting every ``(sql, params)`` condition."""
        where = " AND ".join(sql for sql, _ in conditions) or "1 = 1"
        params = [p for _, ps in conditions for p in ps]
        self.add(
            name,
            f"COUNT({'DISTINCT ' if distinct else ''}CASE WHEN {where} THEN {qn(column)} END)",
            params,
        )


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _date(value: dt.date):
    return connection.ops.adapt_datefield_value(value)


def within(column: str, window: Window) -> tuple[str, list]:
    """The row's date ``column`` is inside ``window`` (both ends included)."""
    return f"{qn(column)} >= %s AND {qn(column)} <= %s", [_date(window.start), _date(window.end)]


def equals(column: str, value) -> tuple[str, list]:
    return f"{qn(column)} = %s", [value]


def aggregate_sql(rows: QuerySet, aggregates: Aggregates) -> tuple[str, list]:
    """One statement: the aggregates over the rows of ``rows`` (a ``values()`` queryset)."""
    inner, inner_params = rows.query.sql_with_params()
    sql = f"SELECT {', '.join(aggregates.sql)} FROM ({inner}) {qn('rows')}"
    return sql, [*aggregates.params, *inner_params]


_STATEMENTS: OrderedDict[tuple, tuple[str, list, list[str]]] = OrderedDict()
_STATEMENTS_KEPT = 256


def statement(key: tuple, build: Callable[[], tuple[str, list, list[str]]]):
    """``build()`` (SQL, parameters, column names) once per ``key`` (and database) per process."""
    key = (connection.alias, connection.settings_dict["NAME"], *key)
    found = _STATEMENTS.get(key)
    if found is None:
        found = _STATEMENTS[key] = build()
        if len(_STATEMENTS) > _STATEMENTS_KEPT:
            _STATEMENTS.popitem(last=False)
    return found


def fetch_one(key: tuple, build: Callable[[], tuple[QuerySet, Aggregates]]) -> dict:
    """The aggregates' values by name (``build`` runs once per ``key``)."""

    def compiled():
        rows, aggregates = build()
        sql, params = aggregate_sql(rows, aggregates)
        return sql, params, aggregates.names

    sql, params, names = statement(key, compiled)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        values = cursor.fetchone()
    return {name: (value or 0) for name, value in zip(names, values, strict=True)}


def fetch_rows(
    key: tuple, build: Callable[[], QuerySet], convert: dict[str, Callable] | None = None
) -> list[dict]:
    """The rows of a ``values()`` queryset as dicts by column name (``build`` runs once per
    ``key``; select plain fields under their own name or as aliases).

    ``convert``: a function per column for what the driver returns raw (dates on SQLite, numeric
    on PostgreSQL), applied to non-null values.
    """

    def compiled():
        rows = build()
        sql, params = rows.query.sql_with_params()
        return sql, list(params), []

    sql, params, _ = statement(key, compiled)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        found = cursor.fetchall()
    convert = convert or {}
    return [
        {
            name: (convert[name](value) if name in convert and value is not None else value)
            for name, value in zip(names, row, strict=True)
        }
        for row in found
    ]


def as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def forget() -> None:
    """Drop every kept statement (the benchmark measures a first computation with it)."""
    _STATEMENTS.clear()
