"""Actions carried across two rounds: the answer page of the next round, its
report beside the dimension with how it moved, and the board."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from assessments import services
from assessments.models import Round
from teams.models import Team
from tests.factories import add_response, make_round
from tests.retro.conftest import answered_round


def test_the_next_rounds_answer_page_opens_with_the_open_actions(
    bob_client: Client, team: Team
) -> None:
    q1 = answered_round(team, "Q1")
    dim = q1.dimensions.get(position=1)
    services.action_create(round=q1, text="Review within a day", dimension=dim)
    done = services.action_create(round=q1, text="Daily cake", dimension=dim)
    services.action_review(action=done, state="done", helped="no")
    q2 = make_round(team, title="Q2", state=Round.State.OPEN, dimensions=3)
    body = bob_client.get(
        reverse("assessments:answer", args=[q2.code])
    ).content.decode()
    assert "Last time we agreed to" in body
    assert "Review within a day" in body
    assert "Daily cake" not in body


def test_the_next_report_shows_how_the_dimension_moved(
    bob_client: Client, team: Team
) -> None:
    q1 = answered_round(team, "Q1")  # dimension 3: 1, 1, 2 -> 1.33
    dim = q1.dimensions.get(position=3)
    services.action_create(round=q1, text="Pair on reviews", dimension=dim)
    q2 = make_round(team, title="Q2", state=Round.State.CLOSED, dimensions=3)
    for levels in ([2, 2, 2], [2, 2, 3], [2, 2, 2]):  # dimension 3 -> 2.33
        add_response(q2, levels)
    body = bob_client.get(reverse("reports:round", args=[q2.code])).content.decode()
    expected = escape(f"{dim.label} 1.33 → 2.33 since we agreed to “Pair on reviews”")
    assert expected in body


def test_a_hidden_dimension_shows_no_movement(bob_client: Client, team: Team) -> None:
    q1 = answered_round(team, "Q1")
    dim = q1.dimensions.get(position=3)
    services.action_create(round=q1, text="Pair on reviews", dimension=dim)
    q2 = make_round(team, title="Q2", state=Round.State.CLOSED, dimensions=3)
    for levels in ([2, 2, None], [2, 2, None], [2, 2, 3]):  # dimension 3: one rating
        add_response(q2, levels)
    body = bob_client.get(reverse("reports:round", args=[q2.code])).content.decode()
    assert "we agreed to “Pair on reviews”" in body
    assert "→" not in body.split("Since we agreed")[1].split("</section>")[0]


def test_an_action_is_carried_only_into_later_rounds(
    bob_client: Client, team: Team
) -> None:
    q1 = answered_round(team, "Q1")
    dim = q1.dimensions.get(position=1)
    services.action_create(round=q1, text="Pair on reviews", dimension=dim)
    body = bob_client.get(reverse("reports:round", args=[q1.code])).content.decode()
    assert "Since we agreed" not in body
