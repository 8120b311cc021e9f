"""Every URL of the project has a row in the access table, and every row names a URL that exists."""

from __future__ import annotations

from tests.access import url_patterns
from tests.api.access_table import TABLE as API
from tests.coordination.access_table import TABLE as COORDINATION
from tests.core.access_table import TABLE as CORE
from tests.performance.access_table import TABLE as PERFORMANCE
from tests.reviews.access_table import TABLE as REVIEWS

TABLES = {
    "core": CORE,
    "reviews": REVIEWS,
    "coordination": COORDINATION,
    "performance": PERFORMANCE,
    "api": API,
}

# Namespaces whose URLs need no row yet, each with its reason.
NOT_YET_IN_THE_TABLE = {
    "admin": "Django's admin site (its own sign-in, staff and superusers): the accounts issue "
    "adds its rows with the outcomes staff and superusers get",
}


def _rows():
    return [(app, row) for app, table in TABLES.items() for row in table]


def test_every_url_pattern_of_the_project_has_a_row_in_the_access_table():
    covered = {row.url for _app, row in _rows()}
    missing = [
        f"{p.route} ({p.name or 'unnamed'})"
        for p in url_patterns()
        if p.namespace.split(":")[0] not in NOT_YET_IN_THE_TABLE
        and (not p.name or p.name not in covered)
    ]
    assert not missing, "URLs without a row in any tests/<app>/access_table.py:\n" + "\n".join(
        missing
    )


def test_every_row_names_a_url_that_exists():
    names = {p.name for p in url_patterns() if p.name}
    gone = [f"{app}: {row}" for app, row in _rows() if row.url not in names]
    assert not gone, "rows naming URLs that no longer exist:\n" + "\n".join(gone)


def test_no_two_rows_make_the_same_request():
    keys = [str(row) for _app, row in _rows()]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_the_url_walk_goes_through_every_include():
    namespaces = {p.namespace for p in url_patterns()}
    assert namespaces == {"", "core", "reviews", "coordination", "performance", "admin", "api"}
