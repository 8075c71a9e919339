from __future__ import annotations

from django.test import Client

from teams.models import Team


def test_it_saves(alice_client: Client, team: Team) -> None:
    r = alice_client.post(
        f"/teams/{team.code}/edit/", {"name": "Alpha Two", "description": "New"}
    )
    assert r.status_code == 302
    team.refresh_from_db()
    assert team.name == "Alpha Two"
    assert team.description == "New"


def test_it_keeps_input_on_error(alice_client: Client, team: Team) -> None:
    r = alice_client.post(
        f"/teams/{team.code}/edit/", {"name": "", "description": "Typed text"}
    )
    assert r.status_code == 200
    assert "Typed text" in r.text
    team.refresh_from_db()
    assert team.name == "Alpha"


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    r = bob_client.post(f"/teams/{team.code}/edit/", {"name": "Hacked"})
    assert r.status_code == 403
    team.refresh_from_db()
    assert team.name == "Alpha"


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    r = carol_client.get(f"/teams/{team.code}/edit/")
    assert r.status_code == 404
