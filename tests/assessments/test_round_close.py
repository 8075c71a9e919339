from __future__ import annotations

from django.test import Client

from assessments.models import Round


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/close/"


def test_it_closes(alice_client: Client, open_round: Round) -> None:
    r = alice_client.post(_url(open_round), follow=True)
    assert "The round is closed" in r.text
    open_round.refresh_from_db()
    assert open_round.state == Round.State.CLOSED
    assert open_round.closed_at is not None


def test_it_requires_facilitator(bob_client: Client, open_round: Round) -> None:
    assert bob_client.post(_url(open_round)).status_code == 403
    open_round.refresh_from_db()
    assert open_round.state == Round.State.OPEN


def test_it_hides_round_from_outsider(carol_client: Client, open_round: Round) -> None:
    assert carol_client.post(_url(open_round)).status_code == 404
    open_round.refresh_from_db()
    assert open_round.state == Round.State.OPEN


def test_it_rejects_get(alice_client: Client, open_round: Round) -> None:
    assert alice_client.get(_url(open_round)).status_code == 405
