"""``coach.patterns.dashboard`` (plain Python over the rows, with the tallies packed
as kept at release) gives exactly the figures of the pandas functions it replaces on
the dashboard (``heatmap``, ``heat_summary``, ``weak_or_declining``,
``checkin_summary``, ``movement``), on random teams: rounds below and above their
minimum (minimums 1 to 6), few or no stakeholders, dimensions rated by too few,
nearly unanimous tallies, missing check-ins, several rounds a quarter and teams
without a round. No database."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from assessments.packed import pack_levels, unpack_levels
from coach import patterns
from reports.figures import frame

DIMS = [patterns.Dimension(b, f"dim-{b}", f"Dimension {b}") for b in range(1, 13)]
START = datetime(2024, 1, 1, tzinfo=UTC)


def _tally(rng: random.Random, answered: int) -> tuple[int, int, int]:
    if rng.random() < 0.3:  # nearly unanimous
        level = rng.randint(0, 2)
        counts = [0, 0, 0]
        counts[level] = answered - rng.randint(0, min(1, answered))
        return counts[0], counts[1], counts[2]
    counts = [0, 0, 0]
    for _ in range(answered):
        if rng.random() > 0.1:  # some say "don't know"
            counts[rng.randint(0, 2)] += 1
    return counts[0], counts[1], counts[2]


def _data(
    seed: int,
) -> tuple[
    list[patterns.SharedTeam],
    list[patterns.ClosedRound],
    dict[int, tuple[int, int, int]],
    dict[str, dict[int, str]],
]:
    rng = random.Random(seed)
    names = ["Alpha", "alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]
    teams = [
        patterns.SharedTeam(i, rng.choice(names), f"code-{i:03d}", rng.random() < 0.5)
        for i in range(1, rng.randint(2, 12))
    ]
    rounds: list[patterns.ClosedRound] = []
    checkins: dict[int, tuple[int, int, int]] = {}
    levels: dict[str, dict[int, str]] = {patterns.TEAM: {}, patterns.STAKEHOLDER: {}}
    round_id = 0
    for team in teams:
        for _ in range(rng.randint(0, 7)):
            round_id += 1
            minimum = rng.randint(1, 6)
            team_n = rng.randint(0, 9)
            stakeholder_n = rng.choice([0, 2, 3, 5, 8])
            closed_at = START + timedelta(
                days=rng.randint(0, 900), hours=rng.choice([0, rng.random()])
            )
            rounds.append(
                patterns.ClosedRound(
                    round_id,
                    team.team_id,
                    f"Round {round_id}",
                    closed_at,
                    minimum,
                    team_n,
                    stakeholder_n,
                )
            )
            given = rng.randint(0, team_n)
            split = sorted(rng.randint(0, given) for _ in range(2))
            checkins[round_id] = (split[0], split[1] - split[0], given - split[1])
            for perspective, answered in (
                (patterns.TEAM, team_n),
                (patterns.STAKEHOLDER, stakeholder_n),
            ):
                if not answered:
                    continue
                rated = sorted(rng.sample(range(1, 13), rng.randint(1, 12)))
                levels[perspective][round_id] = pack_levels(
                    (b, *_tally(rng, answered)) for b in rated
                )
    return teams, rounds, checkins, levels


def _frames(
    rounds: list[patterns.ClosedRound],
    checkins: dict[int, tuple[int, int, int]],
    levels: dict[str, dict[int, str]],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The same rows as the frames the pandas functions take (as the selectors
    build them)."""
    rounds_frame = frame([tuple(r) for r in rounds], patterns.ROUND_COLUMNS)
    rounds_frame["closed_at"] = pd.to_datetime(rounds_frame["closed_at"], utc=True)
    numbers = [c for c in patterns.ROUND_COLUMNS if c not in ("title", "closed_at")]
    rounds_frame = rounds_frame.astype(dict.fromkeys(numbers, np.int64))
    score_rows = [
        (round_id, b, perspective, one, two, three)
        for perspective, packed in levels.items()
        for round_id, text in packed.items()
        for b, one, two, three in unpack_levels(text)
    ]
    values = np.asarray([r[3:] for r in score_rows], dtype=float).reshape(-1, 3)
    rated = values.sum(axis=1)
    weighted = values @ np.array([1.0, 2.0, 3.0])
    mean = np.divide(weighted, rated, out=np.full_like(rated, np.nan), where=rated > 0)
    scores = pd.DataFrame(
        {
            "round_id": np.asarray([r[0] for r in score_rows], dtype=np.int64),
            "builtin_id": np.asarray([r[1] for r in score_rows], dtype=np.int64),
            "perspective": [r[2] for r in score_rows],
            "rated": rated.astype(np.int64),
            "mean": mean,
            **{f"level_{i + 1}": values[:, i].astype(np.int64) for i in range(3)},
        }
    )
    checkin_frame = frame(
        [
            (round_id, checkin, n)
            for round_id, counts in checkins.items()
            for checkin, n in zip(patterns.CHECKINS, counts, strict=True)
            if n
        ],
        patterns.CHECKIN_COLUMNS,
    )
    return rounds_frame, scores, checkin_frame


def _same_movement(fast: patterns.Movement, reference: patterns.Movement) -> None:
    assert fast.periods == reference.periods
    assert fast.teams_per_period == reference.teams_per_period
    assert [r.dimension for r in fast.rows] == [r.dimension for r in reference.rows]
    for row, expected in zip(fast.rows, reference.rows, strict=True):
        for cell, other in zip(row.cells, expected.cells, strict=True):
            assert cell.teams == other.teams
            assert (cell.mean is None) == (other.mean is None)
            assert (cell.change is None) == (other.change is None)
            if cell.mean is not None:
                assert cell.mean == pytest.approx(other.mean, abs=1e-12)
            if cell.change is not None:
                assert cell.change == pytest.approx(other.change, abs=1e-12)
            assert cell.direction == other.direction


@pytest.mark.parametrize("seed", range(60))
def test_the_fast_dashboard_is_the_reference(seed: int) -> None:
    teams, rounds, checkins, levels = _data(seed)
    rounds_frame, scores, checkin_frame = _frames(rounds, checkins, levels)
    fast = patterns.dashboard(teams, rounds, checkins, levels, DIMS)
    for perspective, heat, summary in (
        (patterns.TEAM, fast.team_heatmap, fast.team_summary),
        (patterns.STAKEHOLDER, fast.stakeholder_heatmap, fast.stakeholder_summary),
    ):
        assert heat == patterns.heatmap(teams, rounds_frame, scores, DIMS, perspective)
        assert summary == patterns.heat_summary(
            teams, rounds_frame, scores, DIMS, perspective
        )
    assert fast.patterns == patterns.weak_or_declining(rounds_frame, scores, DIMS)
    assert fast.checkins == patterns.checkin_summary(rounds_frame, checkin_frame)
    _same_movement(fast.movement, patterns.movement(rounds_frame, scores, DIMS))


def test_the_random_teams_reach_every_case() -> None:
    """The seeds above are not all alike: hidden and shown rows, masked cells,
    flagged dimensions, hidden check-ins and several quarters all occur."""
    seen: set[str] = set()
    for seed in range(60):
        fast = patterns.dashboard(*_data(seed), DIMS)
        if fast.team_heatmap.rows:
            seen.add("rows")
        if fast.stakeholder_heatmap.missing and fast.stakeholder_heatmap.rows:
            seen.add("stakeholders hidden")
        cells = [c for r in fast.team_heatmap.rows for c in r.cells]
        if any(c.median is not None for c in cells):
            seen.add("median")
        if any(c.mean is not None for c in cells):
            seen.add("mean")
        if any(c is patterns.EMPTY_CELL for c in cells):
            seen.add("empty")
        if any(p.declining for p in fast.patterns):
            seen.add("declining")
        if any(p.weak for p in fast.patterns):
            seen.add("weak")
        if fast.checkins.teams_hidden:
            seen.add("checkins hidden")
        if fast.checkins.answers_by_checkin:
            seen.add("checkins pooled")
        if len(fast.movement.periods) > 3:
            seen.add("quarters")
    assert seen == {
        "rows",
        "stakeholders hidden",
        "median",
        "mean",
        "empty",
        "declining",
        "weak",
        "checkins hidden",
        "checkins pooled",
        "quarters",
    }
