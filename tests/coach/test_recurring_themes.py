"""Recurring themes across teams from confirmed team themes (pure, no database)."""

from __future__ import annotations

from coach.themes import TeamTheme, coarse, find, recurring_themes


def theme(
    i: int,
    team: int,
    label: str,
    *texts: str,
    period: str = "2026 Q3",
    dimension: object = 1,
) -> TeamTheme:
    return TeamTheme(i, team, period, dimension, label, texts)


def test_coarse_counts_never_go_below_three() -> None:
    assert [coarse(n) for n in (0, 2, 3, 4, 5, 9, 10, 19, 20, 120)] == [
        None,
        None,
        3,
        3,
        5,
        5,
        10,
        10,
        20,
        100,
    ]


def test_the_same_concern_in_four_languages_is_one_theme() -> None:
    themes = [
        theme(1, 1, "Too many meetings", "Stop so many meetings"),
        theme(2, 2, "Weniger Meetings", "Zu viele Meetings"),
        theme(3, 3, "Meetings", "Fewer meetings please"),
        theme(4, 4, "Pair programming", "Keep pair programming"),
        theme(5, 5, "Pair Programming", "Weiter Pair Programming"),
    ]
    [found] = recurring_themes(themes)
    assert found.theme_ids == (1, 2, 3)
    assert found.teams == 3
    assert "meetings" in found.label


def test_one_team_twice_counts_once() -> None:
    themes = [
        theme(i, 1 if i < 3 else 2, "Flaky tests", "flaky tests") for i in range(5)
    ]
    assert recurring_themes(themes) == []


def test_never_across_dimensions() -> None:
    themes = [
        theme(i, i, "Flaky tests", "flaky tests", dimension=i % 2) for i in range(4)
    ]
    assert recurring_themes(themes) == []


def test_periods_below_the_minimum_show_no_count() -> None:
    themes = [
        theme(i, i, "WIP limits", "WIP limits", period="2026 Q1") for i in range(3)
    ]
    themes.append(theme(9, 1, "WIP limits", "WIP limits", period="2026 Q2"))
    [found] = recurring_themes(themes)
    assert [(p.period, p.teams) for p in found.periods] == [
        ("2026 Q1", 3),
        ("2026 Q2", None),
    ]


def test_find_by_key_and_determinism() -> None:
    themes = [theme(i, i, "WIP limits", "WIP limits") for i in range(3)]
    first = recurring_themes(themes)
    again = recurring_themes(list(reversed(themes)))
    assert first == again
    assert find(first, first[0].key) is first[0]
    assert find(first, "nope") is None
