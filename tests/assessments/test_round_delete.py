from __future__ import annotations

from django.test import Client

from assessments.models import Round
from teams.models import Team
from tests.factories import make_round


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/delete/"


def test_it_deletes_a_draft(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT)
    r = alice_client.post(_url(round))
    assert r.status_code == 302
    assert r["Location"] == team.get_absolute_url()
    assert not Round.objects.exists()


def test_it_keeps_a_round_that_was_opened(
    alice_client: Client, open_round: Round
) -> None:
    r = alice_client.post(_url(open_round), follow=True)
    assert "Only a draft can be deleted." in r.text
    assert Round.objects.filter(pk=open_round.pk).exists()


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT)
    assert bob_client.post(_url(round)).status_code == 403
    assert Round.objects.exists()


def test_it_hides_round_from_outsider(carol_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT)
    assert carol_client.post(_url(round)).status_code == 404
    assert Round.objects.exists()


def test_it_rejects_get(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT)
    assert alice_client.get(_url(round)).status_code == 405
