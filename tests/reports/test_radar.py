"""The radar chart of a round: /rounds/<code>/report/radar.svg and .png."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Round
from reports import assembly, charts
from teams.models import CoachShare, Team
from tests.factories import add_response, make_round
from tests.reports.conftest import Scenario, make_q2


def svg_url(round: Round) -> str:
    return reverse("reports:radar_svg", args=[round.code])


def png_url(round: Round) -> str:
    return reverse("reports:radar_png", args=[round.code])


def test_it_serves_svg(bob_client: Client, scenario: Scenario) -> None:
    r = bob_client.get(svg_url(scenario.q2))
    assert r.status_code == 200
    assert r["Content-Type"] == "image/svg+xml"
    svg = r.content.decode()
    assert svg.startswith("<?xml")
    for label in ("Team: Q2 retro", "Stakeholders: Q2 retro", "Team: Q1 retro"):
        assert label in svg
    assert "Collaboration &amp;" in svg


def test_it_allows_only_the_svgs_own_styles(
    bob_client: Client, scenario: Scenario
) -> None:
    csp = bob_client.get(svg_url(scenario.q2))["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "style-src 'unsafe-inline'" in csp
    assert "script" not in csp


def test_it_serves_png(bob_client: Client, scenario: Scenario) -> None:
    r = bob_client.get(png_url(scenario.q2))
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png"
    assert r.content.startswith(b"\x89PNG")


def test_it_leaves_out_a_group_below_the_minimum(
    bob_client: Client, team: Team
) -> None:
    q2 = make_q2(team, stakeholders=2)
    svg = bob_client.get(svg_url(q2)).content.decode()
    assert "Team: Q2 retro" in svg
    assert "Stakeholders" not in svg


def test_it_is_not_found_below_the_minimum(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=2)
    add_response(round, [1, 2])
    add_response(round, [1, 2])
    assert bob_client.get(svg_url(round)).status_code == 404
    assert bob_client.get(png_url(round)).status_code == 404


def test_it_is_not_found_while_the_round_is_open(
    bob_client: Client, team: Team
) -> None:
    round = make_round(team, state=Round.State.OPEN, dimensions=2)
    for _ in range(3):
        add_response(round, [1, 2])
    assert bob_client.get(svg_url(round)).status_code == 404


def test_a_repeat_view_does_not_render_again(
    bob_client: Client, scenario: Scenario
) -> None:
    with mock.patch.object(
        charts, "render_figure", wraps=charts.render_figure
    ) as render:
        first = bob_client.get(svg_url(scenario.q2)).content
        second = bob_client.get(svg_url(scenario.q2)).content
        assert render.call_count == 1
        assert first == second
        bob_client.get(png_url(scenario.q2))
        assert render.call_count == 2


def test_new_data_renders_again(bob_client: Client, scenario: Scenario) -> None:
    with mock.patch.object(
        charts, "render_figure", wraps=charts.render_figure
    ) as render:
        bob_client.get(svg_url(scenario.q2))
        add_response(scenario.q2, [3, 3, 3])  # bumps data_version
        svg = bob_client.get(svg_url(scenario.q2)).content.decode()
    assert render.call_count == 2
    assert "Team: Q2 retro" in svg


def test_a_repeat_view_makes_no_more_queries_than_needed(
    bob_client: Client, scenario: Scenario, django_assert_max_num_queries
) -> None:
    bob_client.get(svg_url(scenario.q2))
    # session, user, round's team, membership, team's rounds, response counts
    with django_assert_max_num_queries(6):
        assert bob_client.get(svg_url(scenario.q2)).status_code == 200


def test_it_hides_team_from_outsider(carol_client: Client, scenario: Scenario) -> None:
    assert carol_client.get(svg_url(scenario.q2)).status_code == 404
    assert carol_client.get(png_url(scenario.q2)).status_code == 404


def test_it_hides_chart_from_coach_without_share(
    cora_client: Client, scenario: Scenario
) -> None:
    assert cora_client.get(svg_url(scenario.q2)).status_code == 404


def test_a_coach_with_a_share_sees_it(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    CoachShare.objects.create(team=scenario.team, coach=cora)
    assert cora_client.get(svg_url(scenario.q2)).status_code == 200


@pytest.mark.parametrize("name", ["reports:radar_svg", "reports:radar_png"])
def test_it_requires_login(client: Client, scenario: Scenario, name: str) -> None:
    r = client.get(reverse(name, args=[scenario.q2.code]))
    assert r.status_code == 302


def test_page_and_chart_compute_the_figures_once_per_version(
    bob_client: Client, scenario: Scenario
) -> None:
    report_url = reverse("reports:round", args=[scenario.q2.code])
    with mock.patch.object(
        assembly, "figures_for_rounds", wraps=assembly.figures_for_rounds
    ) as build:
        assert bob_client.get(report_url).status_code == 200
        assert bob_client.get(svg_url(scenario.q2)).status_code == 200
        assert bob_client.get(report_url).status_code == 200
        assert build.call_count == 1
        add_response(scenario.q2, [3, 3, 3])  # bumps data_version
        assert bob_client.get(report_url).status_code == 200
        assert build.call_count == 2
