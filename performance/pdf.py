"""The worksheet PDF: the same template as the page, rendered by WeasyPrint (Letter landscape,
page numbers, the period and the generation time in every page's footer).

A worker process renders a small page with the worksheet's fonts, a table and an SVG when it
starts (``worksheet_pdf_warm_up``, from Celery's ``worker_process_init`` in ``tasks``), and keeps
one font configuration for all its renders (``ceasefire.core.pdf``, which also pauses the cyclic
garbage collector during a render): the first job's render then costs what the next ones do (a
cold render loads WeasyPrint, fontconfig, Pango's font map and the default stylesheets, about 40%
more).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from ceasefire.core.pdf import pdf_from_html

from . import charts
from .presentation import worksheet_display


def worksheet_pdf_html(*, snapshot: dict, version: int | None, generated_at: dt.datetime) -> str:
    display = worksheet_display(snapshot)
    # Across the page under the other two charts, low: the worksheet is two pages, not three.
    display["chart_post_call_in"] = charts.post_call_in(
        snapshot["post_call_in_outcomes"], width=1280, row_h=15
    )
    local = timezone.localtime(generated_at)
    footer = f"Ceasefire worksheet {display['period_label']}"
    if version:
        footer += f" · version {version}"
    footer += f" · generated {local:%d %b %Y %H:%M} ({settings.TIME_ZONE})"
    html = render_to_string(
        "performance/worksheet_pdf.html",
        {
            "w": display,
            "footer": footer,
            "can_trace": False,
            "can_edit_notes": False,
            "for_pdf": True,
        },
    )
    # Whitespace between tags is one space to HTML (no <pre> here): written once, not as the
    # template's indentation, it is a tenth less for WeasyPrint's pure-Python parser.
    return _BETWEEN_TAGS.sub("> <", html)


_BETWEEN_TAGS = re.compile(r">\s+<")


_WARM_UP_HTML = """<!doctype html><html><head><style>
@page { size: letter landscape; @bottom-right { content: counter(page); font: 7pt "DejaVu Sans"; } }
body { font: 8pt "DejaVu Sans", sans-serif; } th { font-weight: bold; }
</style></head><body><h3>Worksheet</h3><table><tr><th>Homicides</th><td>12 <b>meets</b></td></tr>
</table><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 20" width="60"
font-family="DejaVu Sans, sans-serif" font-size="11"><defs><pattern id="h" width="6" height="6"
patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#8fb3de"/></pattern></defs>
<rect width="20" height="10" fill="url(#h)"/><text x="30" y="10" font-weight="bold">12</text>
</svg></body></html>"""


def worksheet_pdf_warm_up(snapshot: dict | None = None) -> float:
    """Render once so later renders find everything loaded: the worksheet of ``snapshot`` (the
    template, its fonts, tables and charts), else a small page like it. Returns the seconds."""
    import time

    started = time.perf_counter()
    if snapshot is not None:
        worksheet_pdf_render(snapshot=snapshot)
    else:
        pdf_from_html(_WARM_UP_HTML)
    return time.perf_counter() - started


def worksheet_pdf_render(
    *, snapshot: dict, version: int | None = None, generated_at: dt.datetime | None = None
) -> bytes:
    html = worksheet_pdf_html(
        snapshot=snapshot, version=version, generated_at=generated_at or timezone.now()
    )
    return pdf_from_html(html)
