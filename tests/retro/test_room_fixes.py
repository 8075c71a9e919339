"""The retro room's small stumbles (issue 28 point 10): a confirmation belongs to its
step, the action list keeps each text by its number, "Aligned" is not a warning,
and without JavaScript the waiting page offers a link."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from assessments.models import Round
from retro.models import RetroSession
from tests.factories import add_response
from tests.retro.helpers import go_to, post


def _page(client: Client, round: Round) -> str:
    return client.get(reverse("retro:session", args=[round.code])).text


def _step_div(page: str) -> str:
    start = page.index('<div id="retro-step"')
    return page[start:]


def test_the_vote_confirmation_is_part_of_the_step(
    alice_client: Client, bob_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.VOTE)
    post(alice_client, "voting_open", closed_round, {"votes_each": 2})
    dim = closed_round.dimensions.get(position=1)
    post(bob_client, "vote", closed_round, {"dimension": dim.pk})
    page = _page(bob_client, closed_round)
    assert page.count("Your vote is in, anonymously.") == 1
    # Inside the step the page swaps when the facilitator moves on, not above it.
    assert "Your vote is in, anonymously." in _step_div(page)
    go_to(closed_round, RetroSession.Step.ACTIONS)
    step = bob_client.get(reverse("retro:step", args=[closed_round.code])).text
    assert "Your vote is in" not in step


def test_an_action_keeps_its_text_by_its_number(
    alice_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.ACTIONS)
    dim = closed_round.dimensions.get(position=1)
    post(
        alice_client,
        "action_add",
        closed_round,
        {"text": "Review within a day", "dimension": dim.pk},
    )
    page = _page(alice_client, closed_round)
    item = re.search(r'<ol class="list-group list-group-numbered.*?</ol>', page, re.S)
    assert item is not None
    assert "justify-content-between" not in item.group(0)
    assert '<span class="ms-1 me-auto"><span class="fw-semibold"><bdi dir="auto">' + (
        "Review within a day"
    ) in item.group(0)


def test_aligned_is_not_a_warning(alice_client: Client, closed_round: Round) -> None:
    for _ in range(3):
        add_response(
            closed_round,
            [2, 2, 1],
            perspective="stakeholder",
            relationship="Customer",
        )
    go_to(closed_round, RetroSession.Step.DISCUSS)
    page = _page(alice_client, closed_round)
    badge = re.search(r'<span class="badge gap-badge ([^"]*)">Aligned</span>', page)
    assert badge is not None, page
    assert "warning" not in badge.group(1)


def test_the_waiting_page_offers_a_link_without_javascript(
    bob_client: Client, closed_round: Round
) -> None:
    page = _page(bob_client, closed_round)
    assert "The facilitator has not started the retro yet." in page
    link = reverse("retro:session", args=[closed_round.code])
    assert re.search(
        rf'follows along once they do\. <a href="{link}">Refresh to see the current '
        r"step</a>",
        page,
    )
