"""The team overview: /teams/<code>/overview/."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Round
from teams.models import CoachShare, Team
from tests.factories import add_response, make_round
from tests.reports.conftest import Scenario, make_q1


def url(team: Team) -> str:
    return reverse("reports:team", args=[team.code])


def test_it_shows_the_latest_radar_and_the_trends(
    bob_client: Client, scenario: Scenario
) -> None:
    r = bob_client.get(url(scenario.team))
    assert r.status_code == 200
    overview = r.context["overview"]
    assert overview.latest == scenario.q2
    assert overview.rounds == [scenario.q1, scenario.q2]
    html = r.content.decode()
    assert reverse("reports:radar_svg", args=[scenario.q2.code]) in html
    assert reverse("reports:trends_svg", args=[scenario.team.code]) in html
    collaboration, planning, data_driven = overview.trends
    assert collaboration.label == "Collaboration & Communication"
    assert collaboration.team == [pytest.approx(4 / 3), 2.0]
    assert collaboration.stakeholders == [None, pytest.approx(4 / 3)]
    # the change between the last two rounds, 2.0 - 1.333
    assert collaboration.change == pytest.approx(2 / 3)
    assert collaboration.direction == "improving"
    assert planning.team == [pytest.approx(4 / 3), 2.5]
    assert data_driven.team == [None, None]
    assert data_driven.direction == ""
    assert "1.33 / \u2013" in html
    assert "2.00 / 1.33" in html
    assert "+0.67 since the round before" in html
    assert "the change of its mean from the previous round" in html


def test_the_latest_radar_table_matches_the_round_report(
    bob_client: Client, scenario: Scenario
) -> None:
    overview_radar = bob_client.get(url(scenario.team)).context["latest_radar"]
    report_radar = bob_client.get(
        reverse("reports:round", args=[scenario.q2.code])
    ).context["radar"]
    assert overview_radar.rows == report_radar.rows
    assert overview_radar.headers == report_radar.headers


def test_it_leaves_out_rounds_below_the_minimum_and_open_rounds(
    bob_client: Client, scenario: Scenario
) -> None:
    small = make_round(scenario.team, title="Too small", state=Round.State.CLOSED)
    add_response(small, [3] * 12)
    current = make_round(scenario.team, title="Current", state=Round.State.OPEN)
    for _ in range(3):
        add_response(current, [3] * 12)
    r = bob_client.get(url(scenario.team))
    overview = r.context["overview"]
    assert overview.rounds == [scenario.q1, scenario.q2]
    assert overview.latest == scenario.q2
    # but every round is linked
    assert reverse("reports:round", args=[small.code]) in r.content.decode()


def test_it_says_when_there_are_no_results_yet(bob_client: Client, team: Team) -> None:
    r = bob_client.get(url(team))
    assert r.status_code == 200
    assert "No round has results yet." in r.content.decode()
    assert "trends.svg" not in r.content.decode()


def test_one_round_says_trends_come_after_the_second(
    bob_client: Client, team: Team
) -> None:
    make_q1(team)
    html = bob_client.get(url(team)).content.decode()
    assert "Trends appear after the second round with results" in html
    assert "trends.svg" not in html
    assert "mean level of each dimension over" not in html
    # the one round's radar is still there
    assert "radar.svg" in html


def test_two_rounds_show_trends_without_the_message(
    bob_client: Client, scenario: Scenario
) -> None:
    html = bob_client.get(url(scenario.team)).content.decode()
    assert "Trends appear after the second round" not in html
    assert "trends.svg" in html


def test_its_query_count_does_not_grow_with_rounds(
    bob_client: Client, team: Team, django_assert_max_num_queries
) -> None:
    def add(title: str, answers: int) -> None:
        round = make_round(team, title=title, state=Round.State.CLOSED)
        for i in range(answers):
            add_response(round, [1 + (i + d) % 3 for d in range(12)])

    add("R1", 3)
    with django_assert_max_num_queries(12) as few:
        bob_client.get(url(team))
    for i in range(8):
        add(f"R{i + 2}", 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = bob_client.get(url(team))
    assert len(r.context["overview"].rounds) == 9


def test_it_hides_team_from_outsider(carol_client: Client, scenario: Scenario) -> None:
    assert carol_client.get(url(scenario.team)).status_code == 404


def test_it_hides_overview_from_coach_without_share(
    cora_client: Client, scenario: Scenario
) -> None:
    assert cora_client.get(url(scenario.team)).status_code == 404


def test_a_coach_with_a_share_sees_it(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    CoachShare.objects.create(team=scenario.team, coach=cora)
    r = cora_client.get(url(scenario.team))
    assert r.status_code == 200
    assert "read-only" in r.content.decode()
    assert f'href="{scenario.team.get_absolute_url()}"' not in r.content.decode()
