"""A web process's warm-up before it takes its first request (gunicorn's ``post_worker_init``).

Otherwise the first requests a fresh process serves pay for what Django does once per process:
importing every view (the URL resolver), compiling each template a page uses (the cached loader
keeps them) and the form widgets' templates. On the 10× city the open review's first request in
a process took 634 ms and the next 155 ms; after a deploy, or each time gunicorn recycles a
worker (``max_requests``), that cost would fall on people in a meeting.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt")


def project_template_names() -> list[str]:
    """Every template under the project's template directories (``TEMPLATES[...]["DIRS"]``)."""
    names = []
    for config in settings.TEMPLATES:
        for directory in map(Path, config.get("DIRS", [])):
            names += [
                path.relative_to(directory).as_posix()
                for path in sorted(directory.rglob("*"))
                if path.suffix in TEMPLATE_SUFFIXES
            ]
    return names


def form_template_names() -> list[str]:
    """The templates Django's form renderer draws fields and widgets with."""
    root = Path(django.forms.__file__).parent / "templates"
    return [path.relative_to(root).as_posix() for path in sorted(root.rglob("*.html"))]


def warm_up() -> dict:
    """Import the views and compile the templates; returns what was loaded and how long it took.

    Never raises: a template that does not compile is logged and left to fail where it is used.
    """
    started = time.perf_counter()
    get_resolver().reverse_dict  # imports every URLconf and view module  # noqa: B018
    engine = engines["django"]
    loaded = 0
    for name in project_template_names():
        try:
            engine.get_template(name)
            loaded += 1
        except (TemplateDoesNotExist, TemplateSyntaxError):
            logger.exception("Warm-up: template %s does not load", name)
    renderer = get_default_renderer()
    for name in form_template_names():
        renderer.get_template(name)
        loaded += 1
    seconds = time.perf_counter() - started
    logger.info("Web process warmed up: %d templates in %.2f s", loaded, seconds)
    return {"templates": loaded, "seconds": seconds}
