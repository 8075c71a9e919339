"""The figures kept at release (issue 13 item 6): counts per round, perspective and
dimension, written in the release's transaction, changed after a reopen only when
at least the minimum of new answers came out, filled in for rounds released
before they existed."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from assessments import services, tallies
from assessments.models import DimensionFigure, Round, RoundFigure
from assessments.packed import unpack_levels
from teams.models import Membership, Team
from tests.factories import add_response, make_round

backfill = importlib.import_module(
    "assessments.migrations.0009_released_figures"
).backfill_figures

pytestmark = pytest.mark.django_db


def _team_round(size: int, minimum: int = 3) -> tuple[Round, list[User]]:
    creator = User.objects.create_user("creator")
    team = services.team_start(name="Tally", description="", creator=creator)
    users = [creator]
    for i in range(size - 1):
        user = User.objects.create_user(f"member-{i}")
        Membership.objects.create(team=team, user=user)
        users.append(user)
    round = services.round_create(
        team=team,
        title="R",
        dimensions=list(team.dimensions.active()[:2]),
        closes_at=None,
        min_responses=minimum,
    )
    services.round_open(round=round, actor=creator)
    return round, users


def _answer(round: Round, user: User, levels: list[int | None], checkin: str) -> None:
    dims = list(round.dimensions.order_by("position"))
    services.member_response_submit(
        round=round,
        user=user,
        answers=services.Answers(
            ratings=[
                services.RatingAnswer(dimension=d, level=level)
                for d, level in zip(dims, levels, strict=True)
            ],
            checkin=checkin,
        ),
    )


def _figures(round: Round) -> tuple[list[Any], list[Any]]:
    groups = list(
        RoundFigure.objects.filter(round=round)
        .order_by("perspective")
        .values_list(
            "perspective",
            "responses",
            "checkin_underperforming",
            "checkin_performing",
            "checkin_high_performing",
        )
    )
    dims = list(
        DimensionFigure.objects.filter(round=round)
        .order_by("dimension__position", "perspective")
        .values_list(
            "dimension__position",
            "builtin_id",
            "perspective",
            "level_1",
            "level_2",
            "level_3",
            "dont_know",
        )
    )
    return groups, dims


def test_nothing_is_counted_while_answers_are_sealed() -> None:
    round, users = _team_round(3)
    _answer(round, users[0], [1, 2], "performing")
    assert not RoundFigure.objects.exists()
    assert not DimensionFigure.objects.exists()


def test_closing_keeps_the_counts_of_the_released_answers() -> None:
    round, users = _team_round(4)
    _answer(round, users[0], [1, 3], "performing")
    _answer(round, users[1], [1, None], "performing")
    _answer(round, users[2], [2, 3], "high-performing")
    _answer(round, users[3], [None, 3], "")
    services.round_close(round=round, actor=None)
    groups, dims = _figures(round)
    assert groups == [("team", 4, 0, 2, 1)]
    first, second = round.dimensions.order_by("position")
    assert dims == [
        (1, first.builtin_id, "team", 2, 1, 0, 1),
        (2, second.builtin_id, "team", 0, 0, 3, 1),
    ]
    # Counts only: one row per round and perspective, one per dimension.
    assert RoundFigure.objects.count() == 1
    assert DimensionFigure.objects.count() == 2


def test_after_a_reopen_figures_change_only_with_the_minimum_of_new_answers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    round, users = _team_round(8)
    for user in users[:3]:
        _answer(round, user, [2, 2], "performing")
    services.round_close(round=round, actor=None)
    before = _figures(round)
    services.round_open(round=round, actor=None)
    for user in users[3:5]:  # two new answers: fewer than the minimum
        _answer(round, user, [1, 1], "underperforming")
    services.round_close(round=round, actor=None)
    assert _figures(round) == before
    services.round_open(round=round, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        _answer(round, users[5], [1, 1], "underperforming")  # the third: a batch
    groups, dims = _figures(round)
    assert groups == [("team", 6, 3, 3, 0)]
    assert [d[3:] for d in dims] == [(3, 3, 0, 0), (3, 3, 0, 0)]


def test_the_figures_match_recounting_the_rows() -> None:
    round, users = _team_round(5)
    for i, user in enumerate(users):
        _answer(round, user, [1 + i % 3, None if i == 2 else 3], "")
    services.round_close(round=round, actor=None)
    kept = _figures(round)
    tallies.keep_for([round.pk])
    assert _figures(round) == kept


def test_the_migration_fills_in_rounds_released_before(team: Team) -> None:
    old = make_round(team, state=Round.State.CLOSED, dimensions=2)
    for levels in ([1, 2], [3, None], [3, 3]):
        add_response(old, levels, checkin="performing")
    add_response(old, [2, 2], perspective="stakeholder", relationship="Customer")
    kept = _figures(old)
    RoundFigure.objects.all().delete()
    DimensionFigure.objects.all().delete()
    backfill(apps, None)
    assert _figures(old) == kept
    assert kept[0] == [("stakeholder", 1, 0, 0, 0), ("team", 3, 0, 3, 0)]
    assert [d[2:] for d in kept[1]] == [
        ("stakeholder", 0, 1, 0, 0),
        ("team", 1, 0, 2, 0),
        ("stakeholder", 0, 1, 0, 0),
        ("team", 0, 1, 1, 1),
    ]


pack = importlib.import_module(
    "assessments.migrations.0010_round_figure_builtin_levels"
).pack_levels_of_kept_figures


def _packed(round: Round) -> dict[str, list[tuple[int, int, int, int]]]:
    return {
        perspective: unpack_levels(text)
        for perspective, text in RoundFigure.objects.filter(round=round).values_list(
            "perspective", "builtin_levels"
        )
    }


def _built_in_figures(round: Round) -> dict[str, list[tuple[int, int, int, int]]]:
    found: dict[str, list[tuple[int, int, int, int]]] = {}
    for perspective, *levels in (
        DimensionFigure.objects.filter(round=round, builtin__isnull=False)
        .order_by("builtin_id", "dimension_id")
        .values_list("perspective", "builtin_id", "level_1", "level_2", "level_3")
    ):
        found.setdefault(perspective, []).append(tuple(levels))  # type: ignore[arg-type]
    return found


def test_each_round_figure_packs_its_built_in_dimensions(team: Team) -> None:
    """The coach's dashboard reads one row per round and perspective: the packed
    tallies are exactly the dimension figures of the built-in dimensions."""
    round = make_round(team, state=Round.State.CLOSED, dimensions=3)
    for levels in ([1, 2, None], [3, None, 2], [3, 3, 2]):
        add_response(round, levels)
    add_response(round, [2, 2, 1], perspective="stakeholder", relationship="Peer")
    packed = _packed(round)
    assert packed == _built_in_figures(round)
    assert [levels[1:] for levels in packed["team"]] == [
        (1, 0, 2),
        (0, 1, 1),
        (0, 2, 0),
    ]
    assert [levels[1:] for levels in packed["stakeholder"]] == [
        (0, 1, 0),
        (0, 1, 0),
        (1, 0, 0),
    ]


def test_the_migration_packs_the_figures_kept_before(team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=2)
    for levels in ([1, 2], [3, None], [3, 3]):
        add_response(round, levels)
    kept = _packed(round)
    assert kept["team"]
    RoundFigure.objects.update(builtin_levels="")
    pack(apps, None)
    assert _packed(round) == kept
