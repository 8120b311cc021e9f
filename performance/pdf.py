"""The worksheet PDF: the same template as the page, rendered by WeasyPrint (Letter landscape,
page numbers, the period and the generation time in every page's footer)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .presentation import worksheet_display


def worksheet_pdf_html(*, snapshot: dict, version: int | None, generated_at: dt.datetime) -> str:
    display = worksheet_display(snapshot)
    local = timezone.localtime(generated_at)
    footer = f"Ceasefire worksheet {display['period_label']}"
    if version:
        footer += f" · version {version}"
    footer += f" · generated {local:%d %b %Y %H:%M} ({settings.TIME_ZONE})"
    return render_to_string(
        "performance/worksheet_pdf.html",
        {
            "w": display,
            "footer": footer,
            "can_trace": False,
            "can_edit_notes": False,
            "for_pdf": True,
        },
    )


def worksheet_pdf_render(
    *, snapshot: dict, version: int | None = None, generated_at: dt.datetime | None = None
) -> bytes:
    from weasyprint import HTML

    html = worksheet_pdf_html(
        snapshot=snapshot, version=version, generated_at=generated_at or timezone.now()
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
