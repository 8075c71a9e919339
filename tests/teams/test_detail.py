from __future__ import annotations

from django.test import Client

from teams.models import Team


def test_it_shows_team_to_member(bob_client: Client, team: Team) -> None:
    r = bob_client.get(f"/teams/{team.code}/")
    assert r.status_code == 200
    assert "Alpha" in r.text
    assert "alice" in r.text
    # Members do not see facilitator actions.
    assert f"/teams/{team.code}/edit/" not in r.text


def test_it_shows_facilitator_actions(alice_client: Client, team: Team) -> None:
    r = alice_client.get(f"/teams/{team.code}/")
    assert f"/teams/{team.code}/edit/" in r.text


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    r = carol_client.get(f"/teams/{team.code}/")
    assert r.status_code == 404
    assert "Alpha" not in r.text


def test_it_hides_unknown_team(bob_client: Client, team: Team) -> None:
    r = bob_client.get("/teams/00000000-0000-4000-8000-000000000000/")
    assert r.status_code == 404
