"""Hiding a dimension from new rounds, and showing it again."""

from __future__ import annotations

import pytest
from django.test import Client

from assessments.models import TeamDimension
from teams.models import Team


def _url(team: Team, dim: TeamDimension, action: str) -> str:
    return f"/teams/{team.code}/dimensions/{dim.code}/{action}/"


def test_it_hides_and_shows(alice_client: Client, team: Team) -> None:
    dim = team.dimensions.get(position=4)
    assert alice_client.post(_url(team, dim, "hide")).status_code == 302
    dim.refresh_from_db()
    assert dim.archived
    assert dim not in team.dimensions.active()
    r = alice_client.get(f"/teams/{team.code}/rounds/new/")
    assert f"dim_{dim.code.hex}_include" not in r.text
    alice_client.post(_url(team, dim, "show"))
    dim.refresh_from_db()
    assert not dim.archived


@pytest.mark.parametrize("action", ["hide", "show"])
def test_it_requires_facilitator(bob_client: Client, team: Team, action: str) -> None:
    dim = team.dimensions.get(position=4)
    assert bob_client.post(_url(team, dim, action)).status_code == 403


@pytest.mark.parametrize("action", ["hide", "show"])
def test_it_hides_team_from_outsider(
    carol_client: Client, team: Team, action: str
) -> None:
    dim = team.dimensions.get(position=4)
    assert carol_client.post(_url(team, dim, action)).status_code == 404
    dim.refresh_from_db()
    assert not dim.archived


@pytest.mark.parametrize("action", ["hide", "show"])
def test_it_rejects_get(alice_client: Client, team: Team, action: str) -> None:
    dim = team.dimensions.get(position=4)
    assert alice_client.get(_url(team, dim, action)).status_code == 405
