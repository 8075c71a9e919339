"""The rounds section of the team page."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from assessments.models import Participation, Round
from teams.models import Membership, Team
from tests.factories import make_round


def _url(team: Team) -> str:
    return f"/teams/{team.code}/"


def test_it_lists_rounds_with_state_and_progress(
    bob_client: Client, team: Team, alice: User
) -> None:
    closed = make_round(team, title="Q4 2026", state=Round.State.CLOSED)
    current = make_round(team, title="Q1 2027")
    Participation.objects.create(round=current, user=alice)
    r = bob_client.get(_url(team))
    assert closed.get_absolute_url() in r.text
    assert current.get_absolute_url() in r.text
    assert "Closed" in r.text
    assert "Open" in r.text
    assert "1 of 2 members answered" in r.text
    assert f"/rounds/{current.code}/answer/" in r.text
    # Members do not get facilitator actions.
    assert f"/teams/{team.code}/rounds/new/" not in r.text
    assert f"/teams/{team.code}/dimensions/" not in r.text


def test_it_says_when_i_answered(bob_client: Client, team: Team, bob: User) -> None:
    current = make_round(team)
    Participation.objects.create(round=current, user=bob)
    r = bob_client.get(_url(team))
    assert "You have answered" in r.text
    assert f"/rounds/{current.code}/answer/" not in r.text


def test_it_offers_facilitator_actions(alice_client: Client, team: Team) -> None:
    r = alice_client.get(_url(team))
    assert f"/teams/{team.code}/rounds/new/" in r.text
    assert f"/teams/{team.code}/dimensions/" in r.text


def test_it_closes_rounds_past_their_date(bob_client: Client, team: Team) -> None:
    round = make_round(team)
    Round.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() - timedelta(hours=1)
    )
    r = bob_client.get(_url(team))
    assert f"/rounds/{round.code}/answer/" not in r.text
    round.refresh_from_db()
    assert round.state == Round.State.CLOSED


def test_it_does_not_list_other_teams_rounds(
    bob_client: Client, team: Team, other_team: Team
) -> None:
    theirs = make_round(other_team, title="Their secret round")
    r = bob_client.get(_url(team))
    assert "Their secret round" not in r.text
    assert str(theirs.code) not in r.text


def test_its_queries_do_not_grow_with_rounds(
    bob_client: Client, team: Team, django_assert_max_num_queries
) -> None:
    users = [User.objects.create_user(f"member{i}") for i in range(4)]
    for user in users:
        Membership.objects.create(team=team, user=user)
    for i in range(6):
        round = make_round(team, title=f"Round {i}", state=Round.State.CLOSED)
        for user in users:
            Participation.objects.create(round=round, user=user)
    with django_assert_max_num_queries(14):
        r = bob_client.get(_url(team))
    assert r.text.count("4 of 6 members answered") == 6


def test_it_links_closed_rounds_to_their_report(bob_client: Client, team: Team) -> None:
    closed = make_round(team, title="Done", state=Round.State.CLOSED)
    open_round = make_round(team, title="Now")
    r = bob_client.get(f"/teams/{team.code}/")
    assert f"/rounds/{closed.code}/report/" in r.text
    assert f"/rounds/{open_round.code}/report/" not in r.text
