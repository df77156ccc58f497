"""Server-rendered SVG charts (no JavaScript, no CDN): minutes per day, blocked items by category per day.

Colours and sizes are presentation attributes, not style attributes, so the strict CSP needs no
'unsafe-inline'. Every label is escaped.
"""

from __future__ import annotations

from datetime import date
from html import escape

from markupsafe import Markup

PALETTE = ("#d1495b", "#edae49", "#00798c", "#30638e", "#7b2d26", "#8e7dbe", "#3e8914", "#c05299", "#5c5c5c",
           "#2a9d8f", "#e76f51")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 340, 180, 30, 24, 10


def _axis(days: list[date], top: float, unit: str) -> list[str]:
    plot_h = HEIGHT - BOTTOM - TOP
    parts = [f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH}" y2="{TOP + plot_h}" stroke="#999"/>',
             f'<text x="2" y="{TOP + 8}" font-size="10" fill="#555">{escape(_fmt(top))}</text>',
             f'<text x="2" y="{TOP + plot_h}" font-size="10" fill="#555">0</text>',
             f'<text x="{WIDTH - 2}" y="{TOP + 8}" font-size="10" fill="#555" text-anchor="end">{escape(unit)}</text>']
    step = (WIDTH - LEFT) / max(1, len(days))
    every = max(1, len(days) // 7)
    for i, day in enumerate(days):
        if i % every == 0:
            x = LEFT + step * i + step / 2
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 8}" font-size="10" fill="#555" '
                         f'text-anchor="middle">{day.month}/{day.day}</text>')
    return parts


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _nice_top(peak: float) -> float:
    for top in (1, 2, 5, 10, 20, 30, 60, 90, 120, 180, 240, 360, 480, 720, 1440):
        if peak <= top:
            return float(top)
    return float(peak)


def bar_chart(days: list[date], values: list[float], title: str, unit: str, limit: float | None = None) -> Markup:
    """One bar per day; an optional dashed line at the limit."""
    top = _nice_top(max([*values, limit or 0, 1]))
    plot_h = HEIGHT - BOTTOM - TOP
    step = (WIDTH - LEFT) / max(1, len(days))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'class="chart" aria-label="{escape(title)}"><title>{escape(title)}</title>', *_axis(days, top, unit)]
    for i, (day, value) in enumerate(zip(days, values, strict=True)):
        h = plot_h * value / top
        x = LEFT + step * i + step * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
                     f'fill="#30638e"><title>{day.isoformat()}: {escape(_fmt(value))} {escape(unit)}</title></rect>')
    if limit:
        y = TOP + plot_h - plot_h * limit / top
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" stroke="#d1495b" '
                     f'stroke-dasharray="4 3"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_chart(days: list[date], series: dict[str, list[int]], names: dict[str, str], title: str,
                  unit: str) -> Markup:
    """Stacked bars per day, one colour per category, with a legend below."""
    totals = [sum(col) for col in zip(*series.values(), strict=True)] if series else [0] * len(days)
    top = _nice_top(max([*totals, 1]))
    plot_h = HEIGHT - BOTTOM - TOP
    step = (WIDTH - LEFT) / max(1, len(days))
    legend_h = 16 * ((len(series) + 2) // 3)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + legend_h}" role="img" '
             f'class="chart" aria-label="{escape(title)}"><title>{escape(title)}</title>', *_axis(days, top, unit)]
    base = [0.0] * len(days)
    for k, (cat, counts) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        for i, count in enumerate(counts):
            if not count:
                continue
            h = plot_h * count / top
            base[i] += h
            x = LEFT + step * i + step * 0.15
            parts.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - base[i]:.1f}" width="{step * 0.7:.1f}" '
                         f'height="{h:.1f}" fill="{colour}"><title>{days[i].isoformat()} '
                         f'{escape(names.get(cat, cat))}: {count}</title></rect>')
        lx, ly = 4 + (k % 3) * 112, HEIGHT + 12 + 16 * (k // 3)
        parts.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{lx + 14}" y="{ly}" font-size="10" fill="#333">{escape(names.get(cat, cat))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
