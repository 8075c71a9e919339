"""Rows fetched from the database for the figures."""

from __future__ import annotations

import pytest

from assessments.models import Response
from reports.assembly import figures_for_rounds
from reports.selectors import fetch_rating_rows
from teams.models import Team
from tests.factories import add_response, make_round

STAKEHOLDER = Response.Perspective.STAKEHOLDER


def test_rating_rows_are_counted_in_the_database(team: Team) -> None:
    round = make_round(team, dimensions=2)
    for levels in ([1, 2], [1, None], [3, 2]):
        add_response(round, levels)
    rows = fetch_rating_rows([round.pk])
    first = rows[rows["dimension_id"] == round.dimensions.get(position=1).pk]
    assert sorted(zip(first["level"], first["n"], strict=True)) == [(1, 2), (3, 1)]
    assert rows["n"].sum() == 6
    assert set(rows["perspective"]) == {"team"}


def test_figures_apply_the_minimum(team: Team) -> None:
    round = make_round(team, dimensions=2, min_responses=3)
    for levels in ([1, 2], [2, 2], [3, 2]):
        add_response(round, levels, checkin="performing")
    for _ in range(2):
        add_response(round, [1, 1], perspective=STAKEHOLDER, relationship="Customer")
    figures = figures_for_rounds([round])
    assert set(figures.stats["perspective"]) == {"team"}
    first = figures.stats[
        figures.stats["dimension_id"] == figures.dimensions.iloc[0, 0]
    ]
    assert first["mean"].tolist() == [2.0]
    assert figures.checkins["performing"].tolist() == [3]
    assert figures.gaps.empty
    assert figures.dimensions["label"].tolist()[0] == "Collaboration & Communication"


def test_figures_take_three_queries_whatever_the_number_of_rounds(
    team: Team, django_assert_num_queries: pytest.FixtureRequest
) -> None:
    rounds = []
    for i in range(4):
        round = make_round(team, title=f"R{i}", state="closed", dimensions=3)
        for _ in range(i + 3):
            add_response(round, [1, 2, 3], checkin="performing")
        rounds.append(round)
    with django_assert_num_queries(3):
        figures = figures_for_rounds(rounds)
    assert len(figures.stats) == 4 * 3
    assert len(set(figures.keys().values())) == 3
