"""Reminders to stakeholders invited by email who have not answered."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from assessments import sealing
from assessments.models import Round, StakeholderInvitation
from assessments.services import sealing_keys
from stakeholders import services
from stakeholders import tasks as stakeholder_tasks
from stakeholders.tasks import ADDRESS_PURPOSE, remind_stakeholder, seal_address


def open_address(sealed: str) -> str:
    return sealing.clear(sealed, keys=sealing_keys(), purpose=ADDRESS_PURPOSE)


@pytest.fixture
def closing(round: Round) -> Round:
    round.closes_at = timezone.now() + datetime.timedelta(days=5)
    round.save()
    return round


def test_it_schedules_a_reminder_for_the_day_before_closing(
    closing: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    deferred: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(services, "_can_defer", lambda: True)
    monkeypatch.setattr(
        services,
        "_enqueue_reminder",
        lambda run_after, **kwargs: deferred.append((run_after, kwargs)),
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        [invitation] = services.invitations_create(
            round=closing, addresses=["dana@example.com"]
        )
    [(run_after, kwargs)] = deferred
    assert run_after == closing.closes_at - datetime.timedelta(days=1)
    assert kwargs["invitation"] == str(invitation.code)
    # the address is queued only encrypted, as for the invitation itself
    assert "dana" not in kwargs["sealed_address"]
    assert open_address(kwargs["sealed_address"]) == "dana@example.com"


def test_it_reminds_once_with_a_fresh_link(
    closing: Round, invitation: StakeholderInvitation, client: Client
) -> None:
    old_hash = invitation.token_hash
    remind_stakeholder.call(
        sealed_address=seal_address("dana@example.com"), invitation=str(invitation.code)
    )
    remind_stakeholder.call(
        sealed_address=seal_address("dana@example.com"), invitation=str(invitation.code)
    )
    [message] = mail.outbox
    assert message.to == ["dana@example.com"]
    assert "Reminder" in message.subject
    assert closing.until_words() in message.body
    invitation.refresh_from_db()
    assert invitation.reminded
    assert invitation.token_hash != old_hash
    link = next(w for w in message.body.split() if "/s/" in w)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 303


def test_no_reminder_once_answered(
    closing: Round, invitation: StakeholderInvitation
) -> None:
    StakeholderInvitation.objects.filter(pk=invitation.pk).update(used=True)
    assert (
        remind_stakeholder.call(
            sealed_address=seal_address("dana@example.com"),
            invitation=str(invitation.code),
        )
        is None
    )
    assert mail.outbox == []


def test_no_reminder_after_closing(
    closing: Round, invitation: StakeholderInvitation
) -> None:
    Round.objects.filter(pk=closing.pk).update(closes_at=timezone.now())
    remind_stakeholder.call(
        sealed_address=seal_address("dana@example.com"), invitation=str(invitation.code)
    )
    assert mail.outbox == []


def test_without_a_deferring_backend_nothing_is_scheduled(closing: Round) -> None:
    # The tests' immediate backend cannot defer: the invitation still goes out.
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.invitations_create(round=closing, addresses=["dana@example.com"])
    assert len(mail.outbox) == 1
    assert stakeholder_tasks.remind_stakeholder.get_backend().supports_defer is False
