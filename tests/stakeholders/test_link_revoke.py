"""POST /rounds/<code>/stakeholders/link/revoke/."""

from __future__ import annotations

from django.test import Client

from assessments.models import Round, StakeholderLink
from tests.stakeholders.conftest import LINK_TOKEN, open_link


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/stakeholders/link/revoke/"


def test_it_revokes_the_link(
    alice_client: Client, link: StakeholderLink, client: Client
) -> None:
    r = alice_client.post(_url(link.round), follow=True)
    assert "Link revoked" in r.text
    link.refresh_from_db()
    assert link.revoked_at is not None
    open_link(client, LINK_TOKEN)
    assert client.get("/s/").status_code == 404


def test_revoking_stops_a_page_already_open(
    alice_client: Client, link_client: Client, link: StakeholderLink
) -> None:
    alice_client.post(_url(link.round))
    assert link_client.get("/s/").status_code == 404


def test_it_hides_team_from_outsider(
    carol_client: Client, link: StakeholderLink
) -> None:
    assert carol_client.post(_url(link.round)).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_it_requires_facilitator(bob_client: Client, link: StakeholderLink) -> None:
    assert bob_client.post(_url(link.round)).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None


def test_it_rejects_get(alice_client: Client, link: StakeholderLink) -> None:
    assert alice_client.get(_url(link.round)).status_code == 405
