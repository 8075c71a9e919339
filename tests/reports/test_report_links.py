"""The links to the reports in the team page and the round page."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from assessments.models import Round
from teams.models import Team
from tests.factories import make_round


def test_the_team_page_links_the_overview(bob_client: Client, team: Team) -> None:
    html = bob_client.get(team.get_absolute_url()).content.decode()
    assert reverse("reports:team", args=[team.code]) in html


def test_a_closed_round_links_its_report(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=2)
    html = bob_client.get(round.get_absolute_url()).content.decode()
    assert reverse("reports:round", args=[round.code]) in html
    assert "See the team report" in html


def test_an_open_round_says_when_the_report_opens(
    bob_client: Client, team: Team
) -> None:
    round = make_round(team, state=Round.State.OPEN, dimensions=2)
    html = bob_client.get(round.get_absolute_url()).content.decode()
    assert "The report opens when the round closes" in html
