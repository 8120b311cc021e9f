"""A web worker warms up before its first request: the views imported and every template of the
project (and the form widgets') compiled into the cached loader (``ceasefire.core.warmup``)."""

from __future__ import annotations

import runpy
from pathlib import Path

from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader

from ceasefire.core import warmup

ROOT = Path(__file__).resolve().parents[2]


def _cached_loader() -> CachedLoader:
    """The engine's cached loader (django-template-partials wraps it in its own loader)."""
    (loader,) = engines["django"].engine.template_loaders
    while not isinstance(loader, CachedLoader):
        (loader,) = loader.loaders
    return loader


def test_every_project_template_compiles_and_is_kept_by_the_cached_loader():
    loader = _cached_loader()
    loader.reset()
    names = warmup.project_template_names()
    assert "reviews/review_detail.html" in names and "coordination/meeting.html" in names
    assert "base.html" in names and all(not n.startswith("/") for n in names)
    made = warmup.warm_up()
    # nothing logged as failing: every template under templates/ loaded
    assert made["templates"] == len(names) + len(warmup.form_template_names())
    cached = {key.split("-")[0] for key in loader.get_template_cache}
    assert {"reviews/review_detail.html", "coordination/meeting.html", "base.html"} <= cached


def test_a_template_that_does_not_compile_is_logged_and_the_warm_up_goes_on(
    monkeypatch, tmp_path, settings, caplog
):
    (tmp_path / "broken.html").write_text("{% if %}")
    (tmp_path / "fine.html").write_text("<p>{{ x }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    monkeypatch.setattr(warmup, "form_template_names", lambda: [])
    assert warmup.project_template_names() == ["broken.html", "fine.html"]
    assert warmup.warm_up()["templates"] == 1
    assert "broken.html does not load" in caplog.text


def test_gunicorn_warms_each_worker_after_it_loads_the_app(monkeypatch):
    calls = []
    monkeypatch.setattr(warmup, "warm_up", lambda: calls.append("warm") or {})
    config = runpy.run_path(str(ROOT / "docker/gunicorn.conf.py"))
    assert config["worker_class"] == "gthread"
    config["post_worker_init"](worker=None)
    assert calls == ["warm"]
