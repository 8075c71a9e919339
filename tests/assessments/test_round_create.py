from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from assessments.models import Round, TeamDimension
from teams.models import Team


def _url(team: Team) -> str:
    return f"/teams/{team.code}/rounds/new/"


def _data(team: Team, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"title": "Q1 2027 check-in", "min_responses": "3"}
    for dim in team.dimensions.all():
        data[f"dim_{dim.code.hex}_include"] = "on"
        data[f"dim_{dim.code.hex}_position"] = str(dim.position)
    data.update(extra)
    return data


def test_it_offers_all_twelve_dimensions(alice_client: Client, team: Team) -> None:
    r = alice_client.get(_url(team))
    assert r.status_code == 200
    assert r.text.count('type="checkbox"') == 12
    assert r.text.count(" checked") == 12
    assert 'name="min_responses"' in r.text
    assert 'value="3"' in r.text


def test_it_creates_a_draft_with_all_dimensions(
    alice_client: Client, team: Team
) -> None:
    r = alice_client.post(_url(team), _data(team))
    round = Round.objects.get()
    assert r.status_code == 302
    assert r["Location"] == round.get_absolute_url()
    assert (round.title, round.state, round.min_responses) == (
        "Q1 2027 check-in",
        Round.State.DRAFT,
        3,
    )
    assert round.closes_at is None
    assert round.dimensions.count() == 12


def test_it_keeps_the_chosen_subset_in_the_chosen_order(
    alice_client: Client, team: Team
) -> None:
    dims = list(team.dimensions.order_by("position"))
    data = _data(team)
    for dim in dims[3:]:
        del data[f"dim_{dim.code.hex}_include"]
    data[f"dim_{dims[0].code.hex}_position"] = "9"
    data[f"dim_{dims[2].code.hex}_position"] = "1"
    alice_client.post(_url(team), data)
    round = Round.objects.get()
    chosen = list(round.dimensions.order_by("position"))
    assert [d.team_dimension for d in chosen] == [dims[2], dims[1], dims[0]]
    assert [d.position for d in chosen] == [1, 2, 3]
    assert chosen[0].name == dims[2].name


def test_it_sets_closing_date_at_end_of_day(alice_client: Client, team: Team) -> None:
    day = timezone.localdate() + timedelta(days=7)
    alice_client.post(_url(team), _data(team, closes_on=day.isoformat()))
    round = Round.objects.get()
    assert round.closes_at is not None
    closes = timezone.localtime(round.closes_at)
    assert closes.date() == day + timedelta(days=1)
    assert (closes.hour, closes.minute) == (0, 0)


def test_it_refuses_past_closing_date(alice_client: Client, team: Team) -> None:
    day = timezone.localdate() - timedelta(days=1)
    r = alice_client.post(_url(team), _data(team, closes_on=day.isoformat()))
    assert r.status_code == 200
    assert "Choose today or a later date." in r.text
    assert 'value="Q1 2027 check-in"' in r.text
    assert not Round.objects.exists()


def test_it_refuses_minimum_below_three(alice_client: Client, team: Team) -> None:
    r = alice_client.post(_url(team), _data(team, min_responses="2"))
    assert r.status_code == 200
    assert "greater than or equal to 3" in r.text
    assert not Round.objects.exists()


def test_it_requires_a_dimension(alice_client: Client, team: Team) -> None:
    data = {"title": "Empty", "min_responses": "3"}
    r = alice_client.post(_url(team), data)
    assert "Choose at least one dimension." in r.text
    assert not Round.objects.exists()


def test_it_offers_custom_but_not_hidden_dimensions(
    alice_client: Client, team: Team
) -> None:
    TeamDimension.objects.create(
        team=team,
        name="Psychological safety",
        prompt="p",
        level_1="a",
        level_2="b",
        level_3="c",
        position=13,
    )
    team.dimensions.filter(position=1).update(archived=True)
    r = alice_client.get(_url(team))
    assert "Psychological safety" in r.text
    assert "Collaboration &amp; Communication" not in r.text


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    assert bob_client.get(_url(team)).status_code == 403
    assert bob_client.post(_url(team), _data(team)).status_code == 403
    assert not Round.objects.exists()


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    assert carol_client.get(_url(team)).status_code == 404
    assert carol_client.post(_url(team), _data(team)).status_code == 404
    assert not Round.objects.exists()


def test_it_refuses_a_round_without_dimensions(
    alice_client: Client, team: Team
) -> None:
    team.dimensions.update(archived=True)
    r = alice_client.post(_url(team), {"title": "Empty", "min_responses": "3"})
    assert r.status_code == 200
    assert "All of the team's dimensions are hidden" in r.text
    assert "Choose at least one dimension." in r.text
    assert not Round.objects.exists()
