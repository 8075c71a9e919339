"""POST /rounds/<code>/stakeholders/link/: a new shared link (rotates the old)."""

from __future__ import annotations

from django.test import Client

from assessments.models import Round, StakeholderLink
from teams.models import Team, hash_token
from tests.factories import make_round
from tests.stakeholders.conftest import open_link


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/stakeholders/link/"


def _shown_token(client: Client, round: Round) -> str:
    r = client.get(f"/rounds/{round.code}/stakeholders/")
    url = r.context["new_link"]["url"]
    assert url.startswith("http://127.0.0.1:8000/s/")
    assert f'value="{url}"' in r.text
    return str(url.rstrip("/").rsplit("/", 1)[1])


def test_it_creates_a_link_shown_once(alice_client: Client, round: Round) -> None:
    r = alice_client.post(_url(round))
    assert r.status_code == 302
    token = _shown_token(alice_client, round)
    assert len(token) >= 43  # 256 bits, URL-safe base64; at least 128 needed
    link = StakeholderLink.objects.get()
    assert link.token_hash == hash_token(token)
    assert link.revoked_at is None
    again = alice_client.get(f"/rounds/{round.code}/stakeholders/")
    assert token not in again.text


def test_the_link_works(alice_client: Client, round: Round, client: Client) -> None:
    alice_client.post(_url(round))
    open_link(client, _shown_token(alice_client, round))
    assert client.get("/s/").status_code == 200


def test_it_rotates_the_link(
    alice_client: Client, round: Round, client: Client
) -> None:
    alice_client.post(_url(round))
    old = _shown_token(alice_client, round)
    alice_client.post(_url(round))
    r = alice_client.get(f"/rounds/{round.code}/stakeholders/")
    assert "the previous one no longer works" in r.text
    assert StakeholderLink.objects.filter(revoked_at__isnull=True).count() == 1
    assert StakeholderLink.objects.count() == 2
    open_link(client, old)
    assert client.get("/s/").status_code == 404


def test_it_needs_an_open_round(alice_client: Client, team: Team) -> None:
    draft = make_round(team, state=Round.State.DRAFT)
    r = alice_client.post(_url(draft), follow=True)
    assert "work only while a round is open" in r.text
    assert not StakeholderLink.objects.exists()


def test_it_hides_team_from_outsider(carol_client: Client, round: Round) -> None:
    assert carol_client.post(_url(round)).status_code == 404
    assert not StakeholderLink.objects.exists()


def test_it_requires_facilitator(bob_client: Client, round: Round) -> None:
    assert bob_client.post(_url(round)).status_code == 403
    assert not StakeholderLink.objects.exists()


def test_it_rejects_get(alice_client: Client, round: Round) -> None:
    assert alice_client.get(_url(round)).status_code == 405
