"""POST /rounds/<code>/stakeholders/invitations/revoke/."""

from __future__ import annotations

from django.test import Client

from assessments.models import Round, StakeholderInvitation
from tests.stakeholders.conftest import INVITATION_TOKEN, open_link


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/stakeholders/invitations/revoke/"


def test_it_revokes_unused_invitations(
    alice_client: Client, invitation: StakeholderInvitation, round: Round
) -> None:
    used = StakeholderInvitation.objects.create(
        round=round, token_hash="u" * 64, used=True
    )
    r = alice_client.post(_url(round), follow=True)
    assert "1 unused invitation revoked." in r.text
    invitation.refresh_from_db()
    used.refresh_from_db()
    assert invitation.revoked_at is not None
    assert used.revoked_at is None
    client = Client()
    open_link(client, INVITATION_TOKEN)
    assert client.get("/s/").status_code == 404


def test_it_hides_team_from_outsider(
    carol_client: Client, invitation: StakeholderInvitation
) -> None:
    assert carol_client.post(_url(invitation.round)).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_it_requires_facilitator(
    bob_client: Client, invitation: StakeholderInvitation
) -> None:
    assert bob_client.post(_url(invitation.round)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_it_rejects_get(
    alice_client: Client, invitation: StakeholderInvitation
) -> None:
    assert alice_client.get(_url(invitation.round)).status_code == 405
