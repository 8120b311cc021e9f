"""ceasefire.core.pdf: the PDFs' one way from HTML to bytes."""

from __future__ import annotations

import gc

import pytest

from ceasefire.core import pdf


def test_a_render_runs_with_the_cyclic_collector_paused_and_switches_it_back_on(monkeypatch):
    seen = []
    from weasyprint import HTML

    real = HTML.write_pdf

    def watched(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", watched)
    assert gc.isenabled()
    made = pdf.pdf_from_html("<p>Ceasefire</p>")
    assert made.startswith(b"%PDF") and seen == [False] and gc.isenabled()


def test_the_collector_comes_back_on_when_a_render_fails(monkeypatch):
    from weasyprint import HTML

    def broken(self, *args, **kwargs):
        raise ValueError("a broken stylesheet")

    monkeypatch.setattr(HTML, "write_pdf", broken)
    with pytest.raises(ValueError):
        pdf.pdf_from_html("<p>Ceasefire</p>")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with pdf.cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "left as the caller had it"
    finally:
        gc.enable()


def test_every_render_shares_one_font_configuration():
    assert pdf.font_config() is pdf.font_config()
