from __future__ import annotations

from django.test import Client

from assessments.models import BuiltinDimension, TeamDimension
from teams.models import Team


def _url(team: Team, dim: TeamDimension) -> str:
    return f"/teams/{team.code}/dimensions/{dim.code}/reset/"


def test_it_restores_the_framework_wording(alice_client: Client, team: Team) -> None:
    dim = team.dimensions.get(position=2)
    TeamDimension.objects.filter(pk=dim.pk).update(name="Planning", level_1="Meh")
    r = alice_client.post(_url(team, dim), follow=True)
    assert "The framework&#x27;s own wording is back." in r.text
    dim.refresh_from_db()
    assert dim.texts() == BuiltinDimension.objects.get(position=2).texts()


def test_it_leaves_custom_dimensions_alone(alice_client: Client, team: Team) -> None:
    dim = TeamDimension.objects.create(
        team=team, name="Own", prompt="p", level_1="a", level_2="b", level_3="c"
    )
    alice_client.post(_url(team, dim))
    dim.refresh_from_db()
    assert dim.name == "Own"


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    dim = team.dimensions.get(position=2)
    TeamDimension.objects.filter(pk=dim.pk).update(name="Planning")
    assert bob_client.post(_url(team, dim)).status_code == 403
    dim.refresh_from_db()
    assert dim.name == "Planning"


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    dim = team.dimensions.get(position=2)
    assert carol_client.post(_url(team, dim)).status_code == 404


def test_it_rejects_get(alice_client: Client, team: Team) -> None:
    dim = team.dimensions.get(position=2)
    assert alice_client.get(_url(team, dim)).status_code == 405
