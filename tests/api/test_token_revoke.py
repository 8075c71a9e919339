"""Revoking a token: /teams/<code>/api-tokens/<token>/revoke/."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from teams.models import ActivityEntry, Team
from tests.api.conftest import ApiClient, Token, make_token


def url(team: Team, token: Token) -> str:
    return f"/teams/{team.code}/api-tokens/{token.token.code}/revoke/"


def test_it_revokes_at_once_and_logs(
    alice_client: Client, team: Team, token: Token
) -> None:
    api = ApiClient(token.secret)
    assert api.get(f"/teams/{team.code}").status_code == 200
    r = alice_client.post(url(team, token))
    assert r.status_code == 302
    token.token.refresh_from_db()
    assert token.token.revoked_at is not None
    assert api.get(f"/teams/{team.code}").status_code == 401
    entry = ActivityEntry.objects.for_team(team).first()
    assert entry is not None
    assert (entry.action, entry.actor_name, entry.detail) == (
        ActivityEntry.Action.API_TOKEN_REVOKED,
        "alice",
        {"name": "Dashboard"},
    )


def test_a_double_submit_logs_once(
    alice_client: Client, team: Team, token: Token
) -> None:
    alice_client.post(url(team, token))
    assert alice_client.post(url(team, token)).status_code == 302
    assert ActivityEntry.objects.filter(action="api_token_revoked").count() == 1


def test_a_revoked_name_can_be_used_again(
    alice_client: Client, team: Team, alice: User, token: Token
) -> None:
    alice_client.post(url(team, token))
    again = make_token(team, alice, "Dashboard")
    assert ApiClient(again.secret).get(f"/teams/{team.code}").status_code == 200


def test_another_teams_token_is_not_found(
    alice_client: Client, team: Team, other_team: Team, carol: User
) -> None:
    theirs = make_token(other_team, carol)
    assert alice_client.post(url(team, theirs)).status_code == 404
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None


def test_it_requires_facilitator(bob_client: Client, team: Team, token: Token) -> None:
    assert bob_client.post(url(team, token)).status_code == 403
    token.token.refresh_from_db()
    assert token.token.revoked_at is None


def test_it_hides_team_from_outsider(
    carol_client: Client, team: Team, token: Token
) -> None:
    assert carol_client.post(url(team, token)).status_code == 404
    token.token.refresh_from_db()
    assert token.token.revoked_at is None


def test_it_rejects_get(alice_client: Client, team: Team, token: Token) -> None:
    assert alice_client.get(url(team, token)).status_code == 405
