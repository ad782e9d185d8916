"""Reports drawn as PNG charts with matplotlib: a timeline for per-year reports, bars for rankings."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from archive.query import QueryError
from archive.query.readonly import QueryResult
from archive.query.reports import ChartSpec, Report

# Classification columns keep one colour everywhere, from alarming to calm.
LEVEL_COLOURS = {
    "top_secret": "#67000d",
    "secret": "#cb181d",
    "confidential": "#fd8d3c",
    "limited_official_use": "#fdd0a2",
    "sensitive_but_unclassified": "#9ecae1",
    "unclassified": "#4292c6",
    "noforn": "#54278f",
}
LABEL_WIDTH = 45  # longer bar labels are cut, so the bars keep most of the width
MAX_BARS = 40


def draw_chart(report: Report, result: QueryResult, path: Path | str) -> Path:
    """Draw ``result`` of ``report`` as its header's ``-- chart:`` line says, into the PNG ``path``."""
    ensure_chart(report)
    assert report.chart is not None
    missing = [c for c in (*report.chart.x, *report.chart.y, report.chart.series) if c and c not in result.columns]
    if missing:
        raise QueryError(f"report {report.name}: its chart names column {missing[0]!r}, which the query lacks")
    if not result.rows:
        raise QueryError(f"report {report.name} returned no rows: nothing to draw")

    import matplotlib

    matplotlib.use("Agg")  # draw to files only, never to a window
    import matplotlib.pyplot as plt

    figure = _timeline(plt, report, result) if report.chart.kind == "timeline" else _bars(plt, report, result)
    target = Path(path)
    figure.savefig(target, dpi=120, bbox_inches="tight")
    plt.close(figure)
    return target


def ensure_chart(report: Report) -> None:
    """Fail unless ``report`` says how to draw it (lists such as audits have no chart) and matplotlib is installed."""
    if report.chart is None:
        raise QueryError(f"report {report.name} has no chart (its rows are a list, not a series or a ranking)")
    if importlib.util.find_spec("matplotlib") is None:
        raise QueryError("charts need matplotlib, an optional extra: pip install 'cable-archive[charts]'")


def _series(spec: ChartSpec, rows: Sequence[dict[str, Any]]) -> dict[str, list[tuple[Any, float]]]:
    """Named lines of (x, y) points: one per y column, or one per value of the series column."""
    x_column = spec.x[0]
    lines: dict[str, list[tuple[Any, float]]] = {}
    for row in rows:
        if row[x_column] is None:
            continue  # an unknown year cannot sit on a time axis
        if spec.series:
            lines.setdefault(str(row[spec.series]), []).append((row[x_column], float(row[spec.y[0]] or 0)))
        else:
            for column in spec.y:
                lines.setdefault(column, []).append((row[x_column], float(row[column] or 0)))
    # A year with no row had no cables: draw it as zero rather than a line across the gap.
    xs = {x for points in lines.values() for x, _ in points}
    if xs and all(isinstance(x, int) for x in xs):
        every = range(min(xs), max(xs) + 1)
        lines = {name: sorted({**dict.fromkeys(every, 0.0), **dict(points)}.items()) for name, points in lines.items()}
    # Lines that are zero everywhere only clutter the legend.
    return {name: points for name, points in lines.items() if any(y for _, y in points)}


def _pretty(column: str) -> str:
    return column.replace("_", " ")


def _timeline(plt: Any, report: Report, result: QueryResult) -> Any:
    from matplotlib.ticker import MaxNLocator

    spec = report.chart
    assert spec is not None
    lines = _series(spec, result.rows)
    figure, axes = plt.subplots(figsize=(10, 5.5))
    for name, points in lines.items():
        xs, ys = zip(*sorted(points), strict=True)
        axes.plot(xs, ys, marker="o", linewidth=2, markersize=4, label=_pretty(name), color=LEVEL_COLOURS.get(name))
    axes.set_title(report.description, fontsize=12, loc="left")
    axes.set_xlabel(_pretty(spec.x[0]))
    axes.set_ylabel(_pretty(spec.y[0]) if spec.series or len(spec.y) == 1 else "cables")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.get_major_formatter().set_useOffset(False)  # years as 2009, not -1 + 2.01e3
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0)
    axes.grid(True, alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    if len(lines) > 1:
        axes.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.tight_layout()
    return figure


def _bars(plt: Any, report: Report, result: QueryResult) -> Any:
    from matplotlib.ticker import MaxNLocator

    spec = report.chart
    assert spec is not None
    rows = result.rows[:MAX_BARS]
    labels = [_label(" → ".join(str(row[c]) for c in spec.x)) for row in rows]
    segments = [c for c in spec.y if any(row[c] for row in rows)] or list(spec.y[:1])
    figure, axes = plt.subplots(figsize=(10, max(2.5, 0.38 * len(rows) + 1.4)))
    positions = range(len(rows))
    left = [0.0] * len(rows)
    for column in segments:
        values = [float(row[column] or 0) for row in rows]
        axes.barh(positions, values, left=left, height=0.7, label=_pretty(column), color=LEVEL_COLOURS.get(column))
        left = [a + b for a, b in zip(left, values, strict=True)]
    for position, total in zip(positions, left, strict=True):
        axes.text(total, position, f" {total:g}", va="center", fontsize=8)
    axes.set_yticks(list(positions), labels, fontsize=9)
    axes.invert_yaxis()  # the first row (the biggest) on top
    axes.set_title(report.description, fontsize=12, loc="left")
    axes.set_xlabel(_pretty(segments[0]) if len(segments) == 1 else "cables")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlim(right=max(left) * 1.08)  # room for the totals printed after the bars
    axes.grid(True, axis="x", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    if len(segments) > 1:
        axes.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.tight_layout()
    return figure


def _label(text: str) -> str:
    return text if len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1] + "…"
