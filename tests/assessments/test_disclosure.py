"""The disclosure rules on plain numbers. No database."""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessments import disclosure


def test_the_minimum_is_never_below_the_floor() -> None:
    assert disclosure.effective_minimum(1) == 3
    assert disclosure.effective_minimum(5) == 5
    assert disclosure.meets_minimum(2, 1) is False
    assert disclosure.meets_minimum(3, 1) is True
    assert disclosure.meets_minimum(4, 5) is False


def test_the_minimum_applies_to_columns() -> None:
    counts = pd.Series([0, 2, 3, 4, 5])
    minimums = pd.Series([3, 1, 3, 5, 5])
    assert disclosure.meets_minimum(counts, minimums).tolist() == [
        False,
        False,
        True,
        False,
        True,
    ]
    shown = disclosure.meets_minimum(np.array([2, 3]), np.array([3, 3]))
    assert shown.tolist() == [False, True]


def test_nested_aggregates_differ_by_nothing_or_the_minimum() -> None:
    assert disclosure.differ_enough(4, 4, 3)
    assert disclosure.differ_enough(7, 4, 3)
    assert not disclosure.differ_enough(4, 3, 3)
    assert not disclosure.differ_enough(3, 5, 3)
    assert not disclosure.differ_enough(5, 3, 1)  # the floor, not 1
    assert disclosure.differ_enough(
        pd.Series([4, 4, 6]), pd.Series([4, 3, 3]), 3
    ).tolist() == [True, False, True]


def test_subgroups_whose_rest_is_zero_or_enough_are_shown() -> None:
    assert disclosure.visible_subgroups(6, {"a": 3, "b": 3}, 3) == {"a", "b"}
    assert disclosure.visible_subgroups(9, {"a": 3, "b": 3}, 3) == {"a", "b"}


def test_the_smallest_subgroup_is_hidden_until_the_rest_is_enough() -> None:
    # 4 - 3 = 1 stakeholder would be exposed: hide "a", the rest is 4.
    assert disclosure.visible_subgroups(4, {"a": 3, "b": 1}, 3) == set()
    # 7 - 6 = 1: hide the smaller (tie broken by name), rest is 4.
    assert disclosure.visible_subgroups(7, {"b": 3, "a": 3, "c": 1}, 3) == {"b"}
    assert disclosure.visible_subgroups(8, {"a": 4, "b": 3}, 3) == {"a"}


def test_no_subgroup_of_a_hidden_group_is_shown() -> None:
    assert disclosure.visible_subgroups(2, {"a": 2}, 3) == set()


def test_it_says_why_a_subgroup_is_hidden() -> None:
    assert disclosure.subgroup_reason(4, 3, 3, shown=False) == disclosure.DIFFERENCE
    assert disclosure.subgroup_reason(4, 1, 3, shown=False) == disclosure.BELOW_MINIMUM
    assert disclosure.subgroup_reason(6, 3, 3, shown=True) == ""


def test_texts_need_final_answers_and_the_minimum() -> None:
    assert disclosure.texts_shown(final=True, responses=3, minimum=3)
    assert not disclosure.texts_shown(final=False, responses=9, minimum=3)
    assert not disclosure.texts_shown(final=True, responses=2, minimum=3)


def test_a_tally_outside_the_team_needs_full_cells_and_a_spread() -> None:
    assert disclosure.tally_shown_outside([3, 3, 0], 3)
    assert not disclosure.tally_shown_outside([3, 3, 1], 3)  # a cell of one
    assert not disclosure.tally_shown_outside([0, 5, 0], 3)  # everyone the same
    assert not disclosure.tally_shown_outside([0, 6, 2], 3)  # all but two
    assert disclosure.tally_shown_outside([0, 6, 3], 3)
    assert not disclosure.tally_shown_outside([0, 0, 0], 3)


def test_tallies_outside_the_team_are_decided_one_by_one() -> None:
    assert disclosure.tally_shown_outside([3, 3, 0], 3)
    assert not disclosure.tally_shown_outside([0, 5, 0], 3)
    assert not disclosure.tally_shown_outside([4, 0, 4], 5)


def test_the_median_stands_in_for_a_hidden_tally() -> None:
    assert disclosure.median_level([0, 5, 0]) == 2
    assert disclosure.median_level([1, 0, 2]) == 3
    assert disclosure.median_level([2, 0, 2]) == 1
    assert disclosure.median_level([0, 0, 0]) is None


def test_it_releases_a_batch_after_a_reopen_only_at_the_minimum() -> None:
    assert disclosure.batch_released(1, 3, first=True)  # the first close: all
    assert not disclosure.batch_released(2, 3)
    assert disclosure.batch_released(3, 3)
    assert not disclosure.batch_released(4, 5)
    assert not disclosure.batch_released(2, 1)  # never below the floor
    assert disclosure.answers_needed(2, 3) == 1
