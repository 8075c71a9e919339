"""Dot voting: anonymous while open (one sealed ballot per voter), counts only once
closed, and only when at least the round's minimum voted; the round's roster
votes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import reverse

from assessments import sealing
from assessments.models import Round
from retro import ballots
from retro.models import Ballot, RetroSession, VoteCount
from teams.models import Membership, Team
from tests.conftest import client_for, make_user
from tests.retro.helpers import go_to, post


def open_voting(client: Client, round: Round, votes: int = 2) -> RetroSession:
    go_to(round, RetroSession.Step.VOTE)
    post(client, "voting_open", round, {"votes_each": votes})
    return RetroSession.objects.get(round=round)


def test_a_ballot_holds_nothing_readable_about_the_votes() -> None:
    for field in Ballot._meta.get_fields():
        assert not isinstance(field, (models.DateTimeField, models.DateField)), field
        assert not isinstance(field, models.AutoField), field
    assert {f.name for f in Ballot._meta.get_fields()} == {
        "id",
        "session",
        "kind",
        "user",
        "sealed",
    }


def test_member_votes_up_to_their_share(
    alice_client: Client, bob_client: Client, bob: User, closed_round: Round
) -> None:
    session = open_voting(alice_client, closed_round, votes=2)
    dim = closed_round.dimensions.get(position=1)
    for _ in range(3):
        post(bob_client, "vote", closed_round, {"dimension": dim.pk})
    assert ballots.own(session, Ballot.Kind.DOTS, bob.pk) == {dim.pk: 2}
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
    assert not Ballot.objects.exists()
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
    assert not Ballot.objects.exists()


def test_a_bad_vote_is_refused(
    alice_client: Client, bob_client: Client, closed_round: Round
) -> None:
    open_voting(alice_client, closed_round)
    response = post(bob_client, "vote", closed_round, {"dimension": "999999"})
    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_a_bad_number_of_votes_is_refused(
    alice_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.VOTE)
    response = post(alice_client, "voting_open", closed_round, {"votes_each": 0})
    assert response.status_code == 400
    assert "greater than or equal to 1" in response.content.decode()
    assert RetroSession.objects.get(round=closed_round).voting == "not_started"


def test_a_member_changes_their_mind_until_voting_closes(
    alice_client: Client, bob_client: Client, bob: User, closed_round: Round
) -> None:
    session = open_voting(alice_client, closed_round, votes=2)
    one, two = closed_round.dimensions.order_by("position")[:2]
    post(bob_client, "vote", closed_round, {"dimension": one.pk})
    post(bob_client, "vote", closed_round, {"dimension": one.pk})
    page = bob_client.get(reverse("retro:session", args=[closed_round.code]))
    assert "Your votes" in page.content.decode()
    assert "Take back a vote on Collaboration" in page.content.decode()
    post(bob_client, "vote_take_back", closed_round, {"dimension": one.pk})
    post(bob_client, "vote", closed_round, {"dimension": two.pk})
    assert ballots.own(session, Ballot.Kind.DOTS, bob.pk) == {one.pk: 1, two.pk: 1}
    # Taking back everything leaves no ballot: bob is not counted as a voter.
    post(bob_client, "vote_take_back", closed_round, {"dimension": one.pk})
    post(bob_client, "vote_take_back", closed_round, {"dimension": two.pk})
    post(bob_client, "vote_take_back", closed_round, {"dimension": two.pk})
    assert not Ballot.objects.exists()
    # Another member does not see bob's votes.
    body = alice_client.get(
        reverse("retro:session", args=[closed_round.code])
    ).content.decode()
    assert "Your votes" not in body


def test_a_member_who_joined_after_the_round_opened_does_not_vote(
    alice_client: Client, closed_round: Round, team: Team
) -> None:
    open_voting(alice_client, closed_round)
    erin = make_user("erin")
    Membership.objects.create(team=team, user=erin, role=Membership.Role.MEMBER)
    erin_client = client_for(erin)
    one = closed_round.dimensions.get(position=1)
    response = post(erin_client, "vote", closed_round, {"dimension": one.pk})
    assert response.status_code == 302
    assert not Ballot.objects.exists()
    body = erin_client.get(
        reverse("retro:session", args=[closed_round.code])
    ).content.decode()
    assert "You joined the team after this round opened" in body
    assert "Place a vote" not in body


def test_a_ballot_copied_to_another_voter_does_not_open(
    alice_client: Client,
    bob_client: Client,
    alice: User,
    bob: User,
    closed_round: Round,
) -> None:
    session = open_voting(alice_client, closed_round)
    one = closed_round.dimensions.get(position=1)
    post(bob_client, "vote", closed_round, {"dimension": one.pk})
    blob = bytes(Ballot.objects.get(user=bob).sealed)
    with pytest.raises(sealing.SealBroken):
        ballots.unseal(session, Ballot.Kind.DOTS, alice.pk, blob)


def test_an_outsider_cannot_take_back_a_vote(
    carol_client: Client, alice_client: Client, bob_client: Client, closed_round: Round
) -> None:
    open_voting(alice_client, closed_round)
    one = closed_round.dimensions.get(position=1)
    post(bob_client, "vote", closed_round, {"dimension": one.pk})
    response = post(carol_client, "vote_take_back", closed_round, {"dimension": one.pk})
    assert response.status_code == 404
    assert Ballot.objects.count() == 1


def test_a_ballot_no_key_opens_is_left_out_not_a_failure(
    alice_client: Client,
    bob_client: Client,
    dave_client: Client,
    bob: User,
    closed_round: Round,
) -> None:
    session = open_voting(alice_client, closed_round)
    one = closed_round.dimensions.get(position=1)
    for client in (alice_client, bob_client, dave_client):
        post(client, "vote", closed_round, {"dimension": one.pk})
    # As if the sealing key had changed without the old one kept as a fallback.
    Ballot.objects.filter(user=bob).update(sealed=b"\x01" + b"\x00" * 64)
    page = bob_client.get(reverse("retro:session", args=[closed_round.code]))
    assert page.status_code == 200
    assert "You have 2 votes left" in page.content.decode()
    assert post(alice_client, "voting_close", closed_round).status_code == 302
    session.refresh_from_db()
    assert (session.voting, session.voters) == ("closed", 2)
    assert VoteCount.objects.get(dimension=one).count == 2
