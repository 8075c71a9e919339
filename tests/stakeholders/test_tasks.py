"""stakeholders.tasks.send_stakeholder_invitation, the email task."""

from __future__ import annotations

import io
import logging
import smtplib
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from assessments.models import Round, StakeholderInvitation
from stakeholders import services as stakeholders
from stakeholders.tasks import send_stakeholder_invitation
from tests.stakeholders.conftest import open_link

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


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
    assert message.subject == "Anonymous feedback invited by the team “Alpha”"
    assert "to give feedback to the team “Alpha”" in message.body
    assert "(round “Spring check”)" in message.body
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


def test_it_runs_through_the_database_queue_and_worker(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    round: Round,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # Production's set-up: the request queues a row, `manage.py db_worker` sends.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        stakeholders.invitations_create(round=round, addresses=["eve@example.com"])
    assert mail.outbox == []
    # Queued: the address only encrypted, never readable in the task row.
    queued = DBTaskResult.objects.get()
    assert "eve@example.com" not in str(queued.args_kwargs)
    assert "eve" not in str(queued.args_kwargs)
    # The worker closes database connections between tasks; the test's transaction
    # needs its connection open.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.to for m in mail.outbox] == [["eve@example.com"]]
    done = DBTaskResult.objects.get()
    assert done.status == "SUCCESSFUL"
    # Sent: the task left no trace of the address, not even encrypted.
    assert done.args_kwargs == {"args": [], "kwargs": {}}
    call_command("prune_db_task_results", "--min-age-days", "0", verbosity=0)
    assert not DBTaskResult.objects.exists()  # the address goes with it


def test_a_refused_address_stays_out_of_logs_and_task_results(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    round: Round,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # smtplib's errors name the recipient, and so do many servers' replies.
    def refuse(self: EmailMessage, fail_silently: bool = False) -> int:
        reply = (550, b"5.1.1 <eve@example.com>: Recipient address rejected")
        raise smtplib.SMTPRecipientsRefused({"eve@example.com": reply})

    monkeypatch.setattr(EmailMessage, "send", refuse)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        stakeholders.invitations_create(round=round, addresses=["eve@example.com"])
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    out = io.StringIO()
    with caplog.at_level(logging.DEBUG):
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=out)
    result = DBTaskResult.objects.get()
    assert result.status == "FAILED"
    assert "InvitationNotSent" in result.exception_class_path
    assert "SMTPRecipientsRefused" in result.traceback
    assert "eve@example.com" not in result.traceback
    logged = caplog.text + out.getvalue()
    assert "state=FAILED" in logged
    assert "eve@example.com" not in logged


def test_a_phishing_team_name_is_quoted_data(
    invitation: StakeholderInvitation, round: Round
) -> None:
    """The attack: the team name "IT Security: verify your account now at
    http://evil.example/login" became the subject and a sentence of the body."""
    team = round.team
    team.name = "IT Security: verify your account now at http://evil.example/login"
    team.save()
    round.title = "Line one\nSubject: injected"
    round.save()
    assert _send(invitation)
    [message] = mail.outbox
    assert message.subject.startswith("Anonymous feedback invited by the team “IT")
    assert "http://evil" not in message.subject
    assert "http://evil" not in message.body
    assert "http[:]//evil" in message.body
    assert "\n" not in message.subject
    assert "“Line one Subject: injected”" in message.body
