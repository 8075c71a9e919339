"""Radar and trend charts, drawn with ``matplotlib.figure.Figure`` (never pyplot:
it keeps every figure alive in a global registry, which leaks in a server).

Pure functions: labels and numbers in, a Figure or bytes out. A missing value
(NaN or None) is a figure hidden by the minimum rule and is simply not drawn.
Colours are the Okabe-Ito palette, safe for colour-blind readers; each series also
has its own line style and marker, so nothing depends on colour alone.
"""

from __future__ import annotations

import io
import logging
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
GREY = "#6B6B6B"

# style name -> (colour, line style, marker, line width, alpha)
STYLES = {
    "team": (BLUE, "-", "o", 2.2, 1.0),
    "stakeholders": (VERMILLION, "--", "s", 2.2, 1.0),
    "previous-team": (BLUE, ":", "o", 1.2, 0.45),
    "previous-stakeholders": (VERMILLION, ":", "s", 1.2, 0.45),
}
LEVEL_TICKS = (1, 2, 3)
# The radar's size and its texts' size (points), and how wide the PDF prints it:
# 11 pt at 7 in printed 155 mm wide is 9.6 pt on paper (issue 28 point 10).
RADAR_INCHES = 7.0
RADAR_TEXT_PT = 11
RADAR_PRINT_MM = 155
FORMATS = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}
# Written into files so that the same data gives the same bytes.
# One DEBUG line per chart drawn (never which team's): the two-server test counts
# them to show that a chart is drawn once per data version across servers.
logger = logging.getLogger(__name__)

_METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}
_RC: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "team-mirror",
    "pdf.fonttype": 42,
}
# For multi-page PDF exports (``PdfPages``): the same settings and metadata.
PDF_RC = _RC
PDF_METADATA = _METADATA["pdf"]


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]
    style: str = "team"


def _clean(values: Sequence[float | None]) -> np.ndarray:
    return np.array([math.nan if v is None else v for v in values], dtype=float)


def wrap(label: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def radar(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    level_labels: Sequence[str] = ("1", "2", "3"),  # the rings, centre outwards
    title: str = "",
) -> Figure:
    """One axis per dimension, levels 1-3 outwards, the series overlaid.

    Every text is ``RADAR_TEXT_PT``: printed at ``RADAR_PRINT_MM`` wide (the PDF),
    that is still at least 9 pt on paper."""
    fig = Figure(figsize=(RADAR_INCHES, RADAR_INCHES), layout="constrained")
    ax = fig.add_subplot(projection="polar")
    if not isinstance(ax, PolarAxes):  # pragma: no cover - for the type checker
        raise TypeError(ax)
    if not labels:
        ax.set_axis_off()
        return fig
    count = len(labels)
    angles = np.linspace(0, 2 * np.pi, count, endpoint=False)
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 3.2)
    ax.set_yticks(
        LEVEL_TICKS, [f"{t}" for t in level_labels], fontsize=RADAR_TEXT_PT, color=GREY
    )
    ax.set_rlabel_position(180 / count)
    ax.set_xticks(angles, [wrap(label) for label in labels], fontsize=RADAR_TEXT_PT)
    ax.tick_params(axis="x", pad=14)
    for tick, angle in zip(ax.get_xticklabels(), angles, strict=True):
        x = math.sin(angle)
        tick.set_horizontalalignment(
            "center" if abs(x) < 0.2 else ("left" if x > 0 else "right")
        )
    ax.grid(color="#cccccc", linewidth=0.8)
    closed = np.append(angles, angles[:1])
    for s in series:
        colour, line, marker, width, alpha = STYLES[s.style]
        values = _clean(s.values)
        ring = np.append(values, values[:1])
        ax.plot(
            closed,
            ring,
            color=colour,
            linestyle=line,
            linewidth=width,
            alpha=alpha,
            label=s.label,
            marker=marker,
            markersize=5,
        )
        if s.style in {"team", "stakeholders"} and not np.isnan(values).any():
            ax.fill(closed, ring, color=colour, alpha=0.08)
    if series:
        fig.legend(
            loc="outside lower center",
            ncols=min(len(series), 2),
            frameon=False,
            fontsize=RADAR_TEXT_PT,
        )
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def trend_grid(
    titles: Sequence[str],
    rounds: Sequence[str],
    team: Sequence[Sequence[float | None]],
    stakeholders: Sequence[Sequence[float | None]],
    *,
    team_label: str = "Team",
    stakeholders_label: str = "Stakeholders",
) -> Figure:
    """One small chart per dimension: its mean (1-3) in each round, oldest left."""
    panels = max(len(titles), 1)
    columns = min(3, panels)
    rows = math.ceil(panels / columns)
    fig = Figure(figsize=(3.6 * columns, 2.7 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False, sharey=True)
    x = np.arange(len(rounds))
    # A group with no figure in any round gets no line and no legend entry.
    lines = [
        (values, colour, style, marker, label)
        for values, colour, style, marker, label in (
            (team, BLUE, "-", "o", team_label),
            (stakeholders, VERMILLION, "--", "s", stakeholders_label),
        )
        if any(v is not None for series in values for v in series)
    ]
    for i, ax in enumerate(axes.flat):
        if i >= len(titles):
            ax.set_axis_off()
            continue
        for values, colour, line, marker, label in (
            (series[i], colour, style, marker, label)
            for series, colour, style, marker, label in lines
        ):
            ax.plot(
                x,
                _clean(values),
                color=colour,
                linestyle=line,
                marker=marker,
                markersize=5,
                linewidth=1.8,
                label=label,
            )
        ax.set_title(wrap(titles[i], 30), fontsize=9)
        ax.set_ylim(0.8, 3.2)
        ax.set_yticks(LEVEL_TICKS)
        ax.set_xticks(x, [wrap(r, 12) for r in rounds], fontsize=7)
        ax.set_xlim(-0.5, max(len(rounds) - 0.5, 0.5))
        ax.grid(axis="y", color="#dddddd")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False)
    return fig


def render_figure(fig: Figure, fmt: str) -> bytes:
    """The figure as SVG, PNG or PDF bytes; the same data gives the same bytes."""
    buffer = io.BytesIO()
    with mpl.rc_context(_RC):
        FigureCanvasAgg(fig)
        fig.savefig(buffer, format=fmt, dpi=100, metadata=_METADATA[fmt])
    logger.debug("Chart drawn (%s)", fmt)
    return buffer.getvalue()
