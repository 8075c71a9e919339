"""Closing the retro with "was this worth our time?" (ROTI, issue 28 point 6): an
anonymous 1-5 answer from the round's roster, kept sealed per person while the
question is open (the dot vote's ballots, one implementation), counted once at its
close, shown only when at least the round's minimum answered, and trended on the
team page."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Round
from retro import ballots, services
from retro.models import Ballot, RetroSession, RotiCount
from teams.models import Membership, Team
from tests.conftest import client_for, make_user
from tests.retro.conftest import answered_round
from tests.retro.helpers import go_to, post


def page(client: Client, round: Round) -> str:
    return client.get(reverse("retro:session", args=[round.code])).content.decode()


def ask(client: Client, round: Round) -> RetroSession:
    go_to(round, RetroSession.Step.CLOSE)
    post(client, "roti_open", round)
    return RetroSession.objects.get(round=round)


def test_it_works(
    alice_client: Client, bob_client: Client, dave_client: Client, closed_round: Round
) -> None:
    session = ask(alice_client, closed_round)
    assert "Was this worth our time?" in page(bob_client, closed_round)
    for client, score in ((alice_client, 4), (bob_client, 5), (dave_client, 4)):
        assert post(client, "roti", closed_round, {"score": score}).status_code == 302
    assert Ballot.objects.filter(kind=Ballot.Kind.ROTI).count() == 3
    assert not RotiCount.objects.exists()  # nothing counted while it is open
    post(alice_client, "roti_close", closed_round)
    session.refresh_from_db()
    assert (session.roti, session.roti_voters) == (RetroSession.Voting.CLOSED, 3)
    assert not Ballot.objects.exists()
    assert dict(RotiCount.objects.values_list("score", "count")) == {
        1: 0,
        2: 0,
        3: 0,
        4: 2,
        5: 1,
    }
    body = page(bob_client, closed_round)
    assert "Answers of 3 people" in body
    assert "4.3 of 5" in body


def test_counts_are_hidden_while_it_is_open(
    alice_client: Client, bob_client: Client, dave_client: Client, closed_round: Round
) -> None:
    ask(alice_client, closed_round)
    for client in (alice_client, bob_client, dave_client):
        post(client, "roti", closed_round, {"score": 2})
    assert "roti-caption" not in page(alice_client, closed_round)


def test_an_answer_can_be_changed_until_the_question_closes(
    alice_client: Client, bob_client: Client, bob: User, closed_round: Round
) -> None:
    session = ask(alice_client, closed_round)
    post(bob_client, "roti", closed_round, {"score": 2})
    post(bob_client, "roti", closed_round, {"score": 5})
    assert ballots.own(session, Ballot.Kind.ROTI, bob.pk) == {5: 1}
    assert 'value="5" checked' in page(bob_client, closed_round)
    assert 'value="5" checked' not in page(alice_client, closed_round)
    post(alice_client, "roti_close", closed_round)
    assert post(bob_client, "roti", closed_round, {"score": 1}).status_code == 302
    assert RotiCount.objects.get(score=5).count == 1
    assert RotiCount.objects.get(score=1).count == 0


def test_counts_of_too_few_stay_hidden(
    alice_client: Client, bob_client: Client, closed_round: Round
) -> None:
    ask(alice_client, closed_round)
    post(alice_client, "roti", closed_round, {"score": 3})
    post(bob_client, "roti", closed_round, {"score": 1})
    post(alice_client, "roti_close", closed_round)
    body = page(bob_client, closed_round)
    assert "roti-caption" not in body
    assert "Fewer than 3 people answered" in body


def test_a_member_who_joined_after_the_round_opened_does_not_answer(
    alice_client: Client, closed_round: Round, team: Team
) -> None:
    ask(alice_client, closed_round)
    erin = make_user("erin")
    Membership.objects.create(team=team, user=erin, role=Membership.Role.MEMBER)
    erin_client = client_for(erin)
    post(erin_client, "roti", closed_round, {"score": 5})
    assert not Ballot.objects.exists()
    body = page(erin_client, closed_round)
    assert "You joined the team after this round opened" in body
    assert 'name="score"' not in body


def test_a_bad_score_is_refused(
    alice_client: Client, bob_client: Client, closed_round: Round
) -> None:
    ask(alice_client, closed_round)
    response = post(bob_client, "roti", closed_round, {"score": "9"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Ballot.objects.exists()


def test_it_requires_facilitator_to_ask_and_close(
    alice_client: Client, bob_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.CLOSE)
    assert post(bob_client, "roti_open", closed_round).status_code == 403
    ask(alice_client, closed_round)
    assert post(bob_client, "roti_close", closed_round).status_code == 403
    assert RetroSession.objects.get(round=closed_round).roti == "open"


def test_it_hides_the_question_from_an_outsider(
    alice_client: Client, carol_client: Client, closed_round: Round
) -> None:
    ask(alice_client, closed_round)
    for name, data in (("roti", {"score": 3}), ("roti_open", {}), ("roti_close", {})):
        assert post(carol_client, name, closed_round, data).status_code == 404
    assert not Ballot.objects.exists()


def test_it_rejects_get(alice_client: Client, closed_round: Round) -> None:
    go_to(closed_round, RetroSession.Step.CLOSE)
    for name in ("roti", "roti_open", "roti_close"):
        url = reverse(f"retro:{name}", args=[closed_round.code])
        assert alice_client.get(url).status_code == 405


def test_closing_the_retro_closes_the_question(
    alice_client: Client, bob_client: Client, dave_client: Client, closed_round: Round
) -> None:
    session = ask(alice_client, closed_round)
    for client in (alice_client, bob_client, dave_client):
        post(client, "roti", closed_round, {"score": 3})
    post(alice_client, "finish", closed_round, {"summary": "Done."})
    session.refresh_from_db()
    assert (session.roti, session.roti_voters) == ("closed", 3)
    assert not Ballot.objects.exists()
    assert RotiCount.objects.get(score=3).count == 3


def test_the_team_page_trends_it(
    alice_client: Client,
    bob: User,
    dave: User,
    alice: User,
    team: Team,
) -> None:
    rounds = [answered_round(team, title) for title in ("Q1", "Q2", "Q3")]
    for round, scores in zip(rounds, ([2, 3, 3], [4, 4, 5], [5, 5]), strict=True):
        session = services.session_start(round=round)
        services.roti_open(session=session)
        for user, score in zip((alice, bob, dave), scores, strict=False):
            services.roti_answer(session=session, user=user, score=score)
        services.roti_close(session=session)
    body = alice_client.get(reverse("teams:detail", args=[team.code])).content.decode()
    assert "Was the retro worth our time?" in body
    assert "2.7 of 5" in body
    assert "4.3 of 5" in body
    # Two people answered the third: hidden, not merged.
    assert "5.0 of 5" not in body
    assert "Too few answered" in body
