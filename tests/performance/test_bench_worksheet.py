"""Benchmark (``make bench``): the worksheet's queries and time, and the PDF job's, on a big city.

Builds the demo city with ``demo.seed`` (bulk_create) at ``BENCH_SCALE`` (default 1; SPEC §5's
size is 10 -- set DATABASE_URL for PostgreSQL). Prints the numbers; the only assertion is the ≤ 25
query bound, which must hold whatever the size.

Per period, all in the same run (median of 7):

- ``computed``: the figures computed now (``worksheet_figures``, the cache bypassed; its SQL
  statements as built by the first computation of the period in the process), and the same with
  the statements built afresh (``statements.forget()`` first: what the first computation costs);
- ``cached``: ``worksheet_compute`` as the page, the API and the PDF job call it (data version
  + cache read, the figures computed once before);
- ``SQL floor``: the very statements ``computed`` sends, replayed through a raw cursor (no ORM
  building them, no Python assembling rows): what the database alone costs for these figures.
  Printed with both ratios (goal: computed ≤ 1.3× the floor; cached ahead of it).

Then the post-call-in outcomes alone (the former ORM query, kept here as the reference, against
the set-based one), and the PDF job after the worker's warm-up, split compute / render / store.

The measuring functions take no seed, so they can also be run on a database seeded by
``manage.py seed_demo --scale N`` (see the README's benchmark section).
"""

from __future__ import annotations

import os
import statistics
import time

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ceasefire.core.models import CallIn, Enrolment, Incident, Involvement, Person, Task, Worksheet
from demo.city import DemoOptions
from demo.seed import demo_seed
from performance import selectors, services
from performance.indicators import Period
from performance.selectors import post_call_in, statements

pytestmark = pytest.mark.benchmark
RUNS = 7


def _median(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _sql_floor(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


def _post_call_in_orm(as_of) -> dict:
    """The post-call-in counts as the ORM query the set-based one replaced (for comparison)."""
    first, *rest = post_call_in.post_call_in_events(as_of)
    events = first.union(*rest, all=True)
    return events.aggregate(
        **{f"r{rank}": Count("who", distinct=True, filter=Q(rank__gte=rank)) for rank in range(5)}
    )


def bench_worksheet(period: Period) -> dict:
    """Queries and median seconds of one period's worksheet: computed, cached, SQL floor."""
    selectors.worksheet_figures(period)  # warm the database's buffers the way a second request does
    with CaptureQueriesContext(connection) as queries:
        selectors.worksheet_figures(period)
    statements = [q["sql"] for q in queries.captured_queries]
    selectors.worksheet_compute(period)  # fills the cache for this data version
    result = {
        "queries": len(statements),
        "computed": _median(lambda: selectors.worksheet_figures(period)),
        "computed_fresh": _median(lambda: _figures_statements_rebuilt(period)),
        "cached": _median(lambda: selectors.worksheet_compute(period)),
        "floor": None,
    }
    if connection.vendor == "postgresql":  # the captured SQL is exact (parameters inlined)
        result["floor"] = _median(lambda: _sql_floor(statements))
    return result


def _figures_statements_rebuilt(period: Period) -> None:
    """The figures as the first computation of a period in a process: no statement kept."""
    statements.forget()
    selectors.worksheet_figures(period)


def bench_post_call_in(period: Period) -> dict:
    return {
        "orm": _median(lambda: _post_call_in_orm(period.end)),
        "set_based": _median(lambda: selectors.post_call_in_outcomes(period.end)),
    }


def bench_pdf_job(period: Period, *, cached: bool) -> Worksheet:
    """One PDF job for ``period`` after the worker's warm-up; its recorded split and total."""
    from performance.pdf import worksheet_pdf_warm_up

    worksheet_pdf_warm_up()
    if cached:
        selectors.worksheet_compute(period)  # the page was opened first
    else:
        from django.core.cache import cache

        cache.clear()
    last = Worksheet.objects.filter(period_start=period.start, period_end=period.end).first()
    ws = Worksheet.objects.create(
        period_start=period.start,
        period_end=period.end,
        version=(last.version + 1) if last else 1,
    )
    started = time.perf_counter()
    services.worksheet_build(worksheet_id=ws.pk)
    total = time.perf_counter() - started
    ws.refresh_from_db()
    ws.total_seconds = total
    return ws


def report(periods: list[Period]) -> list[str]:
    """Every figure of the benchmark as printed lines (the ≤ 25 query bound asserted)."""
    lines = []
    for period in periods:
        r = bench_worksheet(period)
        assert r["queries"] <= 25
        line = (
            f"[bench] worksheet {period.label}: {r['queries']} queries, computed "
            f"{r['computed']:.3f} s, cached {r['cached']:.4f} s"
        )
        if r["floor"]:
            line += (
                f", SQL floor {r['floor']:.3f} s (computed {r['computed'] / r['floor']:.2f}× "
                f"the floor, cached {r['cached'] / r['floor']:.2f}×)"
            )
        line += (
            f"; computed with its statements built afresh (first time in a process) "
            f"{r['computed_fresh']:.3f} s"
        )
        if r["floor"]:
            line += f" ({r['computed_fresh'] / r['floor']:.2f}×)"
        lines.append(line + f" (median of {RUNS})")
    pci = bench_post_call_in(periods[0])
    lines.append(
        f"[bench] post-call-in outcomes {periods[0].label}: former ORM query {pci['orm']:.3f} s, "
        f"set-based query {pci['set_based']:.3f} s (median of {RUNS})"
    )
    for cached in (False, True):
        ws = bench_pdf_job(periods[0], cached=cached)
        lines.append(
            f"[bench] worksheet PDF job {periods[0].label} "
            f"({'figures cached by the page' if cached else 'cold cache'}): "
            f"{ws.total_seconds:.2f} s end to end, status {ws.status}; compute "
            f"{ws.compute_seconds:.3f} s, render {ws.render_seconds:.3f} s, store "
            f"{ws.store_seconds:.3f} s; {ws.pdf.size:,} bytes"
        )
    started = time.perf_counter()
    selectors.outcome_trend(periods[0])
    lines.append(f"[bench] six-period trend: {time.perf_counter() - started:.3f} s")
    return lines


def bench_periods(today) -> list[Period]:
    # the current period, the seed's Feb–Mar a year back, the widest YTD (Nov–Dec), a whole year
    return [
        selectors.period_current(today),
        Period(today.year - 1, 2, 3),
        Period(today.year - 1, 11, 12),
        Period(today.year - 1, 1, 12),
    ]


def test_bench_worksheet_indicators_and_pdf_job(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    started = time.perf_counter()
    demo_seed(DemoOptions(today=timezone.localdate(), scale=scale))
    seeded = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as seed_demo does after its bulk load
    print(
        f"\n[bench] demo data at scale {scale:g} in {seeded:.1f} s: "
        f"{Incident.objects.count():,} incidents, {Involvement.objects.count():,} involvements, "
        f"{Person.objects.count():,} people, {Task.objects.count():,} tasks, "
        f"{CallIn.objects.count():,} call-ins, {Enrolment.objects.count():,} enrolments "
        f"({connection.vendor}; load {os.getloadavg()[0]:.1f})"
    )
    for line in report(bench_periods(timezone.localdate())):
        print(line)
    print(f"[bench] load average at the end: {os.getloadavg()[0]:.1f}")
