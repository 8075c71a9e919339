"""The facilitator's token page: /teams/<code>/api-tokens/."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from teams.models import Team
from tests.api.conftest import Token, make_token


def url(team: Team) -> str:
    return f"/teams/{team.code}/api-tokens/"


def test_it_lists_the_teams_tokens_and_never_a_secret(
    alice_client: Client, team: Team, alice: User, token: Token
) -> None:
    revoked = make_token(team, alice, "Old script")
    revoked.token.revoked_at = revoked.token.created
    revoked.token.save()
    r = alice_client.get(url(team))
    assert r.status_code == 200
    assert "Dashboard" in r.text
    assert "Old script" in r.text
    assert "active" in r.text
    assert "revoked" in r.text
    assert token.secret not in r.text
    assert "/api/docs" in r.text


def test_it_does_not_list_another_teams_tokens(
    alice_client: Client, team: Team, other_team: Team, carol: User
) -> None:
    make_token(other_team, carol, "Carol's secret board")
    assert "Carol's secret board" not in alice_client.get(url(team)).text


def test_the_team_page_links_to_it(alice_client: Client, team: Team) -> None:
    assert url(team) in alice_client.get(f"/teams/{team.code}/").text


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    assert bob_client.get(url(team)).status_code == 403


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    assert carol_client.get(url(team)).status_code == 404


def test_it_rejects_post(alice_client: Client, team: Team) -> None:
    assert alice_client.post(url(team)).status_code == 405
