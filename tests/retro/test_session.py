from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from assessments.models import Round
from retro.models import RetroSession
from teams.models import CoachShare, Team
from tests.factories import add_response, make_round
from tests.retro.helpers import go_to, post


def url(round: Round) -> str:
    return reverse("retro:session", args=[round.code])


def test_facilitator_starts_the_retro(
    alice_client: Client, closed_round: Round
) -> None:
    response = alice_client.get(url(closed_round))
    assert "Start the retro" in response.content.decode()
    response = post(alice_client, "start", closed_round)
    assert response.status_code == 302
    session = RetroSession.objects.get(round=closed_round)
    assert session.step == RetroSession.Step.REVIEW


def test_starting_twice_keeps_one_session(
    alice_client: Client, closed_round: Round
) -> None:
    post(alice_client, "start", closed_round)
    post(alice_client, "start", closed_round)
    assert RetroSession.objects.filter(round=closed_round).count() == 1


def test_it_requires_facilitator_to_start(
    bob_client: Client, closed_round: Round
) -> None:
    assert post(bob_client, "start", closed_round).status_code == 403
    assert not RetroSession.objects.exists()


def test_member_waits_for_the_facilitator(
    bob_client: Client, closed_round: Round
) -> None:
    body = bob_client.get(url(closed_round)).content.decode()
    assert "has not started the retro yet" in body
    assert "Start the retro" not in body


def test_an_open_round_has_no_retro_yet(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.OPEN, dimensions=3)
    for _ in range(3):
        add_response(round, [1, 2, 3])
    body = alice_client.get(url(round)).content.decode()
    assert "starts once the round has closed" in body
    post(alice_client, "start", round)
    assert not RetroSession.objects.exists()


def test_it_hides_the_retro_from_an_outsider(
    carol_client: Client, closed_round: Round
) -> None:
    assert carol_client.get(url(closed_round)).status_code == 404
    assert post(carol_client, "start", closed_round).status_code == 404


def test_a_coach_the_team_shares_with_gets_404(
    cora_client: Client, cora, closed_round: Round, team: Team, alice
) -> None:  # type: ignore[no-untyped-def]
    CoachShare.objects.create(team=team, coach=cora, include_notes=True)
    go_to(closed_round, RetroSession.Step.DISCUSS)
    assert cora_client.get(url(closed_round)).status_code == 404
    assert (
        cora_client.get(reverse("retro:step", args=[closed_round.code])).status_code
        == 404
    )


def test_it_rejects_get_on_writes(alice_client: Client, closed_round: Round) -> None:
    go_to(closed_round, RetroSession.Step.REVIEW)
    for name in (
        "start",
        "next",
        "back",
        "order",
        "vote",
        "voting_open",
        "voting_close",
        "finish",
        "action_add",
    ):
        assert (
            alice_client.get(
                reverse(f"retro:{name}", args=[closed_round.code])
            ).status_code
            == 405
        )


def test_next_and_back_walk_the_steps(
    alice_client: Client, closed_round: Round
) -> None:
    session = go_to(closed_round, RetroSession.Step.REVIEW)
    post(alice_client, "next", closed_round)
    session.refresh_from_db()
    assert session.step == RetroSession.Step.REVEAL
    post(alice_client, "next", closed_round)
    session.refresh_from_db()
    assert (session.step, session.discuss_index) == (RetroSession.Step.DISCUSS, 0)
    # Three dimensions with results: three discussion screens.
    post(alice_client, "next", closed_round)
    post(alice_client, "next", closed_round)
    session.refresh_from_db()
    assert (session.step, session.discuss_index) == (RetroSession.Step.DISCUSS, 2)
    post(alice_client, "next", closed_round)
    session.refresh_from_db()
    assert session.step == RetroSession.Step.VOTE
    post(alice_client, "back", closed_round)
    session.refresh_from_db()
    assert (session.step, session.discuss_index) == (RetroSession.Step.DISCUSS, 2)


def test_member_cannot_move_the_meeting(
    bob_client: Client, closed_round: Round
) -> None:
    session = go_to(closed_round, RetroSession.Step.REVIEW)
    assert post(bob_client, "next", closed_round).status_code == 403
    assert (
        post(bob_client, "order", closed_round, {"order": "lowest"}).status_code == 403
    )
    session.refresh_from_db()
    assert session.step == RetroSession.Step.REVIEW


def test_review_step_shows_no_result(bob_client: Client, closed_round: Round) -> None:
    go_to(closed_round, RetroSession.Step.REVIEW)
    body = bob_client.get(url(closed_round)).content.decode()
    assert "What we agreed last time" in body
    assert "radar" not in body.lower()
    assert "We talk past each other" not in body
    assert "Late reviews" not in body


def test_reveal_shows_the_radar_and_what_to_talk_about(
    bob_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.REVEAL)
    body = bob_client.get(url(closed_round)).content.decode()
    assert reverse("reports:radar_svg", args=[closed_round.code]) in body
    assert "What to talk about" in body
    # Nothing of the discussion yet: no comment, no note.
    assert "We talk past each other" not in body
    assert "Late reviews" not in body


def test_discussion_starts_with_the_most_disagreement(
    bob_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.DISCUSS)
    body = bob_client.get(url(closed_round)).content.decode()
    first = closed_round.dimensions.get(position=1)
    assert f'Discuss: <bdi dir="auto">{escape(first.label)}</bdi> (1 of 3)' in body
    assert "We talk past each other" in body
    assert "Late reviews" in body
    assert "Demo days" in body
    assert "Pairing" not in body  # tagged with dimension 2


def test_facilitator_orders_lowest_first(
    alice_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.DISCUSS, index=1)
    post(alice_client, "order", closed_round, {"order": "lowest"})
    session = RetroSession.objects.get(round=closed_round)
    assert (session.order, session.discuss_index) == ("lowest", 0)
    body = alice_client.get(url(closed_round)).content.decode()
    third = closed_round.dimensions.get(position=3)
    assert f'Discuss: <bdi dir="auto">{escape(third.label)}</bdi> (1 of 3)' in body


def test_a_bad_order_is_refused_on_the_page(
    alice_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.DISCUSS)
    response = post(alice_client, "order", closed_round, {"order": "loudest"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_discussion_hides_a_dimension_below_the_minimum(
    bob_client: Client, team: Team
) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=2)
    for levels in ([1, None], [2, None], [3, 2]):
        add_response(round, levels)
    go_to(round, RetroSession.Step.DISCUSS, index=1)
    body = bob_client.get(url(round)).content.decode()
    assert "(1 of 1)" in body  # only one rated by three


class TestPoll:
    def test_it_says_nothing_new_at_the_same_version(
        self, bob_client: Client, closed_round: Round
    ) -> None:
        session = go_to(closed_round, RetroSession.Step.REVIEW)
        step = reverse("retro:step", args=[closed_round.code])
        assert bob_client.get(f"{step}?v={session.version}").status_code == 204

    def test_it_returns_only_the_new_step(
        self, alice_client: Client, bob_client: Client, closed_round: Round
    ) -> None:
        session = go_to(closed_round, RetroSession.Step.REVIEW)
        before = session.version
        post(alice_client, "next", closed_round)
        step = reverse("retro:step", args=[closed_round.code])
        response = bob_client.get(f"{step}?v={before}")
        body = response.content.decode()
        assert response.status_code == 200
        assert "2. Reveal" in body
        assert "<html" not in body
        assert 'hx-trigger="every 3s"' in body

    def test_before_the_start_it_polls_for_the_start(
        self, bob_client: Client, alice_client: Client, closed_round: Round
    ) -> None:
        step = reverse("retro:step", args=[closed_round.code])
        assert bob_client.get(f"{step}?v=-1").status_code == 204
        post(alice_client, "start", closed_round)
        assert (
            "1. What we agreed last time"
            in bob_client.get(f"{step}?v=-1").content.decode()
        )

    def test_the_page_loads_htmx_with_the_nonce(
        self, bob_client: Client, closed_round: Round
    ) -> None:
        body = bob_client.get(url(closed_round)).content.decode()
        assert "django_htmx/htmx-2.min.js" in body
        assert '"allowEval":false' in body

    def test_it_reads_in_a_fixed_number_of_queries(
        self, bob_client: Client, closed_round: Round, django_assert_max_num_queries
    ) -> None:  # type: ignore[no-untyped-def]
        go_to(closed_round, RetroSession.Step.DISCUSS)
        with django_assert_max_num_queries(20):
            assert bob_client.get(url(closed_round)).status_code == 200


@pytest.mark.parametrize("step", [s.value for s in RetroSession.Step])
def test_every_step_renders_for_both_roles(
    step: str, alice_client: Client, bob_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, step)
    assert alice_client.get(url(closed_round)).status_code == 200
    body = bob_client.get(url(closed_round)).content.decode()
    assert "Refresh to see the current step" in body
    assert 'action="' + reverse("retro:next", args=[closed_round.code]) not in body
