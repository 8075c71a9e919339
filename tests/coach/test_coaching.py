"""The coach figures, from hand-built rows, without the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from coach import patterns as coaching
from coach.patterns import (
    CHECKIN_COLUMNS,
    ROUND_COLUMNS,
    SCORE_COLUMNS,
    Dimension,
    HeatCell,
    SharedTeam,
)
from reports.figures import frame

DIMS = [
    Dimension(1, "collaboration", "Collaboration"),
    Dimension(2, "flow", "Flow"),
    Dimension(3, "quality", "Quality"),
]
ALPHA = SharedTeam(10, "alpha", "a-code", include_notes=True)
BRAVO = SharedTeam(20, "Bravo", "b-code", include_notes=True)
CHARLIE = SharedTeam(30, "Charlie", "c-code", include_notes=False)
DELTA = SharedTeam(40, "Delta", "d-code", include_notes=True)


def day(month: int, d: int = 1, year: int = 2026) -> datetime:
    return datetime(year, month, d, tzinfo=UTC)


def rounds(*rows: tuple[object, ...]) -> pd.DataFrame:
    """(round_id, team_id, closed_at, team_responses[, stakeholders[, min]])"""
    full = []
    for row in rows:
        round_id, team_id, closed_at, team_n, *rest = row
        stakeholders = rest[0] if rest else 0
        minimum = rest[1] if len(rest) > 1 else 3
        full.append(
            (
                round_id,
                team_id,
                f"R{round_id}",
                closed_at,
                minimum,
                team_n,
                stakeholders,
            )
        )
    return frame(full, ROUND_COLUMNS)


def scores(*rows: tuple[object, ...]) -> pd.DataFrame:
    """(round_id, builtin_id, mean[, rated[, perspective]])"""
    full = []
    for row in rows:
        round_id, builtin_id, mean, *rest = row
        rated = rest[0] if rest else 3
        perspective = rest[1] if len(rest) > 1 else "team"
        full.append((round_id, builtin_id, perspective, rated, mean))
    return frame(full, SCORE_COLUMNS)


# Rounds and minimums ----------------------------------------------------------------


def test_latest_round_is_the_latest_that_meets_its_minimum() -> None:
    r = rounds((1, 10, day(1), 5), (2, 10, day(4), 4), (3, 10, day(7), 2))
    assert coaching.latest_rounds(r)["round_id"].tolist() == [2]


def test_a_team_with_no_qualifying_round_has_no_latest_round() -> None:
    r = rounds((1, 10, day(1), 2), (2, 20, day(1), 3, 0, 4))
    assert coaching.latest_rounds(r).empty


def test_means_hide_a_dimension_fewer_than_the_minimum_rated() -> None:
    r = rounds((1, 10, day(1), 5, 0, 4))
    s = scores((1, 1, 2.0, 4), (1, 2, 1.0, 3))
    means = coaching.team_means(r, s)
    assert means["builtin_id"].tolist() == [1]


def test_stakeholder_means_need_enough_stakeholders() -> None:
    r = rounds((1, 10, day(1), 5, 2), (2, 20, day(1), 5, 3))
    s = scores((1, 1, 2.0, 2, "stakeholder"), (2, 1, 2.5, 3, "stakeholder"))
    means = coaching.team_means(r, s, coaching.STAKEHOLDER)
    assert means["round_id"].tolist() == [2]
    assert coaching.team_means(r, s, coaching.TEAM).empty


# Heatmap ----------------------------------------------------------------------------


def test_heatmap_lists_teams_by_name_with_latest_round_means() -> None:
    r = rounds((1, 20, day(1), 3), (2, 20, day(4), 3), (3, 10, day(2), 4))
    s = scores(
        (1, 1, 1.0),  # Bravo's older round: not shown
        (2, 1, 2.67),
        (2, 3, 1.33),
        (3, 2, 3.0),
    )
    heat = coaching.heatmap([BRAVO, ALPHA, CHARLIE], r, s, DIMS)
    assert [row.team.name for row in heat.rows] == ["alpha", "Bravo"]
    alpha, bravo = heat.rows
    assert [c.mean for c in alpha.cells] == [None, 3.0, None]
    assert [c.mean for c in bravo.cells] == [2.67, None, 1.33]
    assert (bravo.round_title, bravo.closed_at, bravo.responses) == ("R2", day(4), 3)
    assert heat.missing == [CHARLIE]


def test_heatmap_order_ignores_scores() -> None:
    r = rounds((1, 10, day(1), 3), (2, 20, day(1), 3))
    high_first = coaching.heatmap(
        [ALPHA, BRAVO], r, scores((1, 1, 1.0), (2, 1, 3.0)), DIMS
    )
    low_first = coaching.heatmap(
        [ALPHA, BRAVO], r, scores((1, 1, 3.0), (2, 1, 1.0)), DIMS
    )
    names = [row.team.name for row in high_first.rows]
    assert names == [row.team.name for row in low_first.rows] == ["alpha", "Bravo"]


def test_stakeholder_heatmap_leaves_out_teams_with_too_few_stakeholders() -> None:
    r = rounds((1, 10, day(1), 3, 2), (2, 20, day(1), 3, 4))
    s = scores((1, 1, 2.0, 2, "stakeholder"), (2, 1, 1.5, 4, "stakeholder"))
    heat = coaching.heatmap([ALPHA, BRAVO], r, s, DIMS, coaching.STAKEHOLDER)
    assert [row.team for row in heat.rows] == [BRAVO]
    assert heat.rows[0].responses == 4
    assert heat.rows[0].cells[0].mean == 1.5
    assert heat.missing == [ALPHA]


@pytest.mark.parametrize(
    ("mean", "band"),
    [
        (None, "heat-none"),
        (1.0, "heat-1"),
        (1.74, "heat-1"),
        (1.75, "heat-2"),
        (2.49, "heat-2"),
        (2.5, "heat-3"),
        (3.0, "heat-3"),
    ],
)
def test_heat_bands(mean: float | None, band: str) -> None:
    assert HeatCell(mean).band == band


# Weak or declining ------------------------------------------------------------------


def test_weak_and_declining_counts_teams_per_dimension() -> None:
    r = rounds(
        (1, 10, day(1), 3),
        (2, 10, day(4), 3),
        (3, 20, day(1), 3),
        (4, 20, day(4), 3),
        (5, 30, day(4), 3),
    )
    s = scores(
        # alpha: flow weak now and dropped 2.0 -> 1.5; quality dropped 2.5 -> 2.0
        (1, 2, 2.0),
        (1, 3, 2.5),
        (2, 2, 1.5),
        (2, 3, 2.0),
        # bravo: flow weak and dropped 2.0 -> 1.67; quality dropped only 0.2
        (3, 2, 2.0),
        (3, 3, 2.2),
        (4, 2, 1.67),
        (4, 3, 2.0),
        # charlie: one round only, flow fine, collaboration weak
        (5, 2, 2.0),
        (5, 1, 1.0),
    )
    patterns = coaching.weak_or_declining(r, s, DIMS)
    summary = [(p.dimension.slug, p.teams, p.weak, p.declining) for p in patterns]
    assert summary == [
        ("flow", 3, 2, 2),
        ("collaboration", 1, 1, 0),
        ("quality", 2, 0, 1),
    ]


def test_declining_needs_both_means_shown() -> None:
    r = rounds((1, 10, day(1), 3), (2, 10, day(4), 3))
    s = scores((1, 2, 3.0, 2), (2, 2, 2.0, 3))  # the earlier mean had 2 levels
    assert coaching.weak_or_declining(r, s, DIMS) == []


def test_declining_skips_a_round_below_its_minimum() -> None:
    # The round in between had 2 answers: the comparison is with the one before.
    r = rounds((1, 10, day(1), 3), (2, 10, day(3), 2), (3, 10, day(5), 3))
    s = scores((1, 2, 2.5), (2, 2, 1.0, 2), (3, 2, 2.0))
    [pattern] = coaching.weak_or_declining(r, s, DIMS)
    assert (pattern.dimension.slug, pattern.weak, pattern.declining) == ("flow", 0, 1)


# Check-ins --------------------------------------------------------------------------


def test_checkins_count_teams_by_most_common_and_pool_answers() -> None:
    r = rounds(
        (1, 10, day(1), 4),
        (2, 20, day(1), 4),
        (3, 30, day(1), 4),
        (4, 40, day(1), 4),
        (5, 10, day(0 + 1, 1, 2025), 5),  # an older alpha round: ignored
    )
    c = frame(
        [
            (1, "performing", 3),
            (1, "underperforming", 1),
            (2, "underperforming", 2),
            (2, "high-performing", 2),
            (3, "performing", 2),  # only 2 gave one: hidden
            (4, "high-performing", 3),
            (4, "", 1),
            (5, "underperforming", 5),
        ],
        CHECKIN_COLUMNS,
    )
    summary = coaching.checkin_summary(r, c)
    assert summary.teams_by_checkin == {
        "underperforming": 0,
        "performing": 1,
        "high-performing": 1,
        "split": 1,
    }
    assert summary.answers_by_checkin == {
        "underperforming": 3,
        "performing": 3,
        "high-performing": 5,
    }
    assert (summary.teams, summary.teams_hidden, summary.answers) == (3, 1, 11)


def test_checkins_with_no_rows() -> None:
    summary = coaching.checkin_summary(rounds(), frame([], CHECKIN_COLUMNS))
    assert (summary.teams, summary.teams_hidden, summary.answers) == (0, 0, 0)


# Movement ---------------------------------------------------------------------------


def test_movement_averages_team_means_per_quarter() -> None:
    r = rounds(
        (1, 10, day(2), 3),
        (2, 10, day(3), 3),  # same quarter, later: this one counts
        (3, 20, day(2), 3),
        (4, 10, day(5), 3),
        (5, 20, day(8), 3),
        (6, 20, day(11), 2),  # below its minimum
    )
    s = scores(
        (1, 2, 1.0),
        (2, 2, 2.0),
        (3, 2, 1.0),
        (4, 2, 2.5),
        (5, 2, 1.5),
        (6, 2, 3.0),
        (4, 1, 2.0, 2),  # hidden: 2 levels
    )
    move = coaching.movement(r, s, DIMS)
    assert move.periods == ["2026 Q1", "2026 Q2", "2026 Q3"]
    assert move.teams_per_period == [2, 1, 1]
    [flow] = move.rows
    assert flow.dimension.slug == "flow"
    cells = [(c.mean, c.teams, c.change, c.direction) for c in flow.cells]
    assert cells == [
        (1.5, 2, None, ""),
        (2.5, 1, 1.0, "up"),
        (1.5, 1, -1.0, "down"),
    ]


def test_movement_keeps_the_last_quarters() -> None:
    r = rounds(*[(i, 10, day(1, 1, 2020 + i), 3) for i in range(1, 6)])
    s = scores(*[(i, 1, 2.0) for i in range(1, 6)])
    move = coaching.movement(r, s, DIMS, quarters=2)
    assert move.periods == ["2024 Q1", "2025 Q1"]


def test_movement_with_no_rounds() -> None:
    move = coaching.movement(rounds(), scores(), DIMS)
    assert (move.periods, move.rows) == ([], [])
