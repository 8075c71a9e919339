from __future__ import annotations

from typing import Any

from django.test import Client

from assessments.models import BuiltinDimension, TeamDimension
from teams.models import Team


def _url(team: Team) -> str:
    return f"/teams/{team.code}/dimensions/new/"


def _data(**extra: Any) -> dict[str, Any]:
    data = {
        "name": "Psychological safety",
        "prompt": "Can we speak up?",
        "signs_of_struggle": "Silence in retros.",
        "level_1": "People keep quiet.",
        "level_2": "People speak up.",
        "level_3": "People challenge each other kindly.",
        "position": "13",
    }
    data.update(extra)
    return data


def test_it_adds_a_custom_dimension(
    alice_client: Client, team: Team, other_team: Team
) -> None:
    r = alice_client.post(_url(team), _data())
    assert r.status_code == 302
    dim = TeamDimension.objects.get(name="Psychological safety")
    assert dim.team == team
    assert dim.is_custom()
    assert (dim.level_1, dim.level_3) == (
        "People keep quiet.",
        "People challenge each other kindly.",
    )
    assert not other_team.dimensions.filter(name="Psychological safety").exists()
    assert BuiltinDimension.objects.count() == 12


def test_it_suggests_the_next_position(alice_client: Client, team: Team) -> None:
    r = alice_client.get(_url(team))
    assert 'name="position" value="13"' in r.text


def test_it_keeps_input_on_error(alice_client: Client, team: Team) -> None:
    r = alice_client.post(_url(team), _data(level_2=""))
    assert r.status_code == 200
    assert "This field is required." in r.text
    assert "Can we speak up?" in r.text
    assert not TeamDimension.objects.filter(name="Psychological safety").exists()


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    assert bob_client.post(_url(team), _data()).status_code == 403
    assert not TeamDimension.objects.filter(name="Psychological safety").exists()


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    assert carol_client.get(_url(team)).status_code == 404
    assert carol_client.post(_url(team), _data()).status_code == 404
    assert not TeamDimension.objects.filter(name="Psychological safety").exists()
