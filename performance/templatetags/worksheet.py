"""``{% trace_url period indicator window year part %}``: the link from a worksheet number to
the records behind it (the ``performance:trace`` URL, with ``?part=`` when there is a part)."""

from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def trace_url(period, indicator: str, window: str, year: int, part: str = "") -> str:
    url = reverse(
        "performance:trace",
        kwargs={"period": period.slug, "indicator": indicator, "window": window, "year": year},
    )
    return f"{url}?part={part}" if part else url
