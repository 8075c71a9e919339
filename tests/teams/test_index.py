from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from teams.models import Team
from tests.coach.conftest import share


def test_it_lists_my_teams_only(
    bob_client: Client, team: Team, other_team: Team
) -> None:
    r = bob_client.get("/")
    assert r.status_code == 200
    assert "Alpha" in r.text
    assert "Other" not in r.text


def test_it_requires_login(client: Client, db: None) -> None:
    r = client.get("/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_it_has_security_headers(bob_client: Client, team: Team) -> None:
    r = bob_client.get("/")
    assert "script-src 'self'" in r["Content-Security-Policy"]
    assert "default-src 'self'" in r["Content-Security-Policy"]
    assert r["Referrer-Policy"] == "same-origin"
    assert r["X-Frame-Options"] == "DENY"


def test_it_invites_a_newcomer_to_create_a_team(cora_client: Client) -> None:
    r = cora_client.get("/")
    assert "You are not in a team yet" in r.text


def test_it_does_not_call_a_coach_teamless(
    cora_client: Client, cora: User, team: Team
) -> None:
    share(team, cora)
    r = cora_client.get("/")
    assert "Alpha" in r.text
    assert "You are not in a team yet" not in r.text
