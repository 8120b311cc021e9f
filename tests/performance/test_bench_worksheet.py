"""Benchmark (``make bench``): the worksheet's queries and time, and the PDF job's, on a big city.

Builds the demo city with ``demo.seed`` (bulk_create) at ``BENCH_SCALE`` (default 1; SPEC §5's
size is 10 — set DATABASE_URL for PostgreSQL). Prints the numbers; the only assertion is the ≤ 25
query bound, which must hold whatever the size.
"""

from __future__ import annotations

import os
import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ceasefire.core.models import CallIn, Enrolment, Incident, Involvement, Person, Task, Worksheet
from demo.city import DemoOptions
from demo.seed import demo_seed
from performance import selectors, services
from performance.indicators import Period

pytestmark = pytest.mark.benchmark
RUNS = 7


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
        f"({connection.vendor})"
    )
    today = timezone.localdate()
    # the current period, the seed's Feb–Mar a year back, the widest YTD (Nov–Dec), a whole year
    periods = [
        selectors.period_current(today),
        Period(today.year - 1, 2, 3),
        Period(today.year - 1, 11, 12),
        Period(today.year - 1, 1, 12),
    ]
    for period in periods:
        selectors.worksheet_compute(period)  # warm caches the way a second request would
        with CaptureQueriesContext(connection) as queries:
            selectors.worksheet_compute(period)
        runs = []
        for _ in range(RUNS):
            started = time.perf_counter()
            selectors.worksheet_compute(period)
            runs.append(time.perf_counter() - started)
        print(
            f"[bench] worksheet indicators {period.label}: "
            f"{len(queries.captured_queries)} queries, median {statistics.median(runs):.3f} s, "
            f"fastest {min(runs):.3f} s, slowest {max(runs):.3f} s ({RUNS} runs)"
        )
        assert len(queries.captured_queries) <= 25
    ws = Worksheet.objects.create(period_start=periods[0].start, period_end=periods[0].end)
    started = time.perf_counter()
    services.worksheet_build(worksheet_id=ws.pk)
    seconds = time.perf_counter() - started
    ws.refresh_from_db()
    print(
        f"[bench] worksheet PDF job {periods[0].label}: {seconds:.2f} s, status {ws.status}, "
        f"{ws.pdf.size:,} bytes"
    )
    started = time.perf_counter()
    selectors.outcome_trend(periods[0])
    print(f"[bench] six-period trend: {time.perf_counter() - started:.3f} s")
