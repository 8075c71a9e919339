from __future__ import annotations

from django.test import Client

from assessments.models import TeamDimension
from teams.models import Team


def _url(team: Team) -> str:
    return f"/teams/{team.code}/dimensions/"


def test_it_lists_the_teams_dimensions(alice_client: Client, team: Team) -> None:
    TeamDimension.objects.filter(team=team, position=2).update(name="Planning")
    TeamDimension.objects.filter(team=team, position=3).update(archived=True)
    r = alice_client.get(_url(team))
    assert r.status_code == 200
    assert r.text.count("/edit/") == 12
    assert "Planning" in r.text
    assert "Framework, reworded" in r.text
    assert "hidden from new rounds" in r.text
    assert "Restore framework wording" in r.text


def test_it_does_not_list_other_teams_dimensions(
    alice_client: Client, team: Team, other_team: Team
) -> None:
    TeamDimension.objects.filter(team=other_team, position=1).update(name="Theirs")
    r = alice_client.get(_url(team))
    assert "Theirs" not in r.text


def test_its_queries_do_not_grow(
    alice_client: Client, team: Team, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(8):
        alice_client.get(_url(team))


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    assert bob_client.get(_url(team)).status_code == 403


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    assert carol_client.get(_url(team)).status_code == 404
