from __future__ import annotations

from django.test import Client

from assessments.models import Action, Round
from retro.models import RetroSession
from teams.models import Membership, Team
from tests.retro.helpers import go_to, post


def add(client: Client, round: Round, text: str, position: int = 1, **extra: object):  # type: ignore[no-untyped-def]
    dim = round.dimensions.get(position=position)
    return post(
        client, "action_add", round, {"text": text, "dimension": dim.pk, **extra}
    )


def test_facilitator_adds_an_action_with_owner_and_due_date(
    alice_client: Client, bob, closed_round: Round, team: Team
) -> None:  # type: ignore[no-untyped-def]
    go_to(closed_round, RetroSession.Step.ACTIONS)
    owner = Membership.objects.get(team=team, user=bob)
    response = add(
        alice_client,
        closed_round,
        "Review within a day",
        owner=owner.pk,
        due_on="2027-01-15",
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.text, action.owner, str(action.due_on)) == (
        "Review within a day",
        owner,
        "2027-01-15",
    )
    assert action.team == team
    assert action.state == Action.State.OPEN
    assert (
        action.team_dimension == closed_round.dimensions.get(position=1).team_dimension
    )


def test_at_most_the_team_limit(
    alice_client: Client, closed_round: Round, team: Team
) -> None:
    go_to(closed_round, RetroSession.Step.ACTIONS)
    for i in range(3):
        add(alice_client, closed_round, f"Action {i}")
    response = add(alice_client, closed_round, "A fourth")
    assert response.status_code == 400
    assert "at most 3 actions" in response.content.decode()
    assert Action.objects.count() == 3


def test_the_limit_is_a_team_setting(
    alice_client: Client, closed_round: Round, team: Team
) -> None:
    go_to(closed_round, RetroSession.Step.ACTIONS)
    post(alice_client, "action_limit", closed_round, {"action_limit": 1})
    team.refresh_from_db()
    assert team.action_limit == 1
    add(alice_client, closed_round, "One")
    assert add(alice_client, closed_round, "Two").status_code == 400


def test_bad_input_keeps_what_was_typed(
    alice_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.ACTIONS)
    response = post(
        alice_client, "action_add", closed_round, {"text": "Pair more", "dimension": ""}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="Pair more"' in body
    assert "This field is required" in body
    assert not Action.objects.exists()


def test_an_owner_from_another_team_is_refused(
    alice_client: Client, closed_round: Round, other_team: Team
) -> None:
    go_to(closed_round, RetroSession.Step.ACTIONS)
    stranger = Membership.objects.get(team=other_team)
    assert add(alice_client, closed_round, "X", owner=stranger.pk).status_code == 400
    assert not Action.objects.exists()


def test_it_requires_facilitator(bob_client: Client, closed_round: Round) -> None:
    go_to(closed_round, RetroSession.Step.ACTIONS)
    assert add(bob_client, closed_round, "Sneaky").status_code == 403
    assert not Action.objects.exists()


def test_facilitator_removes_an_action(
    alice_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.ACTIONS)
    add(alice_client, closed_round, "Oops")
    action = Action.objects.get()
    post(alice_client, "action_delete", closed_round, action=action.code)
    assert not Action.objects.exists()
