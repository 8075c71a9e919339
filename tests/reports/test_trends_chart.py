"""The trend charts of a team: /teams/<code>/overview/trends.svg."""

from __future__ import annotations

from unittest import mock

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from reports import charts
from teams.models import CoachShare, Team
from tests.factories import add_response
from tests.reports.conftest import Scenario, make_q2


def url(team: Team) -> str:
    return reverse("reports:trends_svg", args=[team.code])


def test_it_serves_svg(bob_client: Client, scenario: Scenario) -> None:
    r = bob_client.get(url(scenario.team))
    assert r.status_code == 200
    assert r["Content-Type"] == "image/svg+xml"
    svg = r.content.decode()
    for text in ("Q1 retro", "Q2 retro", "Planning &amp; Execution", "Stakeholders"):
        assert text in svg


def test_it_leaves_out_a_group_below_the_minimum(
    bob_client: Client, team: Team
) -> None:
    make_q2(team, stakeholders=2)
    with mock.patch.object(charts, "trend_grid", wraps=charts.trend_grid) as grid:
        svg = bob_client.get(url(team)).content.decode()
    titles, rounds, team_series, stakeholder_series = grid.call_args.args
    assert rounds == ["Q2 retro"]
    assert team_series[0] == [2.0]
    assert stakeholder_series == [[None]] * 3
    assert "Q2 retro" in svg
    assert "Stakeholders" not in svg


def test_a_repeat_view_does_not_render_again(
    bob_client: Client, scenario: Scenario
) -> None:
    with mock.patch.object(
        charts, "render_figure", wraps=charts.render_figure
    ) as render:
        bob_client.get(url(scenario.team))
        bob_client.get(url(scenario.team))
        assert render.call_count == 1
        add_response(scenario.q2, [1, 1, 1])
        bob_client.get(url(scenario.team))
        assert render.call_count == 2


def test_it_is_not_found_without_results(bob_client: Client, team: Team) -> None:
    assert bob_client.get(url(team)).status_code == 404


def test_it_hides_team_from_outsider(carol_client: Client, scenario: Scenario) -> None:
    assert carol_client.get(url(scenario.team)).status_code == 404


def test_it_hides_chart_from_coach_without_share(
    cora_client: Client, scenario: Scenario
) -> None:
    assert cora_client.get(url(scenario.team)).status_code == 404


def test_a_coach_with_a_share_sees_it(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    CoachShare.objects.create(team=scenario.team, coach=cora)
    assert cora_client.get(url(scenario.team)).status_code == 200
