"""The coach figures (``coach.patterns.dashboard``), from hand-built rows, without
the database. A tally is (how many gave level 1, 2, 3); at the floor minimum of 3
a mean is shown outside the team only when every level given was given by at
least 3 and at least 3 gave another level than the most common one (rule 4),
otherwise the heatmap shows the median."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from assessments.packed import pack_levels
from coach.patterns import (
    STAKEHOLDER,
    TEAM,
    ClosedRound,
    DashboardPatterns,
    Dimension,
    HeatCell,
    SharedTeam,
    dashboard,
)

DIMS = [
    Dimension(1, "collaboration", "Collaboration"),
    Dimension(2, "flow", "Flow"),
    Dimension(3, "quality", "Quality"),
]
ALPHA = SharedTeam(10, "alpha", "a-code", include_notes=True)
BRAVO = SharedTeam(20, "Bravo", "b-code", include_notes=True)
CHARLIE = SharedTeam(30, "Charlie", "c-code", include_notes=False)
DELTA = SharedTeam(40, "Delta", "d-code", include_notes=True)
TEAMS = [ALPHA, BRAVO, CHARLIE, DELTA]

Tally = tuple[int, int, int]


def day(month: int, d: int = 1, year: int = 2026) -> datetime:
    return datetime(year, month, d, tzinfo=UTC)


def rounds(*rows: tuple[Any, ...]) -> list[ClosedRound]:
    """(round_id, team_id, closed_at, team_responses[, stakeholders[, min]])"""
    full = []
    for row in rows:
        round_id, team_id, closed_at, team_n, *rest = row
        stakeholders = rest[0] if rest else 0
        minimum = rest[1] if len(rest) > 1 else 3
        full.append(
            ClosedRound(
                int(round_id),
                int(team_id),
                f"R{round_id}",
                closed_at,
                int(minimum),
                int(team_n),
                int(stakeholders),
            )
        )
    return full


def tallies(*rows: tuple[Any, ...]) -> dict[str, dict[int, str]]:
    """(round_id, builtin_id, tally[, perspective]) as the dashboard reads them."""
    found: dict[str, dict[int, list[tuple[int, int, int, int]]]] = {
        TEAM: {},
        STAKEHOLDER: {},
    }
    for row in rows:
        round_id, builtin_id, tally, *rest = row
        perspective = str(rest[0]) if rest else TEAM
        one, two, three = tally
        found[perspective].setdefault(int(round_id), []).append(
            (int(builtin_id), one, two, three)
        )
    return {
        perspective: {r: pack_levels(words) for r, words in by_round.items()}
        for perspective, by_round in found.items()
    }


def run(
    closed: Sequence[ClosedRound],
    levels: Mapping[str, Mapping[int, str]] | None = None,
    checkins: Mapping[int, Tally] | None = None,
    teams: Sequence[SharedTeam] = TEAMS,
    quarters: int = 8,
) -> DashboardPatterns:
    return dashboard(
        teams, closed, checkins or {}, levels or {}, DIMS, quarters=quarters
    )


# Rounds and minimums ----------------------------------------------------------------


def test_latest_round_is_the_latest_that_meets_its_minimum() -> None:
    r = rounds((1, 10, day(1), 5), (2, 10, day(4), 4), (3, 10, day(7), 2))
    [row] = run(r, teams=[ALPHA]).team_heatmap.rows
    assert (row.round_title, row.closed_at, row.responses) == ("R2", day(4), 4)


def test_a_team_with_no_qualifying_round_has_no_latest_round() -> None:
    r = rounds((1, 10, day(1), 2), (2, 20, day(1), 3, 0, 4))
    heat = run(r, teams=[ALPHA, BRAVO]).team_heatmap
    assert heat.rows == []
    assert heat.missing == [ALPHA, BRAVO]


def test_means_hide_a_dimension_fewer_than_the_minimum_rated() -> None:
    r = rounds((1, 10, day(1), 8, 0, 4))
    levels = tallies((1, 1, (4, 4, 0)), (1, 2, (0, 3, 0)))
    [row] = run(r, levels, teams=[ALPHA]).team_heatmap.rows
    assert [c.mean for c in row.cells] == [1.5, None, None]


def test_a_nearly_unanimous_tally_shows_its_median_not_its_mean() -> None:
    r = rounds((1, 10, day(1), 6))
    levels = tallies((1, 1, (0, 0, 3)), (1, 2, (3, 0, 3)), (1, 3, (0, 1, 5)))
    [row] = run(r, levels, teams=[ALPHA]).team_heatmap.rows
    assert [c.text for c in row.cells] == ["~3", "2.0", "~3"]
    assert [c.band for c in row.cells] == ["heat-3", "heat-2", "heat-3"]


def test_stakeholder_means_need_enough_stakeholders() -> None:
    r = rounds((1, 10, day(1), 5, 2), (2, 20, day(1), 5, 6))
    levels = tallies((1, 1, (0, 2, 0), STAKEHOLDER), (2, 1, (3, 0, 3), STAKEHOLDER))
    found = run(r, levels, teams=[ALPHA, BRAVO])
    [row] = found.stakeholder_heatmap.rows
    assert (row.team, row.cells[0].mean) == (BRAVO, 2.0)
    assert found.stakeholder_heatmap.missing == [ALPHA]
    assert all(c.mean is None for r in found.team_heatmap.rows for c in r.cells)


# Heatmap ----------------------------------------------------------------------------


def test_heatmap_lists_teams_by_name_with_latest_round_means() -> None:
    r = rounds((1, 20, day(1), 9), (2, 20, day(4), 9), (3, 10, day(2), 9))
    levels = tallies(
        (1, 1, (3, 0, 3)),  # Bravo's older round: not shown
        (2, 1, (0, 3, 6)),
        (2, 3, (6, 3, 0)),
        (3, 2, (0, 3, 3)),
    )
    heat = run(r, levels, teams=[BRAVO, ALPHA, CHARLIE]).team_heatmap
    assert [row.team.name for row in heat.rows] == ["alpha", "Bravo"]
    alpha, bravo = heat.rows
    assert [c.mean for c in alpha.cells] == [None, 2.5, None]
    assert [c.mean for c in bravo.cells] == [pytest.approx(8 / 3), None, 4 / 3]
    assert [c.text for c in bravo.cells] == ["2.7", "\u2013", "1.3"]
    assert (bravo.round_title, bravo.closed_at, bravo.responses) == ("R2", day(4), 9)
    assert heat.missing == [CHARLIE]


def test_heatmap_order_ignores_scores() -> None:
    r = rounds((1, 10, day(1), 6), (2, 20, day(1), 6))
    high_first = run(
        r, tallies((1, 1, (3, 3, 0)), (2, 1, (0, 3, 3))), teams=[ALPHA, BRAVO]
    )
    low_first = run(
        r, tallies((1, 1, (0, 3, 3)), (2, 1, (3, 3, 0))), teams=[ALPHA, BRAVO]
    )
    names = [row.team.name for row in high_first.team_heatmap.rows]
    assert names == [row.team.name for row in low_first.team_heatmap.rows]
    assert names == ["alpha", "Bravo"]


def test_stakeholder_heatmap_leaves_out_teams_with_too_few_stakeholders() -> None:
    r = rounds((1, 10, day(1), 3, 2), (2, 20, day(1), 3, 6))
    levels = tallies((1, 1, (0, 2, 0), STAKEHOLDER), (2, 1, (3, 3, 0), STAKEHOLDER))
    heat = run(r, levels, teams=[ALPHA, BRAVO]).stakeholder_heatmap
    assert [row.team for row in heat.rows] == [BRAVO]
    assert heat.rows[0].responses == 6
    assert heat.rows[0].cells[0].mean == 1.5
    assert heat.missing == [ALPHA]


def test_the_summary_counts_the_heatmap_cells_per_band() -> None:
    r = rounds((1, 10, day(1), 6), (2, 20, day(1), 6), (3, 30, day(1), 2))
    levels = tallies((1, 1, (3, 3, 0)), (1, 2, (0, 3, 3)), (2, 1, (3, 3, 0)))
    summary = run(r, levels, teams=[ALPHA, BRAVO, CHARLIE]).team_summary
    assert (summary.teams, summary.missing) == (2, 1)
    assert [(row.dimension.slug, row.counts) for row in summary.rows] == [
        ("collaboration", (0, 2, 0, 0)),
        ("flow", (0, 0, 1, 1)),
        ("quality", (0, 0, 0, 2)),
    ]


@pytest.mark.parametrize(
    ("mean", "band"),
    [
        (None, "heat-none"),
        (1.0, "heat-1"),
        (1.49, "heat-1"),
        (1.5, "heat-2"),
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
        (1, 10, day(1), 15),
        (2, 10, day(4), 15),
        (3, 20, day(1), 15),
        (4, 20, day(4), 15),
        (5, 30, day(4), 15),
    )
    levels = tallies(
        # alpha: flow weak now and dropped 2.0 -> 1.5; quality dropped 2.5 -> 2.0
        (1, 2, (3, 0, 3)),
        (1, 3, (0, 3, 3)),
        (2, 2, (3, 3, 0)),
        (2, 3, (3, 0, 3)),
        # bravo: flow weak and dropped 2.0 -> 1.67; quality dropped only 0.2
        (3, 2, (3, 0, 3)),
        (3, 3, (3, 6, 6)),
        (4, 2, (3, 6, 0)),
        (4, 3, (3, 3, 3)),
        # charlie: one round only, flow fine, collaboration weak
        (5, 2, (3, 0, 3)),
        (5, 1, (3, 0, 0)),
    )
    patterns = run(r, levels).patterns
    summary = [(p.dimension.slug, p.teams, p.weak, p.declining) for p in patterns]
    assert summary == [
        ("flow", 3, 2, 2),
        ("collaboration", 1, 1, 0),
        ("quality", 2, 0, 1),
    ]


def test_declining_needs_both_means_shown() -> None:
    r = rounds((1, 10, day(1), 3), (2, 10, day(4), 3))
    levels = tallies((1, 2, (0, 0, 2)), (2, 2, (0, 3, 0)))  # the earlier: 2 rated
    assert run(r, levels).patterns == []


def test_declining_skips_a_round_below_its_minimum() -> None:
    # The round in between had 2 answers: the comparison is with the one before.
    r = rounds((1, 10, day(1), 6), (2, 10, day(3), 2), (3, 10, day(5), 6))
    levels = tallies((1, 2, (0, 3, 3)), (2, 2, (2, 0, 0)), (3, 2, (3, 0, 3)))
    [pattern] = run(r, levels).patterns
    assert (pattern.dimension.slug, pattern.weak, pattern.declining) == ("flow", 0, 1)


# Check-ins --------------------------------------------------------------------------


def test_checkins_count_teams_by_most_common_and_pool_answers() -> None:
    r = rounds(
        (1, 10, day(1), 4),
        (2, 20, day(1), 4),
        (3, 30, day(1), 4),
        (4, 40, day(1), 4),
        (5, 10, day(1, 1, 2025), 5),  # an older alpha round: ignored
    )
    checkins = {
        1: (1, 3, 0),
        2: (2, 0, 2),
        3: (0, 2, 0),  # only 2 gave one: hidden
        4: (0, 0, 3),  # (and one gave none)
        5: (5, 0, 0),
    }
    summary = run(r, checkins=checkins).checkins
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


def test_pooled_checkins_are_hidden_when_nearly_all_the_same() -> None:
    r = rounds((1, 10, day(1), 4), (2, 20, day(1), 4))
    summary = run(r, checkins={1: (0, 3, 0), 2: (0, 3, 1)}).checkins
    assert summary.teams_by_checkin["performing"] == 2
    assert summary.answers_by_checkin == {}
    assert summary.answers_hidden


def test_checkins_with_no_rows() -> None:
    summary = run([]).checkins
    assert (summary.teams, summary.teams_hidden, summary.answers) == (0, 0, 0)


# Movement ---------------------------------------------------------------------------


def test_movement_averages_team_means_per_quarter() -> None:
    r = rounds(
        (1, 10, day(2), 6),
        (2, 10, day(3), 6),  # same quarter, later: this one counts
        (3, 20, day(2), 6),
        (4, 10, day(5), 6),
        (5, 20, day(8), 6),
        (6, 20, day(11), 2),  # below its minimum
    )
    levels = tallies(
        (1, 2, (3, 0, 0)),
        (2, 2, (0, 3, 0)),
        (3, 2, (3, 0, 0)),
        (4, 2, (0, 3, 3)),
        (5, 2, (3, 3, 0)),
        (6, 2, (0, 0, 2)),
        (4, 1, (0, 2, 0)),  # hidden: 2 levels
    )
    move = run(r, levels).movement
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
    levels = tallies(*[(i, 1, (0, 3, 0)) for i in range(1, 6)])
    move = run(r, levels, quarters=2).movement
    assert move.periods == ["2024 Q1", "2025 Q1"]


def test_movement_with_no_rounds() -> None:
    move = run([]).movement
    assert (move.periods, move.rows) == ([], [])
