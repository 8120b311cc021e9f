"""Server-rendered SVG charts for the worksheet: no JavaScript, so the same markup prints and goes
into the PDF.

Each function takes plain numbers from the worksheet snapshot and returns safe SVG markup.
Series are told apart by fill *and* pattern, and every bar carries its number, so the charts
read in black-and-white print.
"""

from __future__ import annotations

import calendar

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1b1f24"
MUTED = "#57606a"
DARK = "#14213d"
LIGHT = "#8fb3de"
BAD = "#b42318"

_DEFS = (
    "<defs>"
    '<pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
    ' patternTransform="rotate(45)">'
    f'<rect width="6" height="6" fill="{LIGHT}"/>'
    f'<line x1="0" y1="0" x2="0" y2="6" stroke="{DARK}" stroke-width="1.5"/>'
    "</pattern></defs>"
)


def _tag(name: str, content: object = None, **attrs) -> str:
    """An SVG element. Attributes keep their order, ``text_anchor`` is written ``text-anchor``,
    and a float is written with one decimal (an int as it is)."""
    written = " ".join(
        f'{key.replace("_", "-")}="{f"{value:.1f}" if isinstance(value, float) else value}"'
        for key, value in attrs.items()
    )
    if content is None:
        return f"<{name} {written}/>"
    return f"<{name} {written}>{content}</{name}>"


def _nice_max(value: int) -> int:
    """A round axis maximum at or above ``value`` that divides into four whole ticks."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return -(-value // 4) * 4


def _svg(width: int, height: int, label: str, body: list[str], uid: str) -> SafeString:
    return mark_safe(
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}" '
        'font-family="DejaVu Sans, sans-serif" font-size="11">'
        f"<title>{escape(label)}</title>{_DEFS.format(id=uid)}{''.join(body)}</svg>"
    )


def _axis(
    x0: int, y0: int, width: int, height: int, top: int, *, tick_labels: bool = True
) -> list[str]:
    """Gridlines and the baseline; the gridlines' numbers only when the bars carry none (each
    text is the costly part of a chart in the PDF render)."""
    body = []
    for i in range(5):
        y = y0 - height * i / 4
        body.append(
            _tag("line", x1=x0, y1=y, x2=x0 + width, y2=y, stroke="#d0d7de", stroke_width=1)
        )
        if tick_labels:
            body.append(
                _tag("text", top * i // 4, x=x0 - 6, y=y + 4, text_anchor="end", fill=MUTED)
            )
    body.append(_tag("line", x1=x0, y1=y0, x2=x0 + width, y2=y0, stroke=INK, stroke_width=1))
    return body


def _legend(x0: int, ly: int, uid: str) -> list[str]:
    """The two series' keys: homicides solid, non-fatal injury shootings hatched."""
    hatched = f"url(#{uid}-hatch)"
    return [
        _tag("rect", x=x0, y=ly - 9, width=12, height=12, fill=DARK),
        _tag("text", "Homicides", x=x0 + 16, y=ly + 1, fill=INK),
        _tag("rect", x=x0 + 100, y=ly - 9, width=12, height=12, fill=hatched, stroke=DARK),
        _tag("text", "Non-fatal injury shootings", x=x0 + 116, y=ly + 1, fill=INK),
    ]


def homicides_per_year(rows: list[dict]) -> SafeString:
    """Bars of homicide victims per year over every recorded year up to the worksheet's period.

    The period's own year, when not yet over, is hatched and starred: "2017*" with a footnote
    "* 2017 to date (partial year)", so it is not read as a fall.
    """
    label = "Homicides per year, all recorded years"
    if not rows:
        empty = _tag("text", "No homicides recorded yet.", x=10, y=30, fill=MUTED)
        return _svg(640, 60, label, [empty], "hpy")
    width, height, x0, y0, plot_h = 640, 240, 44, 200, 170
    top = _nice_max(max(r["count"] for r in rows))
    plot_w = width - x0 - 10
    slot = plot_w / len(rows)
    bar = max(min(slot * 0.7, 60.0), 2.0)
    body = _axis(x0, y0, plot_w, plot_h, top, tick_labels=len(rows) > 20)
    label_every = max(1, round(len(rows) / 12))
    partial = [r["year"] for r in rows if r.get("partial")]
    for i, r in enumerate(rows):
        h = plot_h * r["count"] / top
        x = x0 + slot * i + (slot - bar) / 2
        middle = {"x": x + bar / 2}
        fill = "url(#hpy-hatch)" if r.get("partial") else DARK
        body.append(_tag("rect", x=x, y=y0 - h, width=bar, height=h, fill=fill, stroke=DARK))
        if len(rows) <= 20:
            body.append(
                _tag("text", r["count"], **middle, y=y0 - h - 4, text_anchor="middle", fill=INK)
            )
        if i % label_every == 0 or i == len(rows) - 1:
            year = f"{r['year']}*" if r.get("partial") else r["year"]
            body.append(_tag("text", year, **middle, y=y0 + 15, text_anchor="middle", fill=INK))
    if partial:
        note = f"* {partial[0]} to date (partial year)"
        body.append(_tag("text", note, x=x0, y=y0 + 32, fill=MUTED, font_size=11))
        height += 16
    return _svg(width, height + 8, label, body, "hpy")


def _month_bar(x: float, bar: float, y0: int, h_hom: float, h_nf: float, total: int) -> list[str]:
    """One month's stacked bar: homicides (solid) under non-fatal injury shootings (hatched)."""
    top = y0 - h_hom - h_nf
    return [
        _tag("rect", x=x, y=y0 - h_hom, width=bar, height=h_hom, fill=DARK),
        _tag(
            "rect",
            x=x,
            y=top,
            width=bar,
            height=h_nf,
            fill="url(#spm-hatch)",
            stroke=DARK,
            stroke_width=".5",
        ),
        _tag(
            "text",
            total,
            x=x + bar / 2,
            y=top - 4,
            text_anchor="middle",
            fill=INK,
            font_weight="bold",
        ),
    ]


def shootings_per_month(months: list[dict], monthly_benchmark: int | None, year: int) -> SafeString:
    """Stacked bars (homicides solid, non-fatal injury shootings hatched) per month, against the
    monthly benchmark."""
    label = (
        f"Homicides and non-fatal injury shootings per month, {year},"
        " against the prorated benchmark"
    )
    width, height, x0, y0, plot_h = 640, 270, 44, 200, 170
    totals = [m["homicides"] + m["nonfatal_injury_shootings"] for m in months]
    top = _nice_max(max([*totals, monthly_benchmark or 0, 1]))
    plot_w = width - x0 - 10
    slot = plot_w / 12
    bar = slot * 0.6
    body = _axis(x0, y0, plot_w, plot_h, top, tick_labels=False)  # every bar has its total
    for i, m in enumerate(months):
        x = x0 + slot * i + (slot - bar) / 2
        h_hom = plot_h * m["homicides"] / top
        h_nf = plot_h * m["nonfatal_injury_shootings"] / top
        body += _month_bar(x, bar, y0, h_hom, h_nf, totals[i])
    for i in range(12):
        x = x0 + slot * i + slot / 2
        month = calendar.month_abbr[i + 1]
        body.append(_tag("text", month, x=x, y=y0 + 15, text_anchor="middle", fill=INK))
    dashed = {"stroke": BAD, "stroke_width": 2, "stroke_dasharray": "6 4"}
    if monthly_benchmark:
        y = y0 - plot_h * monthly_benchmark / top
        body.append(_tag("line", x1=x0, y1=y, x2=x0 + plot_w, y2=y, **dashed))
    ly = y0 + 34
    body += _legend(x0, ly, "spm")
    if monthly_benchmark:
        body.append(_tag("line", x1=x0 + 300, y1=ly - 3, x2=x0 + 330, y2=ly - 3, **dashed))
        text = f"Benchmark: {monthly_benchmark} a month"
        body.append(_tag("text", text, x=x0 + 336, y=ly + 1, fill=INK))
    return _svg(width, height + 10, label, body, "spm")


def _trend_bar(x: float, bar: float, y0: int, plot_h: int, top: int, cell: dict, fill: str):
    """One series' bar of a period, its number, and its benchmark tick."""
    h = plot_h * cell["actual"] / top
    body = [
        _tag("rect", x=x, y=y0 - h, width=bar, height=h, fill=fill, stroke=DARK, stroke_width=".5"),
        _tag("text", cell["actual"], x=x + bar / 2, y=y0 - h - 4, text_anchor="middle", fill=INK),
    ]
    if cell["benchmark"]:
        yb = y0 - plot_h * cell["benchmark"] / top
        body.append(
            _tag("line", x1=x - 2, y1=yb, x2=x + bar + 2, y2=yb, stroke=BAD, stroke_width="2.5")
        )
    return body


def trend(rows: list[dict]) -> SafeString:
    """Grouped bars per period: homicides (solid) and non-fatal injury shootings (hatched), with
    benchmark ticks."""
    label = "Homicides and non-fatal injury shootings, last six periods"
    width, height, x0, y0, plot_h = 640, 250, 44, 190, 160
    series = ("homicides", "nonfatal_injury_shootings")
    values = [r[k]["actual"] for r in rows for k in series]
    values += [r[k]["benchmark"] or 0 for r in rows for k in series]
    top = _nice_max(max([*values, 1]))
    plot_w = width - x0 - 10
    slot = plot_w / max(len(rows), 1)
    bar = slot * 0.3
    body = _axis(x0, y0, plot_w, plot_h, top)
    for i, r in enumerate(rows):
        for j, key in enumerate(series):
            x = x0 + slot * i + slot * 0.15 + j * (bar + 4)
            fill = DARK if j == 0 else "url(#trend-hatch)"
            body += _trend_bar(x, bar, y0, plot_h, top, r[key], fill)
        x = x0 + slot * i + slot / 2
        body.append(
            _tag("text", escape(r["short_label"]), x=x, y=y0 + 15, text_anchor="middle", fill=INK)
        )
    ly = y0 + 36
    body += _legend(x0, ly, "trend")
    body.append(
        _tag("line", x1=x0 + 300, y1=ly - 3, x2=x0 + 324, y2=ly - 3, stroke=BAD, stroke_width="2.5")
    )
    body.append(_tag("text", "Benchmark for the period", x=x0 + 330, y=ly + 1, fill=INK))
    return _svg(width, height, label, body, "trend")


def post_call_in(outcomes: dict, *, width: int = 640, row_h: int = 26) -> SafeString:
    """Horizontal bars: what happened to call-in participants afterwards (the PDF draws it wide
    and low, across the page under the other charts)."""
    label = f"Outcomes after the call-in for {outcomes['participants']} participants"
    categories = outcomes["categories"]
    x0 = 270
    height = row_h * len(categories) + 10
    top = max([c["count"] for c in categories] + [1])
    plot_w = width - x0 - 90
    body = []
    for i, c in enumerate(categories):
        y = 5 + i * row_h
        baseline = y + min(15, row_h - 5)
        w = plot_w * c["count"] / top
        pct = f" ({c['percent']:.0f}%)" if c["percent"] is not None else ""
        fill = DARK if i % 2 == 0 else "url(#pci-hatch)"
        body += [
            _tag("text", escape(c["label"]), x=x0 - 8, y=baseline, text_anchor="end", fill=INK),
            _tag(
                "rect",
                x=x0,
                y=y + 3,
                width=w,
                height=row_h - 8,
                fill=fill,
                stroke=DARK,
                stroke_width=".5",
            ),
            _tag("text", f"{c['count']}{pct}", x=x0 + w + 6, y=baseline, fill=INK),
        ]
    return _svg(width, height, label, body, "pci")
