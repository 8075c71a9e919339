"""assessments.tasks.send_stakeholder_invitation, the email task."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from assessments.models import Round, StakeholderInvitation
from assessments.tasks import send_stakeholder_invitation
from tests.stakeholders.conftest import open_link


def _send(invitation: StakeholderInvitation) -> bool:
    result = send_stakeholder_invitation.call(
        address="dana@example.com", invitation=str(invitation.code)
    )
    return bool(result)


def _token(body: str) -> str:
    line = next(x for x in body.splitlines() if "/s/" in x)
    return line.strip().rstrip("/").rsplit("/", 1)[1]


def test_it_emails_a_fresh_link(
    invitation: StakeholderInvitation, round: Round, client: Client
) -> None:
    round.closes_at = timezone.now() + timedelta(days=3)
    round.save()
    placeholder = invitation.token_hash
    assert _send(invitation)
    [message] = mail.outbox
    assert message.to == ["dana@example.com"]
    assert message.subject == "How do you see Alpha? Anonymous feedback"
    assert '("Spring check")' in message.body
    assert "The link works once, until" in message.body
    invitation.refresh_from_db()
    assert invitation.token_hash != placeholder  # the token is made by the task
    token = _token(message.body)
    assert token not in str(list(StakeholderInvitation.objects.values()))
    open_link(client, token)
    assert client.get("/s/").status_code == 200


def test_the_enqueued_task_sends(invitation: StakeholderInvitation) -> None:
    # JSON-serialisable arguments, as a database queue needs them.
    result = send_stakeholder_invitation.enqueue(
        address="dana@example.com", invitation=str(invitation.code)
    )
    assert result.return_value is True
    assert len(mail.outbox) == 1


def test_it_sends_nothing_for_a_revoked_invitation(
    invitation: StakeholderInvitation,
) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save()
    assert not _send(invitation)
    assert mail.outbox == []


def test_it_sends_nothing_for_a_used_invitation(
    invitation: StakeholderInvitation,
) -> None:
    invitation.used = True
    invitation.save()
    assert not _send(invitation)
    assert mail.outbox == []


def test_it_sends_nothing_once_the_round_closed(
    invitation: StakeholderInvitation, round: Round
) -> None:
    round.state = Round.State.CLOSED
    round.save()
    assert not _send(invitation)
    assert mail.outbox == []
