from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from assessments.models import Round, TeamDimension
from teams.models import Team
from tests.factories import make_round


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/open/"


def test_it_opens_a_draft(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT)
    r = alice_client.post(_url(round), follow=True)
    assert "The round is open" in r.text
    round.refresh_from_db()
    assert round.state == Round.State.OPEN
    assert round.opened_at is not None


def test_opening_takes_the_current_wording(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT, dimensions=1)
    TeamDimension.objects.filter(team=team, position=1).update(name="Teamwork")
    alice_client.post(_url(round))
    assert round.dimensions.get().name == "Teamwork"


def test_it_reopens_a_closed_round(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED)
    alice_client.post(_url(round))
    round.refresh_from_db()
    assert round.state == Round.State.OPEN
    assert round.closed_at is None


def test_only_one_round_is_open(alice_client: Client, open_round: Round) -> None:
    draft = make_round(open_round.team, state=Round.State.DRAFT)
    r = alice_client.post(_url(draft), follow=True)
    assert "Another round of this team is open" in r.text
    draft.refresh_from_db()
    assert draft.state == Round.State.DRAFT


def test_a_round_past_its_date_no_longer_blocks(
    alice_client: Client, open_round: Round
) -> None:
    Round.objects.filter(pk=open_round.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    draft = make_round(open_round.team, state=Round.State.DRAFT)
    alice_client.post(_url(draft))
    draft.refresh_from_db()
    open_round.refresh_from_db()
    assert (open_round.state, draft.state) == (Round.State.CLOSED, Round.State.OPEN)


def test_it_refuses_to_reopen_past_closing_date(
    alice_client: Client, team: Team
) -> None:
    round = make_round(team, state=Round.State.CLOSED)
    Round.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() - timedelta(days=1)
    )
    r = alice_client.post(_url(round), follow=True)
    assert "Its closing date has passed" in r.text
    round.refresh_from_db()
    assert round.state == Round.State.CLOSED


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT)
    assert bob_client.post(_url(round)).status_code == 403
    round.refresh_from_db()
    assert round.state == Round.State.DRAFT


def test_it_hides_round_from_outsider(carol_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT)
    assert carol_client.post(_url(round)).status_code == 404
    round.refresh_from_db()
    assert round.state == Round.State.DRAFT


def test_it_rejects_get(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT)
    assert alice_client.get(_url(round)).status_code == 405
