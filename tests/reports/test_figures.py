"""The report's figures against values computed by hand. No database."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reports import figures

RATING_COLUMNS = ["round_id", "dimension_id", "perspective", "relationship", "level"]
RESPONSE_COLUMNS = ["round_id", "perspective", "relationship", "checkin"]
T, S = figures.TEAM, figures.STAKEHOLDER


def ratings(rows: list[tuple]) -> pd.DataFrame:
    return figures.frame(rows, RATING_COLUMNS, single_answers=True)


def responses(rows: list[tuple]) -> pd.DataFrame:
    return figures.frame(rows, RESPONSE_COLUMNS, single_answers=True)


def answers(round_id, dimension_id, perspective, levels, relationship=""):
    return [(round_id, dimension_id, perspective, relationship, v) for v in levels]


# Round 1 (minimum 3): five team members and four stakeholders (three "Leadership",
# one "Customer") rate dimensions 10 and 11.
ROUND_1_RATINGS = [
    *answers(1, 10, T, [1, 2, 2, 3, None]),
    *answers(1, 11, T, [3, 3, 3, None, None]),
    *answers(1, 10, S, [1, 1, 2], "Leadership"),
    *answers(1, 10, S, [1], "Customer"),
    *answers(1, 11, S, [3, 3, 2], "Leadership"),
    *answers(1, 11, S, [3], "Customer"),
]
ROUND_1_RESPONSES = [
    (1, T, "", "underperforming"),
    (1, T, "", "performing"),
    (1, T, "", "performing"),
    (1, T, "", "performing"),
    (1, T, "", ""),
    (1, S, "Leadership", "performing"),
    (1, S, "Leadership", "high-performing"),
    (1, S, "Leadership", "high-performing"),
    (1, S, "Customer", "performing"),
]


NO_DIMENSIONS = pd.DataFrame({"dimension_id": [], "key": []})


def computed(
    rating_rows: pd.DataFrame, response_rows: pd.DataFrame, sizes: pd.DataFrame
) -> figures.Figures:
    """``figures.compute`` of these rows, with the minimums of ``sizes``."""
    minimums = {
        int(r): int(m) for r, m in zip(sizes["round_id"], sizes["minimum"], strict=True)
    }
    return figures.compute(
        dimensions=NO_DIMENSIONS,
        ratings=rating_rows,
        responses=response_rows,
        minimums=minimums,
        sizes=sizes,
    )


def dimension_stats(rating_rows: pd.DataFrame, sizes: pd.DataFrame) -> pd.DataFrame:
    return computed(rating_rows, responses([]), sizes).stats


def checkins(response_rows: pd.DataFrame, sizes: pd.DataFrame) -> pd.DataFrame:
    return computed(ratings([]), response_rows, sizes).checkins


def gaps(rating_rows: pd.DataFrame, sizes: pd.DataFrame) -> pd.DataFrame:
    return computed(rating_rows, responses([]), sizes).gaps


def round_1_stats() -> pd.DataFrame:
    sizes = figures.group_sizes(responses(ROUND_1_RESPONSES), {1: 3})
    return dimension_stats(ratings(ROUND_1_RATINGS), sizes)


def row(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    assert mask.sum() == 1, f"{mask.sum()} rows for {where}"
    return frame[mask].iloc[0]


def test_group_sizes_counts_responses_and_applies_the_minimum() -> None:
    sizes = figures.group_sizes(responses(ROUND_1_RESPONSES), {1: 3})
    assert list(
        zip(sizes["relationship"], sizes["responses"], sizes["visible"], strict=True)
    ) == [
        ("", 5, True),  # team
        ("", 4, True),  # all stakeholders
        ("Customer", 1, False),  # below minimum
        ("Leadership", 3, False),  # 3 >= 3, but 4 - 3 = 1 stakeholder left out
    ]


def test_group_sizes_has_empty_team_and_stakeholders_rows() -> None:
    sizes = figures.group_sizes(responses([(1, T, "", "")] * 2), {1: 3, 2: 4})
    assert list(
        zip(sizes["round_id"], sizes["perspective"], sizes["responses"], strict=True)
    ) == [
        (1, T, 2),
        (1, S, 0),
        (2, T, 0),
        (2, S, 0),
    ]
    assert not sizes["visible"].any()
    assert list(sizes["minimum"]) == [3, 3, 4, 4]


def test_dimension_stats_computes_counts_mean_median_spread_agreement() -> None:
    stats = round_1_stats()
    team = row(stats, dimension_id=10, perspective=T)
    # levels 1, 2, 2, 3 and one "don't know"
    assert (team["answers"], team["rated"], team["dont_know"]) == (5, 4, 1)
    assert (team["level_1"], team["level_2"], team["level_3"]) == (1, 2, 1)
    assert team["mean"] == pytest.approx(2.0)
    assert team["median"] == pytest.approx(2.0)
    assert team["spread"] == pytest.approx(math.sqrt(0.5))  # sqrt((1+0+0+1)/4)
    # consensus: 1 + 2 * 0.25 * log2(1 - 1/2) = 0.5
    assert team["agreement"] == pytest.approx(0.5)
    assert team["shown"]

    stakeholders = row(stats, dimension_id=10, perspective=S, relationship="")
    # levels 1, 1, 1, 2: mean 1.25, variance 1.75 - 1.5625
    assert (stakeholders["level_1"], stakeholders["level_2"]) == (3, 1)
    assert stakeholders["mean"] == pytest.approx(1.25)
    assert stakeholders["median"] == pytest.approx(1.0)
    assert stakeholders["spread"] == pytest.approx(math.sqrt(0.1875))
    # 1 + 0.75 * log2(1 - 0.25 / 2) + 0.25 * log2(1 - 0.75 / 2) = 0.685998
    expected = 1 + 0.75 * math.log2(0.875) + 0.25 * math.log2(0.625)
    assert stakeholders["agreement"] == pytest.approx(expected)
    assert stakeholders["agreement"] == pytest.approx(0.685998, abs=1e-6)


def test_dimension_stats_hides_levels_given_by_fewer_than_the_minimum() -> None:
    stats = round_1_stats()
    team = row(stats, dimension_id=11, perspective=T)
    # 3 rated (3, 3, 3), 2 don't know: exactly the minimum, shown.
    assert team["shown"]
    assert (team["rated"], team["dont_know"], team["mean"]) == (3, 2, 3.0)
    assert (team["spread"], team["agreement"]) == (0.0, 1.0)

    sizes = figures.group_sizes(responses(ROUND_1_RESPONSES[:5]), {1: 3})
    few = dimension_stats(ratings(answers(1, 12, T, [1, 3, None, None, None])), sizes)
    hidden = row(few, dimension_id=12, perspective=T)
    assert not hidden["shown"]
    assert (hidden["answers"], hidden["rated"], hidden["dont_know"]) == (5, 2, 3)
    for column in ["level_1", "level_2", "level_3", "mean", "median", "spread"]:
        assert pd.isna(hidden[column]), column


def test_dimension_stats_has_no_row_for_a_hidden_group() -> None:
    stats = round_1_stats()
    assert set(stats["relationship"]) == {""}
    sizes = figures.group_sizes(responses(ROUND_1_RESPONSES[5:]), {1: 5})
    assert dimension_stats(ratings(ROUND_1_RATINGS), sizes).empty


def test_median_of_an_even_number_is_the_mean_of_the_middle_two() -> None:
    rows = answers(1, 10, T, [1, 1, 2, 3]) + answers(1, 11, T, [1, 1, 3, 3])
    sizes = figures.group_sizes(responses([(1, T, "", "")] * 4), {1: 3})
    stats = dimension_stats(ratings(rows), sizes)
    assert row(stats, dimension_id=10)["median"] == 1.5
    assert row(stats, dimension_id=11)["median"] == 2.0
    assert row(stats, dimension_id=11)["agreement"] == pytest.approx(0.0)


def test_dimension_stats_accepts_counted_rows() -> None:
    counted = pd.DataFrame(
        [(1, 10, T, "", 1, 1), (1, 10, T, "", 2, 2), (1, 10, T, "", 3, 1)],
        columns=[*RATING_COLUMNS, "n"],
    )
    sizes = figures.group_sizes(responses([(1, T, "", "")] * 4), {1: 3})
    single = dimension_stats(ratings(answers(1, 10, T, [1, 2, 2, 3])), sizes)
    pd.testing.assert_frame_equal(dimension_stats(counted, sizes), single)


def test_relationship_groups_that_meet_the_minimum_are_shown() -> None:
    rows = [
        *answers(1, 10, S, [1, 1, 2], "Leadership"),
        *answers(1, 10, S, [3, 3, 3], "Customer"),
    ]
    resp = [(1, S, "Leadership", "")] * 3 + [(1, S, "Customer", "")] * 3
    stats = dimension_stats(ratings(rows), figures.group_sizes(responses(resp), {1: 3}))
    assert row(stats, relationship="Leadership")["mean"] == pytest.approx(4 / 3)
    assert row(stats, relationship="Customer")["mean"] == 3.0
    assert row(stats, relationship="")["mean"] == pytest.approx(13 / 6)


def test_relationship_levels_are_hidden_when_their_complement_is_too_small() -> None:
    # Both groups have 3 responses, but one customer answered "don't know": the
    # customers' levels (2 rated) are hidden, and then Leadership's too, because
    # all stakeholders (5 rated) minus Leadership (3) would be those 2 customers.
    rows = [
        *answers(1, 10, S, [1, 1, 2], "Leadership"),
        *answers(1, 10, S, [3, 3, None], "Customer"),
    ]
    resp = [(1, S, "Leadership", "")] * 3 + [(1, S, "Customer", "")] * 3
    stats = dimension_stats(ratings(rows), figures.group_sizes(responses(resp), {1: 3}))
    assert row(stats, relationship="")["shown"]
    assert not row(stats, relationship="Leadership")["shown"]
    assert not row(stats, relationship="Customer")["shown"]
    assert row(stats, relationship="Customer")["dont_know"] == 1


def test_gaps_find_blind_spots_and_hidden_strengths() -> None:
    rows = [
        *answers(1, 10, T, [3, 3, 2]),  # 2.667 vs 1.667: blind spot
        *answers(1, 10, S, [2, 2, 1]),
        *answers(1, 11, T, [1, 2, 2]),  # 1.667 vs 2.333: hidden strength
        *answers(1, 11, S, [2, 2, 3]),
        *answers(1, 12, T, [2, 2, 2]),  # 2.0 vs 2.333: aligned
        *answers(1, 12, S, [2, 2, 3]),
        *answers(1, 13, T, [2, 2, 2]),  # stakeholders below minimum: no gap
        *answers(1, 13, S, [3, None, None]),
    ]
    resp = [(1, T, "", "")] * 3 + [(1, S, "", "")] * 3
    result = gaps(ratings(rows), figures.group_sizes(responses(resp), {1: 3}))
    assert list(result["dimension_id"]) == [10, 11, 12]
    assert list(result["kind"]) == ["blind_spot", "hidden_strength", "aligned"]
    assert list(result["gap"]) == pytest.approx([1.0, -2 / 3, -1 / 3])


def test_a_gap_of_exactly_the_threshold_counts() -> None:
    sizes = figures.group_sizes(
        responses([(1, T, "", "")] * 4 + [(1, S, "", "")] * 4), {1: 3}
    )
    half = [*answers(1, 10, T, [2, 2, 3, 3]), *answers(1, 10, S, [2, 2, 2, 2])]
    quarter = [*answers(1, 10, T, [2, 2, 3, 3]), *answers(1, 10, S, [2, 2, 2, 3])]
    assert gaps(ratings(half), sizes)["gap"].tolist() == [figures.GAP_THRESHOLD]
    assert gaps(ratings(half), sizes)["kind"].tolist() == ["blind_spot"]
    assert gaps(ratings(quarter), sizes)["gap"].tolist() == [0.25]
    assert gaps(ratings(quarter), sizes)["kind"].tolist() == ["aligned"]


def test_checkins_count_each_visible_group() -> None:
    sizes = figures.group_sizes(responses(ROUND_1_RESPONSES), {1: 3})
    table = checkins(responses(ROUND_1_RESPONSES), sizes)
    team = row(table, perspective=T)
    assert (
        team["responses"],
        team["underperforming"],
        team["performing"],
        team["high-performing"],
        team["no_answer"],
    ) == (5, 1, 3, 0, 1)
    stakeholders = row(table, perspective=S)
    assert (stakeholders["performing"], stakeholders["high-performing"]) == (2, 2)
    assert set(table["relationship"]) == {""}  # Leadership and Customer hidden


def test_checkins_are_empty_below_the_minimum() -> None:
    sizes = figures.group_sizes(responses(ROUND_1_RESPONSES[:2]), {1: 3})
    assert checkins(responses(ROUND_1_RESPONSES[:2]), sizes).empty


def test_checkins_are_hidden_when_fewer_than_the_minimum_gave_one() -> None:
    # Four members answered, one gave a check-in: a distribution would be hers.
    rows = [(1, T, "", "underperforming"), *[(1, T, "", "")] * 3]
    sizes = figures.group_sizes(responses(rows), {1: 3})
    assert row(sizes, perspective=T)["visible"]
    assert checkins(responses(rows), sizes).empty


def test_checkins_hide_a_relationship_whose_rest_gave_too_few() -> None:
    # Both relationships have 3 answers; in "Customer" only one gave a check-in, so
    # all stakeholders minus "Leadership" would be that one check-in.
    rows = [
        *[(1, S, "Leadership", "performing")] * 3,
        (1, S, "Customer", "high-performing"),
        *[(1, S, "Customer", "")] * 2,
    ]
    sizes = figures.group_sizes(responses(rows), {1: 3})
    assert set(sizes.loc[sizes["visible"], "relationship"]) == {
        "",
        "Leadership",
        "Customer",
    }
    table = checkins(responses(rows), sizes)
    assert set(table["relationship"]) == {""}
    overall = row(table, perspective=S)
    assert (overall["performing"], overall["high-performing"]) == (3, 1)


def two_rounds() -> tuple[pd.DataFrame, dict[int, str]]:
    rows = [
        *answers(1, 10, T, [1, 1, 2]),  # 1.333
        *answers(1, 11, T, [2, 2, 2]),  # 2.0
        *answers(1, 12, T, [1, None, None]),  # hidden
        *answers(2, 20, T, [2, 2, 3]),  # 2.333
        *answers(2, 21, T, [1, 2, 2]),  # 1.667
        *answers(2, 22, T, [3, 3, 3]),
        *answers(3, 30, T, [3, 3, 3]),  # 3.0
    ]
    resp = [(r, T, "", "") for r in (1, 2, 3) for _ in range(3)]
    sizes = figures.group_sizes(responses(resp), {1: 3, 2: 3, 3: 3})
    keys = {10: "a", 20: "a", 30: "a", 11: "b", 21: "b", 12: "c", 22: "c"}
    return dimension_stats(ratings(rows), sizes), keys


def test_changes_since_the_previous_round() -> None:
    stats, keys = two_rounds()
    result = figures.changes(stats, keys, current_round_id=2, previous_round_id=1)
    assert list(result["dimension_id"]) == [20, 21]  # 22 was hidden in round 1
    assert list(result["previous_mean"]) == pytest.approx([4 / 3, 2.0])
    assert list(result["change"]) == pytest.approx([1.0, -1 / 3])


def test_changes_without_a_previous_round_are_empty() -> None:
    stats, keys = two_rounds()
    assert figures.changes(stats, keys, 1, None).empty


def test_trends_follow_each_dimension_across_rounds() -> None:
    stats, keys = two_rounds()
    trend = figures.trends(stats, keys, [1, 2, 3])
    a = trend[trend["key"] == "a"]
    assert list(a["position"]) == [0, 1, 2]
    assert list(a["mean"]) == pytest.approx([4 / 3, 7 / 3, 3.0])
    direction = figures.trend_direction(trend).set_index("key")
    # the change between the last two rounds: 3 - 7/3
    assert direction.loc["a", "change"] == pytest.approx(2 / 3)
    assert direction.loc["a", "direction"] == "improving"
    assert direction.loc["b", "change"] == pytest.approx(-1 / 3)
    assert direction.loc["b", "direction"] == "declining"
    assert direction.loc["c", "rounds"] == 1
    assert direction.loc["c", "direction"] == ""


def test_trends_skip_rounds_not_asked_for() -> None:
    stats, keys = two_rounds()
    trend = figures.trends(stats, keys, [2, 3])
    assert list(trend[trend["key"] == "a"]["position"]) == [0, 1]


def test_agreement_label() -> None:
    assert figures.agreement_label(1.0) == "agreement"
    assert figures.agreement_label(0.7) == "agreement"
    assert figures.agreement_label(0.5) == "mixed"
    assert figures.agreement_label(0.1) == "divided"
    assert figures.agreement_label(math.nan) == ""


def test_empty_input_gives_empty_figures() -> None:
    sizes = figures.group_sizes(responses([]), {1: 3})
    stats = dimension_stats(ratings([]), sizes)
    assert stats.empty
    assert gaps(ratings([]), sizes).empty
    assert checkins(responses([]), sizes).empty
    assert figures.trends(stats, {}, [1]).empty
    assert figures.trend_direction(figures.trends(stats, {}, [1])).empty


def test_trend_attack_fails_a_rising_end_is_not_declining() -> None:
    """Issue 11: "declining" for a dimension whose last three rounds rose, because
    the least-squares slope was dominated by a high first round."""
    trend = pd.DataFrame(
        {
            "key": ["a"] * 4,
            "perspective": [T] * 4,
            "round_id": [1, 2, 3, 4],
            "position": [0, 1, 2, 3],
            "mean": [3.0, 1.0, 1.5, 2.0],
        }
    )
    direction = figures.trend_direction(trend).iloc[0]
    assert direction["direction"] == "improving"
    assert direction["change"] == pytest.approx(0.5)


def test_a_small_change_is_steady() -> None:
    trend = pd.DataFrame(
        {
            "key": ["a", "a"],
            "perspective": [T, T],
            "round_id": [1, 2],
            "position": [0, 1],
            "mean": [2.0, 2.05],
        }
    )
    assert figures.trend_direction(trend).iloc[0]["direction"] == "steady"
