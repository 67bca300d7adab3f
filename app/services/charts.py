"""Small SVG charts rendered on the server: bar histograms and cumulative line charts.

Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`;
the page shows the same numbers as a table beside it. Colours are presentation
attributes (the Content Security Policy allows no inline styles) and meet 3:1 contrast
on white; the lines differ by dash pattern too, not only by colour. Every text that goes
into the markup is escaped here.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

INK = "#1d2430"
GRID = "#c9d1dc"
BAR = "#0b5c8e"

# Histogram geometry (viewBox units).
BAR_WIDTH_SHARE = 0.6
HIST_WIDTH, HIST_HEIGHT = 320, 180
HIST_TOP, HIST_BOTTOM, HIST_SIDE = 22, 30, 10
HIST_PLOT_HEIGHT = HIST_HEIGHT - HIST_TOP - HIST_BOTTOM

# Line chart geometry.
LINE_WIDTH, LINE_HEIGHT = 560, 260
LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 48, 20, 16, 70
LINE_PLOT_WIDTH = LINE_WIDTH - LINE_LEFT - LINE_RIGHT
LINE_PLOT_HEIGHT = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
MAX_MARKERS = 60


def _number(value: float) -> str:
    # Short coordinates: two decimals are finer than any screen needs.
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _open_svg(chart_id: str, title: str, description: str, width: int, height: int) -> str:
    chart_id = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-titel {chart_id}-beschreibung">'
        f'<title id="{chart_id}-titel">{escape(title)}</title>'
        f'<desc id="{chart_id}-beschreibung">{escape(description)}</desc>'
    )


def bar_height(count: int, largest: int) -> float:
    """A bar's height in viewBox units: proportional to its count, the largest fills the plot."""
    return HIST_PLOT_HEIGHT * count / largest if largest > 0 else 0.0


def histogram(
    chart_id: str, title: str, description: str, labels: Sequence[str], counts: Sequence[int]
) -> Markup:
    """Vertical bars, one per label, with the count above each bar and the label below."""
    if len(labels) != len(counts):
        raise ValueError("one count per label")
    largest = max(counts, default=0)
    slot = (HIST_WIDTH - 2 * HIST_SIDE) / max(len(counts), 1)
    width = slot * BAR_WIDTH_SHARE
    baseline = HIST_TOP + HIST_PLOT_HEIGHT
    parts = [_open_svg(chart_id, title, description, HIST_WIDTH, HIST_HEIGHT)]
    for index, (label, count) in enumerate(zip(labels, counts, strict=True)):
        centre = HIST_SIDE + slot * (index + 0.5)
        height = bar_height(count, largest)
        parts.append(
            f'<rect class="chart-bar" data-count="{int(count)}" x="{_number(centre - width / 2)}" '
            f'y="{_number(baseline - height)}" width="{_number(width)}" '
            f'height="{_number(height)}" fill="{BAR}"/>'
            f'<text x="{_number(centre)}" y="{_number(baseline - height - 6)}" '
            f'text-anchor="middle" font-size="13" fill="{INK}">{int(count)}</text>'
            f'<text x="{_number(centre)}" y="{_number(baseline + 20)}" text-anchor="middle" '
            f'font-size="13" fill="{INK}">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{HIST_SIDE}" y1="{baseline}" x2="{HIST_WIDTH - HIST_SIDE}" y2="{baseline}" '
        f'stroke="{INK}" stroke-width="1"/></svg>'
    )
    # Every text above went through escape(); numbers are formatted here.
    return Markup("".join(parts))  # noqa: S704


@dataclass(frozen=True)
class Series:
    """One line: its name in the legend, its colour, its dash pattern, a value per day."""

    name: str
    colour: str
    values: Sequence[int]
    dash: str = ""


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    days: Sequence[date],
    series: Sequence[Series],
    day_label: Callable[[date], str],
) -> Markup:
    """Step lines of running totals over time (x: the days, spaced by date; y: 0..max)."""
    if any(len(line.values) != len(days) for line in series):
        raise ValueError("one value per day in every series")
    largest = max((max(line.values, default=0) for line in series), default=0)
    top = max(largest, 1)
    span = (days[-1] - days[0]).days if days else 0

    def x(day: date) -> float:
        if span == 0:
            return LINE_LEFT + LINE_PLOT_WIDTH / 2
        return LINE_LEFT + LINE_PLOT_WIDTH * (day - days[0]).days / span

    def y(value: int) -> float:
        return LINE_TOP + LINE_PLOT_HEIGHT * (1 - value / top)

    baseline = LINE_TOP + LINE_PLOT_HEIGHT
    parts = [_open_svg(chart_id, title, description, LINE_WIDTH, LINE_HEIGHT)]
    # Axes, a middle grid line and the y labels 0, half and the maximum.
    for value in sorted({0, top // 2, top}):
        parts.append(
            f'<line x1="{LINE_LEFT}" y1="{_number(y(value))}" x2="{LINE_WIDTH - LINE_RIGHT}" '
            f'y2="{_number(y(value))}" stroke="{INK if value == 0 else GRID}" stroke-width="1"/>'
            f'<text x="{LINE_LEFT - 6}" y="{_number(y(value) + 4)}" text-anchor="end" '
            f'font-size="12" fill="{INK}">{value}</text>'
        )
    if days:
        parts.append(
            f'<text x="{LINE_LEFT}" y="{baseline + 18}" text-anchor="start" font-size="12" '
            f'fill="{INK}">{escape(day_label(days[0]))}</text>'
        )
        if span:
            parts.append(
                f'<text x="{LINE_WIDTH - LINE_RIGHT}" y="{baseline + 18}" text-anchor="end" '
                f'font-size="12" fill="{INK}">{escape(day_label(days[-1]))}</text>'
            )
    for line in series:
        dash = f' stroke-dasharray="{escape(line.dash)}"' if line.dash else ""
        points: list[tuple[float, float]] = []
        for index, (day, value) in enumerate(zip(days, line.values, strict=True)):
            if index:
                points.append((x(day), y(line.values[index - 1])))  # the step up
            points.append((x(day), y(value)))
        if len(points) > 1:
            coordinates = " ".join(f"{_number(px)},{_number(py)}" for px, py in points)
            parts.append(
                f'<polyline class="chart-line" points="{coordinates}" fill="none" '
                f'stroke="{line.colour}" stroke-width="2.5"{dash}/>'
            )
        if len(days) <= MAX_MARKERS:
            for day, value in zip(days, line.values, strict=True):
                parts.append(
                    f'<circle class="chart-point" cx="{_number(x(day))}" cy="{_number(y(value))}" '
                    f'r="3.5" fill="{line.colour}"/>'
                )
    # The legend: a short line in each series' colour and dash, then its name.
    legend_y = LINE_HEIGHT - 18
    for index, line in enumerate(series):
        left = LINE_LEFT + index * 170
        dash = f' stroke-dasharray="{escape(line.dash)}"' if line.dash else ""
        parts.append(
            f'<line x1="{left}" y1="{legend_y}" x2="{left + 28}" y2="{legend_y}" '
            f'stroke="{line.colour}" stroke-width="2.5"{dash}/>'
            f'<text x="{left + 36}" y="{legend_y + 4}" font-size="13" fill="{INK}">'
            f"{escape(line.name)}</text>"
        )
    parts.append("</svg>")
    # Every text above went through escape(); numbers are formatted here.
    return Markup("".join(parts))  # noqa: S704
