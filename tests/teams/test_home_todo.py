"""The home page says what to do: rounds waiting for my answer, drafts to open."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from assessments.models import Participation, Round
from assessments.services import team_start
from teams.models import Membership, Team
from tests.factories import make_round


def test_it_lists_rounds_waiting_for_my_answer(bob_client: Client, team: Team) -> None:
    round = make_round(team, title="Spring check")
    r = bob_client.get("/")
    assert "What to do now" in r.text
    assert '“<bdi dir="auto">Spring check</bdi>” is waiting for your answer' in r.text
    assert f'href="/rounds/{round.code}/answer/"' in r.text


def test_an_answered_round_is_done(bob_client: Client, bob: User, team: Team) -> None:
    round = make_round(team, title="Spring check")
    Participation.objects.create(round=round, user=bob)
    r = bob_client.get("/")
    assert "Spring check" not in r.text
    assert "Nothing is waiting for you" in r.text


def test_closed_draft_and_past_rounds_are_not_waiting(
    bob_client: Client, team: Team
) -> None:
    make_round(team, title="Closed one", state=Round.State.CLOSED)
    past = make_round(team, title="Past its date")
    Round.objects.filter(pk=past.pk).update(
        closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    make_round(team, title="A draft", state=Round.State.DRAFT)
    r = bob_client.get("/")
    for title in ("Closed one", "Past its date", "A draft"):
        assert title not in r.text  # bob is a member: drafts are not his to open


def test_a_facilitator_is_told_about_drafts(alice_client: Client, team: Team) -> None:
    make_round(team, title="A draft", state=Round.State.DRAFT)
    r = alice_client.get("/")
    assert 'the draft “<bdi dir="auto">A draft</bdi>” is not open yet' in r.text


def test_other_teams_rounds_are_not_shown(bob_client: Client, carol: User) -> None:
    other = team_start(name="Other", description="", creator=carol)
    make_round(other, title="Not yours")
    r = bob_client.get("/")
    assert "Not yours" not in r.text


def test_queries_do_not_grow_with_teams_and_rounds(
    bob_client: Client, bob: User, carol: User, django_assert_max_num_queries: object
) -> None:
    for n in range(6):
        team = team_start(name=f"T{n}", description="", creator=carol)
        Membership.objects.create(team=team, user=bob)
        make_round(team, title=f"R{n}", dimensions=2)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        r = bob_client.get("/")
    assert r.text.count("is waiting for your answer") == 6


def test_it_lists_retros_to_join_and_my_actions(
    bob_client: Client, bob: User, team: Team
) -> None:
    from assessments.models import Action
    from retro.models import RetroSession

    round = make_round(team, title="Closed one", state=Round.State.CLOSED)
    RetroSession.objects.create(round=round)
    mine = Membership.objects.get(team=team, user=bob)
    Action.objects.create(team=team, round=round, text="Pair on reviews", owner=mine)
    Action.objects.create(team=team, round=round, text="Nobody's", owner=None)
    r = bob_client.get("/")
    assert 'the retro on “<bdi dir="auto">Closed one</bdi>” is under way' in r.text
    assert f'href="/rounds/{round.code}/retro/"' in r.text
    assert 'your action “<bdi dir="auto">Pair on reviews</bdi>”' in r.text
    assert "Nobody&#x27;s" not in r.text


def test_a_finished_retro_and_done_actions_are_not_listed(
    bob_client: Client, bob: User, team: Team
) -> None:
    from assessments.models import Action
    from retro.models import RetroSession

    round = make_round(team, title="Closed one", state=Round.State.CLOSED)
    RetroSession.objects.create(round=round, finished_at=timezone.now())
    mine = Membership.objects.get(team=team, user=bob)
    Action.objects.create(
        team=team, round=round, text="Done already", owner=mine, state="done"
    )
    r = bob_client.get("/")
    assert "the retro on" not in r.text
    assert "Done already" not in r.text
    assert "Nothing is waiting for you" in r.text
