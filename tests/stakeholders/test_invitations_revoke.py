"""POST /rounds/<code>/stakeholders/invitations/revoke/."""

from __future__ import annotations

from django.test import Client

from assessments import services as assessment_services
from assessments.models import Round, StakeholderInvitation
from assessments.services import Answers, RatingAnswer
from stakeholders import services
from teams.models import hash_token
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


def _answer_by_invitation(round: Round, token: str) -> None:
    access = services.access_for_token(token)
    assert access is not None
    services.stakeholder_response_submit(
        access=access,
        round=round,
        relationship="Customer",
        answers=Answers(ratings=[RatingAnswer(d, 2) for d in round.dimensions.all()]),
    )


def test_after_a_release_revoking_counts_only_the_unused_invitations(
    alice_client: Client, round: Round
) -> None:
    """A used invitation whose answer is released no longer says it was used; it
    is not counted (nor left to look) revoked, and an invitation sent after a
    reopen can still be revoked."""
    tokens = [f"{n}" * 43 for n in range(5)]
    for token in tokens[:3]:
        StakeholderInvitation.objects.create(round=round, token_hash=hash_token(token))
    _answer_by_invitation(round, tokens[0])
    assessment_services.round_close(round=round)
    assessment_services.round_open(round=round)
    r = alice_client.post(_url(round), follow=True)
    assert "2 unused invitations revoked." in r.text
    assert "3 invitations sent: 1 used, 2 revoked." in r.text
    for token in tokens[3:]:
        StakeholderInvitation.objects.create(round=round, token_hash=hash_token(token))
    _answer_by_invitation(round, tokens[3])
    r = alice_client.get(f"/rounds/{round.code}/stakeholders/")
    assert "5 invitations sent: 2 used, 2 revoked." in r.text
    assert "Revoke unused invitations" in r.text
    r = alice_client.post(_url(round), follow=True)
    assert "1 unused invitation revoked." in r.text
    assert "5 invitations sent: 2 used, 3 revoked." in r.text
