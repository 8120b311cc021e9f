"""Every URL of the project has a row in the access table, and every row names a URL that exists."""

from __future__ import annotations

from tests.access import url_patterns
from tests.api.access_table import TABLE as API
from tests.coordination.access_table import TABLE as COORDINATION
from tests.core.access_table import TABLE as CORE
from tests.papers.access_table import TABLE as PAPERS
from tests.performance.access_table import TABLE as PERFORMANCE
from tests.reviews.access_table import TABLE as REVIEWS

TABLES = {
    "core": CORE,
    "reviews": REVIEWS,
    "coordination": COORDINATION,
    "performance": PERFORMANCE,
    "api": API,
    "papers": PAPERS,
}

# Unnamed patterns cannot be named by a row. The admin's are the redirect from an object's bare
# URL to its change page (whose rows cover the same access) and the catch-all that sends any other
# admin path to the index (or 404).
UNNAMED_ALLOWED = {
    "/admin/core/user/<path:object_id>/",
    "/admin/core/organisation/<path:object_id>/",
    "/admin/core/benchmark/<path:object_id>/",
    "/admin/core/unit/<path:object_id>/",
    "/admin/core/partnershipsettings/<path:object_id>/",
    "/admin/(?P<url>.*)$",
}


def _rows():
    return [(app, row) for app, table in TABLES.items() for row in table]


def test_every_url_pattern_of_the_project_has_a_row_in_the_access_table():
    covered = {row.url for _app, row in _rows()}
    missing = [
        f"{p.route} ({p.name or 'unnamed'})"
        for p in url_patterns()
        if (not p.name and p.route not in UNNAMED_ALLOWED) or (p.name and p.name not in covered)
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
    assert namespaces == {
        "",
        "core",
        "reviews",
        "coordination",
        "performance",
        "admin",
        "api",
        "papers",
    }
