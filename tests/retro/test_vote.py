"""Dot voting: anonymous while open, counts only once closed, and only when at
least the round's minimum voted."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import reverse

from assessments.models import Round
from retro.models import RetroSession, Vote, VoteCount, Voter
from tests.retro.helpers import go_to, post


def open_voting(client: Client, round: Round, votes: int = 2) -> RetroSession:
    go_to(round, RetroSession.Step.VOTE)
    post(client, "voting_open", round, {"votes_each": votes})
    return RetroSession.objects.get(round=round)


def test_no_vote_row_references_a_user_or_a_time() -> None:
    for field in Vote._meta.get_fields():
        assert not (
            isinstance(field, models.ForeignKey) and field.related_model is User
        ), field
        assert not isinstance(field, (models.DateTimeField, models.DateField)), field
        assert not isinstance(field, models.AutoField), field
    # And the voter row holds nothing about where the dots went.
    assert {f.name for f in Voter._meta.get_fields()} == {
        "id",
        "session",
        "user",
        "used",
    }


def test_member_votes_up_to_their_share(
    alice_client: Client, bob_client: Client, bob: User, closed_round: Round
) -> None:
    session = open_voting(alice_client, closed_round, votes=2)
    dim = closed_round.dimensions.get(position=1)
    for _ in range(3):
        post(bob_client, "vote", closed_round, {"dimension": dim.pk})
    assert Vote.objects.filter(session=session).count() == 2
    assert Voter.objects.get(session=session, user=bob).used == 2
    body = bob_client.get(
        reverse("retro:session", args=[closed_round.code])
    ).content.decode()
    assert "You have 0 votes left" in body
    assert "Place a vote" not in body


def test_counts_are_not_shown_while_voting_is_open(
    alice_client: Client, bob_client: Client, closed_round: Round
) -> None:
    open_voting(alice_client, closed_round)
    dim = closed_round.dimensions.get(position=1)
    post(bob_client, "vote", closed_round, {"dimension": dim.pk})
    body = alice_client.get(
        reverse("retro:session", args=[closed_round.code])
    ).content.decode()
    assert "votes-caption" not in body


def test_closing_keeps_only_counts(
    alice_client: Client,
    bob_client: Client,
    dave_client: Client,
    closed_round: Round,
) -> None:
    session = open_voting(alice_client, closed_round, votes=2)
    one, two = closed_round.dimensions.order_by("position")[:2]
    post(alice_client, "vote", closed_round, {"dimension": one.pk})
    post(bob_client, "vote", closed_round, {"dimension": one.pk})
    post(bob_client, "vote", closed_round, {"dimension": two.pk})
    post(dave_client, "vote", closed_round, {"dimension": one.pk})
    post(alice_client, "voting_close", closed_round)
    session.refresh_from_db()
    assert session.voting == RetroSession.Voting.CLOSED
    assert session.voters == 3
    assert not Vote.objects.exists()
    assert not Voter.objects.exists()
    assert dict(VoteCount.objects.values_list("dimension_id", "count")) == {
        one.pk: 3,
        two.pk: 1,
    }
    body = bob_client.get(
        reverse("retro:session", args=[closed_round.code])
    ).content.decode()
    assert "Votes of 3 people" in body
    # After closing, nobody can vote any more.
    post(dave_client, "vote", closed_round, {"dimension": two.pk})
    assert VoteCount.objects.get(dimension=two).count == 1


def test_counts_of_too_few_voters_stay_hidden(
    alice_client: Client, bob_client: Client, closed_round: Round
) -> None:
    open_voting(alice_client, closed_round)
    one = closed_round.dimensions.get(position=1)
    post(alice_client, "vote", closed_round, {"dimension": one.pk})
    post(bob_client, "vote", closed_round, {"dimension": one.pk})
    post(alice_client, "voting_close", closed_round)
    body = bob_client.get(
        reverse("retro:session", args=[closed_round.code])
    ).content.decode()
    assert "Fewer than 3 people voted" in body
    assert "votes-caption" not in body


def test_it_requires_facilitator_to_open_and_close(
    bob_client: Client, alice_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.VOTE)
    assert (
        post(bob_client, "voting_open", closed_round, {"votes_each": 3}).status_code
        == 403
    )
    open_voting(alice_client, closed_round)
    assert post(bob_client, "voting_close", closed_round).status_code == 403
    assert RetroSession.objects.get(round=closed_round).voting == "open"


def test_outsider_cannot_vote(
    carol_client: Client, alice_client: Client, closed_round: Round
) -> None:
    open_voting(alice_client, closed_round)
    one = closed_round.dimensions.get(position=1)
    assert (
        post(carol_client, "vote", closed_round, {"dimension": one.pk}).status_code
        == 404
    )
    assert not Vote.objects.exists()


def test_a_bad_vote_is_refused(
    alice_client: Client, bob_client: Client, closed_round: Round
) -> None:
    open_voting(alice_client, closed_round)
    response = post(bob_client, "vote", closed_round, {"dimension": "999999"})
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_a_bad_number_of_votes_is_refused(
    alice_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.VOTE)
    response = post(alice_client, "voting_open", closed_round, {"votes_each": 0})
    assert response.status_code == 400
    assert "greater than or equal to 1" in response.content.decode()
    assert RetroSession.objects.get(round=closed_round).voting == "not_started"
