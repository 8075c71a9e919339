"""Properties of the disclosure rules over random rounds (hypothesis). No database.

For random rounds — team sizes, stakeholders in random relationship groups (some
giving none), "don't know" answers, check-ins left out, minimums from 1 to 6 — every
pair of nested aggregates one viewer can see differs by 0 or by at least the
minimum, and nothing shown is over fewer than the minimum. Bounded by the "ci"
profile in ``tests/conftest.py`` (50 examples, no deadline).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from assessments import disclosure
from reports import figures

LABELS = ["", "Leadership", "Customer", "Peer", "Adjacent team"]
LEVEL = st.sampled_from([1, 2, 3, None])  # None: "don't know"
CHECKIN = st.sampled_from([*figures.CHECKINS, ""])


@st.composite
def answer(draw: st.DrawFn, perspective: str) -> tuple[str, str, list[int | None], str]:
    relationship = (
        draw(st.sampled_from(LABELS)) if perspective == figures.STAKEHOLDER else ""
    )
    levels = draw(st.lists(LEVEL, min_size=2, max_size=2))
    return perspective, relationship, levels, draw(CHECKIN)


@st.composite
def round_answers(
    draw: st.DrawFn,
) -> tuple[int, list[tuple[str, str, list[int | None], str]]]:
    minimum = draw(st.integers(min_value=1, max_value=6))
    team = draw(st.lists(answer(figures.TEAM), max_size=12))
    stakeholders = draw(st.lists(answer(figures.STAKEHOLDER), max_size=20))
    return minimum, team + stakeholders


def _frames(
    answers: Iterable[tuple[str, str, list[int | None], str]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    answers = list(answers)
    responses = figures.frame(
        [(1, p, r, c) for p, r, _levels, c in answers],
        ["round_id", "perspective", "relationship", "checkin"],
        single_answers=True,
    )
    ratings = figures.frame(
        [
            (1, 10 + i, p, r, level)
            for p, r, levels, _c in answers
            for i, level in enumerate(levels)
        ],
        ["round_id", "dimension_id", "perspective", "relationship", "level"],
        single_answers=True,
    )
    return responses, ratings


def _figures(
    responses: pd.DataFrame, ratings: pd.DataFrame, minimum: int
) -> figures.Figures:
    return figures.compute(
        dimensions=pd.DataFrame({"dimension_id": [], "key": []}),
        ratings=ratings,
        responses=responses,
        minimums={1: minimum},
    )


def _assert_nested_ok(total: int, shown: dict[str, int], minimum: int) -> None:
    """The stakeholders' aggregate and the shown relationship groups inside it."""
    k = disclosure.effective_minimum(minimum)
    if not shown:
        return  # only the total is seen: no pair to compare
    assert total >= k
    for name, n in shown.items():
        assert n >= k, name
        assert disclosure.differ_enough(total, n, minimum), (total, name, n)
    rest = total - sum(shown.values())
    assert rest == 0 or rest >= k, (total, shown)


@given(round_answers())
def test_group_sizes_never_reveal_fewer_than_the_minimum(
    case: tuple[int, list[tuple[str, str, list[int | None], str]]],
) -> None:
    minimum, answers = case
    responses, _ratings = _frames(answers)
    sizes = figures.group_sizes(responses, {1: minimum})
    shown = sizes[sizes["visible"]]
    for n in shown["responses"]:
        assert disclosure.meets_minimum(int(n), minimum)
    stakeholders = sizes[
        (sizes["perspective"] == figures.STAKEHOLDER)
        & (sizes["relationship"] == figures.ALL)
    ]
    total = int(stakeholders["responses"].iloc[0])
    groups = shown[shown["relationship"] != figures.ALL]
    if len(groups):
        assert bool(stakeholders["visible"].iloc[0])
    _assert_nested_ok(
        total,
        dict(zip(groups["relationship"], groups["responses"], strict=True)),
        minimum,
    )


@given(round_answers())
def test_turnout_and_report_hide_the_same_groups(
    case: tuple[int, list[tuple[str, str, list[int | None], str]]],
) -> None:
    minimum, answers = case
    responses, _ratings = _frames(answers)
    sizes = figures.group_sizes(responses, {1: minimum})
    labelled = sizes[sizes["relationship"] != figures.ALL]
    counts = dict(
        zip(labelled["relationship"], labelled["responses"].astype(int), strict=True)
    )
    total = sum(1 for p, *_ in answers if p == figures.STAKEHOLDER)
    # The turnout's rule, as stakeholders.services.turnout applies it.
    turnout = disclosure.visible_subgroups(total, counts, minimum)
    assert turnout == set(labelled.loc[labelled["visible"], "relationship"])


@given(round_answers())
def test_dimension_figures_never_reveal_fewer_than_the_minimum(
    case: tuple[int, list[tuple[str, str, list[int | None], str]]],
) -> None:
    minimum, answers = case
    responses, ratings = _frames(answers)
    stats = _figures(responses, ratings, minimum).stats
    shown = stats[stats["shown"]]
    for n in shown["rated"]:
        assert disclosure.meets_minimum(int(n), minimum)
    for _dimension, rows in shown.groupby("dimension_id"):
        overall = rows[
            (rows["perspective"] == figures.STAKEHOLDER)
            & (rows["relationship"] == figures.ALL)
        ]
        groups = rows[rows["relationship"] != figures.ALL]
        if groups.empty:
            continue
        assert len(overall) == 1
        _assert_nested_ok(
            int(overall["rated"].iloc[0]),
            dict(zip(groups["relationship"], groups["rated"].astype(int), strict=True)),
            minimum,
        )


@given(round_answers())
def test_checkins_never_reveal_fewer_than_the_minimum(
    case: tuple[int, list[tuple[str, str, list[int | None], str]]],
) -> None:
    minimum, answers = case
    responses, ratings = _frames(answers)
    table = _figures(responses, ratings, minimum).checkins
    table = table.assign(given=table[list(figures.CHECKINS)].sum(axis=1))
    for n in table["given"]:
        assert disclosure.meets_minimum(int(n), minimum)
    overall = table[
        (table["perspective"] == figures.STAKEHOLDER)
        & (table["relationship"] == figures.ALL)
    ]
    groups = table[table["relationship"] != figures.ALL]
    if not groups.empty:
        assert len(overall) == 1
        _assert_nested_ok(
            int(overall["given"].iloc[0]),
            dict(zip(groups["relationship"], groups["given"].astype(int), strict=True)),
            minimum,
        )


@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 12), st.integers(0, 12)),
        min_size=1,
        max_size=20,
    ),
    st.integers(min_value=1, max_value=6),
)
def test_tallies_shown_outside_the_team_tell_no_one_apart(
    tallies: list[tuple[int, int, int]], minimum: int
) -> None:
    k = disclosure.effective_minimum(minimum)
    for row in tallies:
        if disclosure.tally_shown_outside(row, minimum):
            assert all(c == 0 or c >= k for c in row)
            assert sum(row) - max(row) >= k  # no unanimity, nor "all but one"
        median = disclosure.median_level(row)
        if sum(row):
            assert median is not None
            assert 2 * sum(row[:median]) >= sum(row) > 2 * sum(row[: median - 1])
