"""Benchmark (``make bench``): the incident import on a big file (set DATABASE_URL for PostgreSQL).

Prints rows, seconds and rows per second; ``IMPORT_BENCH_ROWS`` sets the size (default 100,000).
SPEC §5's bar: 100,000 rows in ≤ 60 s on PostgreSQL on the 2-core machine, as a background job.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from django.db import connection

from ceasefire.core.models import Incident, Involvement

pytestmark = pytest.mark.benchmark


def incident_csv(rows: int, *, start: int = 0) -> str:
    """``rows`` valid incidents: a mix of homicides, woundings and shots fired, 2016–2019."""
    lines = ["case_number,occurred_at,address,area,weapon,fatal_victims,nonfatal_victims"]
    base = dt.datetime(2016, 1, 1, 12, 0)
    for n in range(start, start + rows):
        when = (base + dt.timedelta(minutes=37 * n)).isoformat(timespec="minutes")
        fatal, nonfatal = (1, 0) if n % 17 == 0 else ((0, 1 + n % 3) if n % 3 == 0 else (0, 0))
        lines.append(
            f"B-{n:07d},{when}-08:00,{n} International Blvd,{n % 6 + 1},firearm,{fatal},{nonfatal}"
        )
    return "\n".join(lines) + "\n"


def _report(label: str, rows: int, seconds: float) -> None:
    print(
        f"\n[bench] {label} on {connection.vendor}: {rows:,} rows in {seconds:.2f} s "
        f"({rows / seconds:,.0f} rows/s); {Incident.objects.count():,} incidents, "
        f"{Involvement.objects.count():,} involvements"
    )


def test_bench_the_request_path_import(db):
    from reviews.services import incidents_import

    rows = int(os.environ.get("IMPORT_BENCH_OLD_ROWS", "1000"))
    text = incident_csv(rows)
    started = time.perf_counter()
    incidents_import(text=text, user=None)
    _report("incidents_import (in the request)", rows, time.perf_counter() - started)


def _job(text: str, **kwargs):
    from django.core.files.base import ContentFile

    from reviews.services import import_job_create

    return import_job_create(
        user=None, file=ContentFile(text.encode(), name="bench.csv"), dispatch=False, **kwargs
    )


def test_bench_the_background_job_import(db, settings, tmp_path):
    from reviews.services import import_job_run

    settings.MEDIA_ROOT = tmp_path
    rows = int(os.environ.get("IMPORT_BENCH_ROWS", "100000"))
    text = incident_csv(rows)
    dry = _job(text, dry_run=True)
    started = time.perf_counter()
    assert import_job_run(job_id=dry.pk).status == "done"
    _report("import job, dry run", rows, time.perf_counter() - started)
    job = _job(text)
    started = time.perf_counter()
    finished = import_job_run(job_id=job.pk)
    seconds = time.perf_counter() - started
    assert finished.status == "done", finished.errors[:3]
    _report("import job (check + write)", rows, seconds)
    again = _job(text)
    started = time.perf_counter()
    assert import_job_run(job_id=again.pk).result["unchanged"] == rows
    _report(
        "import job, re-import of the same file (all unchanged)",
        rows,
        time.perf_counter() - started,
    )
