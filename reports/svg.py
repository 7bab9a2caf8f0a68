"""The dashboard's charts as inline SVG: no script, no external file, nothing fetched from elsewhere.

A chart plots a section's table as the workbook's native chart does: the first column as categories,
each ``Chart.series`` column as a series; columns (stacked or side by side) or lines.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from backoffice.exports import text_width

from .report import Chart

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 80, 10, 10, 40
COLOURS = ("#417690", "#e07b39", "#5aa469", "#c94c4c", "#8a6bb1", "#b59b3a", "#4fa3c7", "#7f7f7f")


def number(value) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def chart_svg(chart: Chart, labels: list[str], rows: list[list]) -> SafeString:
    """``rows`` drawn as ``chart``; ``labels`` are the table's column headers (the series' names)."""
    series = [(labels[col], [number(row[col]) for row in rows]) for col in chart.series]
    if chart.stacked:
        top = max([sum(values) for values in zip(*(v for _name, v in series), strict=True)] or [0])
    else:
        top = max([max(values, default=0) for _name, values in series] or [0])
    top = max(top, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(rows), 1)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 24 * len(series)}" '
        f'role="img" class="report-chart"><title>{escape(str(chart.title))}</title>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#999"/>',
    ]
    for tick in (0, top / 2, top):
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">{tick:,.0f}</text>'
            f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{WIDTH - RIGHT}" y2="{y(tick):.1f}" stroke="#eee"/>'
        )
    for i, row in enumerate(rows):
        x = LEFT + slot * (i + 0.5)
        label = fitted(str(row[0]), slot)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 22}" text-anchor="middle" font-size="11">'
            f"<title>{escape(row[0])}</title>{escape(label)}</text>"
        )
    if chart.kind == "line":
        for (_name, values), colour in zip(series, COLOURS, strict=False):
            points = " ".join(f"{LEFT + slot * (i + 0.5):.1f},{y(v):.1f}" for i, v in enumerate(values))
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
    else:
        parts += bars(series, slot, y, stacked=chart.stacked)
    for n, ((name, _values), colour) in enumerate(zip(series, COLOURS, strict=False)):
        legend_y = HEIGHT + 24 * n
        parts.append(
            f'<rect x="{LEFT}" y="{legend_y}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{LEFT + 18}" y="{legend_y + 11}" font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped, every number formatted)


def fitted(text: str, width: float) -> str:
    """``text`` cut to what ``width`` pixels hold at 11 px (a wide character twice a narrow one), with "…"."""
    room = int(width // 6.5)
    if text_width(text) <= room:
        return text
    while text and text_width(text) > room - 2:
        text = text[:-1]
    return text + "…"


def bars(series, slot: float, y, *, stacked: bool) -> list[str]:
    """The rectangles of a column chart: one bar a category with a segment a series, or a bar a series."""
    rects = []
    width = slot * 0.7 if stacked else slot * 0.7 / max(len(series), 1)
    count = len(series[0][1]) if series else 0
    for i in range(count):
        base = 0.0
        for n, ((_name, values), colour) in enumerate(zip(series, COLOURS, strict=False)):
            x = LEFT + slot * i + slot * 0.15 + (0 if stacked else width * n)
            low, high = (base, base + values[i]) if stacked else (0, values[i])
            rects.append(
                f'<rect x="{x:.1f}" y="{y(high):.1f}" width="{width:.1f}" '
                f'height="{max(y(low) - y(high), 0):.1f}" fill="{colour}"/>'
            )
            base = high if stacked else base
    return rects


__all__ = ["chart_svg"]
