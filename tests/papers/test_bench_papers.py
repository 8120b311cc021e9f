"""How long one paper takes to render (HTML + WeasyPrint), per meeting kind: printed, bounded."""

from __future__ import annotations

import time

import pytest

from ceasefire.core import papers

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]


def test_each_paper_renders_in_a_few_seconds(city, capsys):
    cases = [
        ("shooting review brief", city.review, "police_facilitator"),
        ("coordination brief (partner lead)", city.coordination, "partner_lead"),
        ("performance brief (executive)", city.performance, "executive"),
    ]
    from weasyprint import HTML

    HTML(string="<p>warm up: fonts load once per process</p>").write_pdf()
    timings = {}
    for label, meeting, role in cases:
        paper = papers.paper_request(meeting=meeting, kind="brief", user=city.users[role])
        start = time.perf_counter()
        pdf = papers.paper_pdf(paper, generated_at=paper.requested_at)
        timings[label] = time.perf_counter() - start
        assert pdf.startswith(b"%PDF")
    with capsys.disabled():
        for label, seconds in timings.items():
            print(f"\n{label}: {seconds:.2f} s")
    assert max(timings.values()) < 20
