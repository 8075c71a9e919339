"""The stated rules of reports.agenda on hand-computed figures (no database)."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from reports import agenda
from reports.agenda import Facts

FACTS = [
    # key, label, team, stakeholders, team agreement, previous team mean
    Facts("a", "Safety", 1.6, 2.4, 0.8, 2.1),  # gap -0.8, drop 0.5
    Facts("b", "Flow", 2.0, 2.1, 0.35, 2.0),  # divided
    Facts("c", "Value", 2.9, None, 0.9, 2.5),  # up 0.4
    Facts("d", "Learning", None, 1.2, None, None),  # team hidden
]


def test_three_points_by_the_stated_rules() -> None:
    points = agenda.talking_points(FACTS)
    assert [(p.rule, p.facts.label if p.facts else None) for p in points] == [
        ("disagreement", "Flow"),
        ("gap", "Safety"),
        ("drop", "Safety"),
    ]


def test_a_rule_nobody_meets_says_so() -> None:
    calm = [Facts("a", "Safety", 2.0, 2.2, 0.75, 2.1)]  # gap 0.2, drop 0.1
    assert [p.facts for p in agenda.talking_points(calm)] == [None, None, None]


def test_thresholds_are_inclusive() -> None:
    edge = [Facts("a", "Safety", 2.0, 2.5, 0.69, 2.3)]
    points = agenda.talking_points(edge)
    assert all(p.facts is not None for p in points)


def test_ties_go_to_the_first_dimension() -> None:
    tie = [Facts("a", "A", 1.0, 2.0), Facts("b", "B", 2.0, 3.0)]
    assert agenda.largest_gap(tie) == tie[0]


def test_discussion_orders() -> None:
    def labels(order: str) -> list[str]:
        return [f.label for f in agenda.discussion_order(FACTS, order)]

    assert labels("disagreement") == ["Flow", "Safety", "Value", "Learning"]
    assert labels("gap") == ["Safety", "Flow", "Value", "Learning"]
    assert labels("drop") == ["Safety", "Flow", "Value", "Learning"]
    assert labels("lowest") == ["Learning", "Safety", "Flow", "Value"]


def test_a_dimension_nobody_may_see_is_not_discussed() -> None:
    hidden = [Facts("x", "Hidden"), *FACTS]
    assert "Hidden" not in [f.label for f in agenda.discussion_order(hidden, "gap")]


def test_level_words_lights_and_arrows() -> None:
    assert [agenda.level_word(m) for m in (1.0, 1.49, 1.5, 2.49, 2.5, None)] == [
        1,
        1,
        2,
        2,
        3,
        None,
    ]
    assert [agenda.light(m) for m in (1.49, 1.5, 2.49, 2.5, None)] == [
        "red",
        "amber",
        "amber",
        "green",
        "",
    ]
    assert [agenda.arrow(c) for c in (0.2, -0.2, 0.1, None)] == [
        "up",
        "down",
        "steady",
        "",
    ]


def test_the_page_quotes_the_rules_thresholds_from_the_agenda(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        agenda, "thresholds", lambda: {"disagreement": 0.8, "gap": 0.6, "drop": 0.4}
    )
    html = render_to_string(
        "reports/_talking_points.html",
        {"points": agenda.talking_points([Facts("a", "Safety", 2.0, 2.1, 0.9, 2.0)])},
    )
    text = " ".join(html.split())
    assert "No gap of 0.60 levels or more between the team" in text
    assert "No dimension dropped by 0.40 levels or more since the last round" in text
    assert "(below broad agreement, 0.80)" in text
    assert "(at least 0.60 levels)" in text
    assert "(at least 0.40 levels)" in text
    assert "0.5" not in text
    assert "0.3" not in text
    assert "half a level" not in text
