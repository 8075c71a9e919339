"""Step 1 and the action board: last round's actions carried into this retro."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Action, Round
from retro.models import RetroSession
from teams.models import Team
from tests.retro.conftest import answered_round
from tests.retro.helpers import go_to, post


def agreed(round: Round, text: str = "Review within a day") -> Action:
    return services.action_create(
        round=round, text=text, dimension=round.dimensions.get(position=1)
    )


def test_last_rounds_open_actions_come_first(
    alice_client: Client, bob_client: Client, team: Team
) -> None:
    q1 = answered_round(team, "Q1")
    action = agreed(q1)
    q2 = answered_round(team, "Q2")
    go_to(q2, RetroSession.Step.REVIEW)
    body = bob_client.get(reverse("retro:session", args=[q2.code])).content.decode()
    assert "Review within a day" in body
    assert 'agreed in <bdi dir="auto">Q1</bdi>' in body
    response = post(
        alice_client,
        "review",
        q2,
        {"state": "done", "helped": "yes"},
        action=action.code,
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.state, action.helped, action.reviewed_in) == ("done", "yes", q2)
    assert action.finished_at is not None
    # Reviewed here, it stays on this retro's first step with its outcome.
    body = bob_client.get(reverse("retro:session", args=[q2.code])).content.decode()
    assert "Yes, it helped" in body


def test_a_member_cannot_review(bob_client: Client, team: Team) -> None:
    q1 = answered_round(team, "Q1")
    action = agreed(q1)
    q2 = answered_round(team, "Q2")
    go_to(q2, RetroSession.Step.REVIEW)
    response = post(bob_client, "review", q2, {"state": "done"}, action=action.code)
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.state == "open"


def test_an_action_of_this_or_another_team_is_not_found(
    alice_client: Client, team: Team, other_team: Team
) -> None:
    q1 = answered_round(team, "Q1")
    same_round = agreed(q1)
    go_to(q1, RetroSession.Step.REVIEW)
    response = post(
        alice_client, "review", q1, {"state": "done"}, action=same_round.code
    )
    assert response.status_code == 404


class TestBoard:
    def test_it_shows_open_done_and_dropped_with_time_to_done(
        self, bob_client: Client, team: Team
    ) -> None:
        q1 = answered_round(team, "Q1")
        done = agreed(q1, "Pair on reviews")
        agreed(q1, "Demo every sprint")
        dropped = agreed(q1, "Daily cake")
        Action.objects.filter(pk=done.pk).update(
            state="done",
            created=timezone.now() - timedelta(days=12),
            finished_at=timezone.now(),
        )
        Action.objects.filter(pk=dropped.pk).update(
            state="dropped", finished_at=timezone.now()
        )
        body = bob_client.get(reverse("retro:board", args=[team.code])).content.decode()
        assert "Done in 12 days" in body
        assert "took 12 days (median)" in body
        for text in ("Pair on reviews", "Demo every sprint", "Daily cake"):
            assert text in body
        assert "Set" not in body  # a member cannot change states

    def test_facilitator_sets_a_state(self, alice_client: Client, team: Team) -> None:
        action = agreed(answered_round(team, "Q1"))
        url = reverse("retro:board_state", args=[team.code, action.code])
        assert alice_client.post(url, {"state": "dropped"}).status_code == 302
        action.refresh_from_db()
        assert action.state == "dropped"
        assert action.finished_at is not None

    def test_it_requires_facilitator(self, bob_client: Client, team: Team) -> None:
        action = agreed(answered_round(team, "Q1"))
        url = reverse("retro:board_state", args=[team.code, action.code])
        assert bob_client.post(url, {"state": "done"}).status_code == 403

    def test_it_hides_the_board_from_an_outsider(
        self, carol_client: Client, team: Team
    ) -> None:
        assert (
            carol_client.get(reverse("retro:board", args=[team.code])).status_code
            == 404
        )

    def test_it_reads_in_few_queries(
        self, bob_client: Client, team: Team, django_assert_max_num_queries
    ) -> None:  # type: ignore[no-untyped-def]
        for title in ("Q1", "Q2", "Q3"):
            agreed(answered_round(team, title))
        with django_assert_max_num_queries(8):
            bob_client.get(reverse("retro:board", args=[team.code]))
