"""No data is never good news (issue 28 point 2): a sentence about a comparison (gap,
change, trend, blind spot, agreement) is said only when both sides are shown;
otherwise the page says which side is missing."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from assessments.models import Round
from reports import agenda
from reports.agenda import Facts
from teams.models import Team
from tests.factories import add_response, make_round
from tests.reports.conftest import Scenario, make_q1, make_q2

TEAM_ONLY = [
    Facts("a", "Safety", 2.0, None, 0.8, None),
    Facts("b", "Flow", 2.4, None, 0.9, None),
]


def _points(facts: list[Facts]) -> str:
    with translation.override("en"):
        html = render_to_string(
            "reports/_talking_points.html", {"points": agenda.talking_points(facts)}
        )
    return " ".join(html.split())


def test_it_says_the_stakeholders_are_missing_instead_of_no_gap() -> None:
    text = _points(TEAM_ONLY)
    assert "Stakeholders: too few answers to compare." in text
    assert "No gap of" not in text


def test_it_says_the_last_round_is_missing_instead_of_no_drop() -> None:
    text = _points(TEAM_ONLY)
    assert (
        "Since the last round: nothing to compare, the team's view is not shown in "
        "both rounds." in text
    )
    assert "No dimension dropped" not in text


def test_it_says_the_team_is_missing_instead_of_broad_agreement() -> None:
    text = _points([Facts("a", "Safety", None, 2.0, None, None)])
    assert "The team: too few answers to tell how far it agrees." in text
    assert "broadly agrees" not in text
    assert "The team: too few answers to compare with the stakeholders." in text
    assert "The team: too few answers to compare with the last round." in text
    assert "No gap of" not in text
    assert "No dimension dropped" not in text


def test_with_both_sides_it_says_how_many_dimensions_it_compared() -> None:
    text = _points(
        [
            Facts("a", "Safety", 2.0, 2.1, 0.8, 2.0),
            Facts("b", "Flow", 2.4, None, 0.9, None),
        ]
    )
    assert (
        "No gap of 0.50 levels or more between the team and its stakeholders on the "
        "1 dimension both views show." in text
    )
    assert (
        "No dimension dropped by 0.30 levels or more since the last round "
        "(1 dimension compared)." in text
    )
    assert "broadly agrees on every dimension" in text
    assert "too few answers" not in text


@pytest.mark.django_db
def test_the_report_says_the_stakeholders_are_too_few(
    team: Team, alice_client: Client
) -> None:
    make_q1(team)
    q2 = make_q2(team, stakeholders=2)
    page = " ".join(alice_client.get(f"/rounds/{q2.code}/report/").text.split())
    assert page.count("Stakeholders: too few answers to compare.") == 2  # points, gaps
    assert "No gap of" not in page
    assert "Possible blind spot" not in page


@pytest.mark.django_db
def test_the_retro_discussion_says_the_stakeholders_are_too_few(team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=3)
    for _ in range(3):
        add_response(round, [2, 2, 2])
    d = _first_dimension(round)
    with translation.override("en"):
        html = render_to_string(
            "retro/steps/discuss.html",
            {"discussion": {"dimension": d, "notes": []}, "session": None},
        )
    assert "Stakeholders: too few answers to compare." in html
    assert "Team minus stakeholders" not in html


def _first_dimension(round: Round) -> object:
    from reports.assembly import build_round_report

    report = build_round_report(round, rounds=[round], show_notes=True)
    return report.dimensions[0]


@pytest.mark.django_db
def test_the_team_overview_says_a_trend_needs_two_rounds(
    scenario: Scenario, alice_client: Client
) -> None:
    # Dimension 3: the team's view is hidden in both rounds, the stakeholders' shown.
    page = " ".join(
        alice_client.get(f"/teams/{scenario.team.code}/overview/").text.split()
    )
    assert page.count("Too few rounds with the team's view to compare.") == 1
