"""Radar and trend charts, without the database."""

from __future__ import annotations

import math

import pytest
from matplotlib.figure import Figure

from reports import charts

LABELS = ["Collaboration & Communication", "Planning & Execution", "Flow & Efficiency"]


def test_radar_draws_each_series_on_one_axis_per_dimension() -> None:
    fig = charts.radar(
        LABELS,
        [
            charts.Series("Team", [1, 2, 3], "team"),
            charts.Series("Stakeholders", [2, None, 3], "stakeholders"),
            charts.Series("Before", [1, 1, 1], "previous-team"),
        ],
    )
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["Team", "Stakeholders", "Before"]
    # closed ring: the first value is repeated at the end; a hidden value is NaN
    assert list(lines[0].get_ydata()) == [1, 2, 3, 1]
    assert math.isnan(lines[1].get_ydata()[1])
    assert lines[2].get_alpha() < lines[0].get_alpha()
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "Collaboration &\nCommunication",
        "Planning &\nExecution",
        "Flow & Efficiency",
    ]
    assert ax.get_ylim() == (0, pytest.approx(3.2))
    assert fig.legends


def test_radar_uses_a_colour_blind_safe_palette() -> None:
    assert charts.STYLES["team"][0] == "#0072B2"  # Okabe-Ito blue
    assert charts.STYLES["stakeholders"][0] == "#D55E00"  # Okabe-Ito vermillion
    # and never colour alone: line styles and markers differ
    assert charts.STYLES["team"][1:3] != charts.STYLES["stakeholders"][1:3]


@pytest.mark.parametrize(
    ("fmt", "magic"), [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")]
)
def test_render_figure_writes_each_format(fmt: str, magic: bytes) -> None:
    data = charts.render_figure(
        charts.radar(LABELS, [charts.Series("Team", [1, 2, 3])]), fmt
    )
    assert data.startswith(magic)


def test_rendering_the_same_data_gives_the_same_bytes() -> None:
    def draw() -> bytes:
        fig = charts.radar(LABELS, [charts.Series("Team", [1, 2, 3])])
        return charts.render_figure(fig, "svg")

    assert draw() == draw()


def test_svg_keeps_labels_as_text() -> None:
    svg = charts.render_figure(
        charts.radar(LABELS, [charts.Series("Stakeholders: Q2", [1, 2, 3])]), "svg"
    ).decode()
    assert "Stakeholders: Q2" in svg
    assert "Flow &amp; Efficiency" in svg


def test_trend_grid_has_one_panel_per_dimension() -> None:
    fig = charts.trend_grid(
        LABELS,
        ["Q1", "Q2"],
        [[1, 2], [2, 2], [None, 3]],
        [[None, None], [1, 1], [2, 2]],
    )
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    assert [ax.get_title() for ax in panels] == [
        "Collaboration & Communication",
        "Planning & Execution",
        "Flow & Efficiency",
    ]
    team_line = panels[0].get_lines()[0]
    assert list(team_line.get_ydata()) == [1, 2]
    assert [t.get_text() for t in panels[0].get_xticklabels()] == ["Q1", "Q2"]


def test_trend_grid_leaves_out_a_group_with_no_figure() -> None:
    fig = charts.trend_grid(["A", "B"], ["Q1"], [[1], [2]], [[None], [None]])
    assert [len(ax.get_lines()) for ax in fig.axes[:2]] == [1, 1]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Team"]


def test_radar_without_dimensions_is_empty() -> None:
    fig = charts.radar([], [])
    assert charts.render_figure(fig, "svg").startswith(b"<?xml")
