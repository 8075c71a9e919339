"""Issue 11 item 2: the facilitator is told before reopening that the published
results stay exactly as they are until at least the minimum of new answers."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from assessments.models import Round
from teams.models import Team
from tests.factories import make_round

NOTICE = (
    "The published results stay exactly as they are until at least 3 new answers "
    "have come in; then they change all at once."
)


def test_the_facilitator_is_told_before_reopening(
    alice_client: Client, bob_client: Client, team: Team
) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=2)
    url = reverse("assessments:round", args=[round.code])
    page = alice_client.get(url).content.decode()
    assert "Reopen round" in page
    assert NOTICE in page
    member = bob_client.get(url).content.decode()  # a member cannot reopen
    assert "Reopen round" not in member
    assert NOTICE not in member


def test_an_open_round_has_no_such_notice(alice_client: Client, team: Team) -> None:
    round = make_round(team, dimensions=2)
    page = alice_client.get(reverse("assessments:round", args=[round.code]))
    assert NOTICE not in page.content.decode()
