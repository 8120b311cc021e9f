"""Server-rendered SVG charts for the worksheet: no JavaScript, so the same markup prints and goes into the PDF.

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
    '<pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    f'<rect width="6" height="6" fill="{LIGHT}"/><line x1="0" y1="0" x2="0" y2="6" stroke="{DARK}" stroke-width="1.5"/>'
    "</pattern></defs>"
)


def _nice_max(value: int) -> int:
    """A round axis maximum at or above ``value`` that divides into four whole ticks."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return -(-value // 4) * 4


def _svg(width: int, height: int, label: str, body: list[str], uid: str) -> SafeString:
    return mark_safe(
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}" font-family="DejaVu Sans, sans-serif" font-size="11">'
        f"<title>{escape(label)}</title>{_DEFS.format(id=uid)}{''.join(body)}</svg>"
    )


def _axis(x0: int, y0: int, width: int, height: int, top: int) -> list[str]:
    body = []
    for i in range(5):
        value = top * i // 4
        y = y0 - height * i / 4
        body.append(
            f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + width}" y2="{y:.1f}" stroke="#d0d7de" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">{value}</text>'
        )
    body.append(
        f'<line x1="{x0}" y1="{y0}" x2="{x0 + width}" y2="{y0}" stroke="{INK}" stroke-width="1"/>'
    )
    return body


def homicides_per_year(rows: list[dict]) -> SafeString:
    """Bars of homicide victims per year over every recorded year."""
    label = "Homicides per year, all recorded years"
    if not rows:
        return _svg(
            640,
            60,
            label,
            [f'<text x="10" y="30" fill="{MUTED}">No homicides recorded yet.</text>'],
            "hpy",
        )
    width, height, x0, y0, plot_h = 640, 240, 44, 200, 170
    top = _nice_max(max(r["count"] for r in rows))
    plot_w = width - x0 - 10
    slot = plot_w / len(rows)
    bar = max(min(slot * 0.7, 60), 2)
    body = _axis(x0, y0, plot_w, plot_h, top)
    label_every = max(1, round(len(rows) / 12))
    for i, r in enumerate(rows):
        h = plot_h * r["count"] / top
        x = x0 + slot * i + (slot - bar) / 2
        body.append(
            f'<rect x="{x:.1f}" y="{y0 - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{DARK}"/>'
        )
        if len(rows) <= 20:
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{y0 - h - 4:.1f}" text-anchor="middle" fill="{INK}">{r["count"]}</text>'
            )
        if i % label_every == 0 or i == len(rows) - 1:
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{y0 + 15}" text-anchor="middle" fill="{INK}">{r["year"]}</text>'
            )
    return _svg(width, height + 8, label, body, "hpy")


def shootings_per_month(months: list[dict], monthly_benchmark: int | None, year: int) -> SafeString:
    """Stacked bars (homicides solid, non-fatal injury shootings hatched) per month against the monthly benchmark."""
    label = f"Homicides and non-fatal injury shootings per month, {year}, against the prorated benchmark"
    width, height, x0, y0, plot_h = 640, 270, 44, 200, 170
    totals = [m["homicides"] + m["nonfatal_injury_shootings"] for m in months]
    top = _nice_max(max([*totals, monthly_benchmark or 0, 1]))
    plot_w = width - x0 - 10
    slot = plot_w / 12
    bar = slot * 0.6
    body = _axis(x0, y0, plot_w, plot_h, top)
    for i, m in enumerate(months):
        x = x0 + slot * i + (slot - bar) / 2
        h_hom = plot_h * m["homicides"] / top
        h_nf = plot_h * m["nonfatal_injury_shootings"] / top
        body.append(
            f'<rect x="{x:.1f}" y="{y0 - h_hom:.1f}" width="{bar:.1f}" height="{h_hom:.1f}" fill="{DARK}"/>'
        )
        body.append(
            f'<rect x="{x:.1f}" y="{y0 - h_hom - h_nf:.1f}" width="{bar:.1f}" height="{h_nf:.1f}" '
            f'fill="url(#spm-hatch)" stroke="{DARK}" stroke-width=".5"/>'
        )
        body.append(
            f'<text x="{x + bar / 2:.1f}" y="{y0 - h_hom - h_nf - 4:.1f}" text-anchor="middle" fill="{INK}" '
            f'font-weight="bold">{totals[i]}</text>'
        )
    for i in range(12):
        x = x0 + slot * i + slot / 2
        body.append(
            f'<text x="{x:.1f}" y="{y0 + 15}" text-anchor="middle" fill="{INK}">{calendar.month_abbr[i + 1]}</text>'
        )
    if monthly_benchmark:
        y = y0 - plot_h * monthly_benchmark / top
        body.append(
            f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + plot_w}" y2="{y:.1f}" stroke="{BAD}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    # legend
    ly = y0 + 34
    body.append(f'<rect x="{x0}" y="{ly - 9}" width="12" height="12" fill="{DARK}"/>')
    body.append(f'<text x="{x0 + 16}" y="{ly + 1}" fill="{INK}">Homicides</text>')
    body.append(
        f'<rect x="{x0 + 100}" y="{ly - 9}" width="12" height="12" fill="url(#spm-hatch)" stroke="{DARK}"/>'
    )
    body.append(f'<text x="{x0 + 116}" y="{ly + 1}" fill="{INK}">Non-fatal injury shootings</text>')
    if monthly_benchmark:
        body.append(
            f'<line x1="{x0 + 300}" y1="{ly - 3}" x2="{x0 + 330}" y2="{ly - 3}" stroke="{BAD}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        body.append(
            f'<text x="{x0 + 336}" y="{ly + 1}" fill="{INK}">Benchmark: {monthly_benchmark} a month</text>'
        )
    return _svg(width, height + 10, label, body, "spm")


def trend(rows: list[dict]) -> SafeString:
    """Grouped bars per period: homicides (solid) and non-fatal injury shootings (hatched), benchmark ticks."""
    label = "Homicides and non-fatal injury shootings, last six periods"
    width, height, x0, y0, plot_h = 640, 250, 44, 190, 160
    values = [r[k]["actual"] for r in rows for k in ("homicides", "nonfatal_injury_shootings")]
    values += [
        r[k]["benchmark"] or 0 for r in rows for k in ("homicides", "nonfatal_injury_shootings")
    ]
    top = _nice_max(max([*values, 1]))
    plot_w = width - x0 - 10
    slot = plot_w / max(len(rows), 1)
    bar = slot * 0.3
    body = _axis(x0, y0, plot_w, plot_h, top)
    for i, r in enumerate(rows):
        for j, key in enumerate(("homicides", "nonfatal_injury_shootings")):
            cell = r[key]
            x = x0 + slot * i + slot * 0.15 + j * (bar + 4)
            h = plot_h * cell["actual"] / top
            fill = DARK if j == 0 else "url(#trend-hatch)"
            body.append(
                f'<rect x="{x:.1f}" y="{y0 - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{fill}" stroke="{DARK}" stroke-width=".5"/>'
            )
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{y0 - h - 4:.1f}" text-anchor="middle" fill="{INK}">{cell["actual"]}</text>'
            )
            if cell["benchmark"]:
                yb = y0 - plot_h * cell["benchmark"] / top
                body.append(
                    f'<line x1="{x - 2:.1f}" y1="{yb:.1f}" x2="{x + bar + 2:.1f}" y2="{yb:.1f}" stroke="{BAD}" stroke-width="2.5"/>'
                )
        body.append(
            f'<text x="{x0 + slot * i + slot / 2:.1f}" y="{y0 + 15}" text-anchor="middle" fill="{INK}">{escape(r["short_label"])}</text>'
        )
    ly = y0 + 36
    body.append(f'<rect x="{x0}" y="{ly - 9}" width="12" height="12" fill="{DARK}"/>')
    body.append(f'<text x="{x0 + 16}" y="{ly + 1}" fill="{INK}">Homicides</text>')
    body.append(
        f'<rect x="{x0 + 100}" y="{ly - 9}" width="12" height="12" fill="url(#trend-hatch)" stroke="{DARK}"/>'
    )
    body.append(f'<text x="{x0 + 116}" y="{ly + 1}" fill="{INK}">Non-fatal injury shootings</text>')
    body.append(
        f'<line x1="{x0 + 300}" y1="{ly - 3}" x2="{x0 + 324}" y2="{ly - 3}" stroke="{BAD}" stroke-width="2.5"/>'
    )
    body.append(f'<text x="{x0 + 330}" y="{ly + 1}" fill="{INK}">Benchmark for the period</text>')
    return _svg(width, height, label, body, "trend")


def post_call_in(outcomes: dict) -> SafeString:
    """Horizontal bars: what happened to call-in participants afterwards."""
    label = f"Outcomes after the call-in for {outcomes['participants']} participants"
    categories = outcomes["categories"]
    width, row_h, x0 = 640, 26, 270
    height = row_h * len(categories) + 10
    top = max([c["count"] for c in categories] + [1])
    plot_w = width - x0 - 90
    body = []
    for i, c in enumerate(categories):
        y = 5 + i * row_h
        w = plot_w * c["count"] / top
        pct = f" ({c['percent']:.0f}%)" if c["percent"] is not None else ""
        body.append(
            f'<text x="{x0 - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">{escape(c["label"])}</text>'
        )
        fill = DARK if i % 2 == 0 else "url(#pci-hatch)"
        body.append(
            f'<rect x="{x0}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{fill}" stroke="{DARK}" stroke-width=".5"/>'
        )
        body.append(
            f'<text x="{x0 + w + 6:.1f}" y="{y + 15}" fill="{INK}">{c["count"]}{pct}</text>'
        )
    return _svg(width, height, label, body, "pci")
