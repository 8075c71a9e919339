"""The facilitator's "Move the team" page and the archive download."""

from __future__ import annotations

import json

from django.contrib.auth.models import User
from django.test import Client

from assessments.models import Round
from teams.models import Team
from tests.factories import make_round


def test_it_shows_the_page_to_the_facilitator(
    client: Client, alice: User, team: Team
) -> None:
    client.force_login(alice)
    response = client.get(f"/teams/{team.code}/move/")
    assert response.status_code == 200
    assert f"/teams/{team.code}/move/team.json" in response.content.decode()
    team_page = client.get(f"/teams/{team.code}/").content.decode()
    assert f"/teams/{team.code}/move/" in team_page


def test_it_downloads_the_archive(client: Client, alice: User, team: Team) -> None:
    make_round(team, title="Q1", state=Round.State.CLOSED)
    client.force_login(alice)
    response = client.get(f"/teams/{team.code}/move/team.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="team-mirror-alpha.json"'
    )
    data = json.loads(response.content)
    assert data["format"] == "team-mirror-team"
    assert [r["title"] for r in data["rounds"]] == ["Q1"]


def test_it_says_to_close_an_open_round_first(
    client: Client, alice: User, team: Team
) -> None:
    make_round(team, title="Now", state=Round.State.OPEN)
    client.force_login(alice)
    response = client.get(f"/teams/{team.code}/move/team.json")
    assert response.status_code == 409
    assert "The round Now is open: close it before moving the team." in (
        response.content.decode()
    )


def test_it_requires_facilitator(client: Client, bob: User, team: Team) -> None:
    client.force_login(bob)
    assert client.get(f"/teams/{team.code}/move/").status_code == 403
    assert client.get(f"/teams/{team.code}/move/team.json").status_code == 403


def test_it_hides_team_from_outsider(client: Client, carol: User, team: Team) -> None:
    client.force_login(carol)
    assert client.get(f"/teams/{team.code}/move/").status_code == 404
    assert client.get(f"/teams/{team.code}/move/team.json").status_code == 404


def test_it_rejects_post(client: Client, alice: User, team: Team) -> None:
    client.force_login(alice)
    assert client.post(f"/teams/{team.code}/move/team.json").status_code == 405
