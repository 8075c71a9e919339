"""Reminders that name no one, and "results are ready": assessments.schedule
(claiming) and assessments.tasks.send_round_email (sending)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from assessments import schedule
from assessments.models import Participation, Round, RoundEmail, TeamSchedule
from assessments.tasks import send_round_email
from teams.models import EmailPreference, Membership, Team
from tests.conftest import make_user
from tests.factories import add_response, make_round

DAY = datetime.timedelta(days=1)


def committed_round_emails_due(**kwargs: Any) -> int:
    """``schedule.round_emails_due``, its queued emails sent as after a commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return schedule.round_emails_due(**kwargs)


@pytest.fixture
def dan(team: Team) -> User:
    dan = make_user("dan")
    Membership.objects.create(team=team, user=dan)
    return dan


@pytest.fixture
def round(team: Team, bob: User, dan: User) -> Round:
    """Opened four days ago, closing in three; bob has answered, alice and dan not."""
    round = make_round(team, title="Autumn check", dimensions=3)
    round.opened_at = timezone.now() - 4 * DAY
    round.closes_at = timezone.now() + 3 * DAY
    round.save()
    Participation.objects.create(round=round, user=bob)
    return round


def _to() -> list[str]:
    return sorted(address for m in mail.outbox for address in m.to)


def test_the_day_three_reminder_goes_only_to_those_who_have_not_answered(
    round: Round,
) -> None:
    assert committed_round_emails_due() == 1
    assert _to() == ["alice@example.com", "dan@example.com"]
    for message in mail.outbox:
        assert len(message.to) == 1
        assert not message.cc
        assert not message.bcc
        assert "you have not answered it yet" in message.body
        # no one is named: not the person who answered, not the other non-answerer
        assert "bob" not in message.body
        assert "dan" not in message.body.replace(message.to[0], "")
        assert round.until_words() in message.body
        assert "/unsubscribe/" in message.body
        assert message.extra_headers["List-Unsubscribe"].startswith("<http")
        [(html, kind)] = message.alternatives
        assert kind == "text/html"
        assert "/unsubscribe/" in html


def test_it_is_sent_once_however_often_the_schedule_runs(round: Round) -> None:
    committed_round_emails_due()
    committed_round_emails_due()
    assert len(mail.outbox) == 2
    assert RoundEmail.objects.filter(round=round, kind="reminder").count() == 1


def test_a_second_task_for_the_same_marker_sends_nothing(round: Round) -> None:
    committed_round_emails_due()
    mail.outbox.clear()
    # another worker picks up a duplicate of the task
    send_round_email.call(round=str(round.code), kind="reminder")
    assert mail.outbox == []


def test_nothing_before_day_three(round: Round) -> None:
    round.opened_at = timezone.now() - DAY
    round.save()
    assert committed_round_emails_due() == 0
    assert mail.outbox == []


def test_the_day_before_closing_replaces_a_reminder_not_yet_sent(
    round: Round,
) -> None:
    round.closes_at = timezone.now() + datetime.timedelta(hours=20)
    round.save()
    assert committed_round_emails_due() == 1
    assert _to() == ["alice@example.com", "dan@example.com"]
    assert "closes tomorrow" in mail.outbox[0].subject
    assert committed_round_emails_due() == 0
    assert len(mail.outbox) == 2


def test_the_team_sets_the_days(round: Round, team: Team) -> None:
    TeamSchedule.objects.create(team=team, remind_after_days=5)
    assert committed_round_emails_due() == 0
    TeamSchedule.objects.filter(team=team).update(remind_after_days=0)
    round.closes_at = timezone.now() + datetime.timedelta(hours=20)
    round.save()
    TeamSchedule.objects.filter(team=team).update(remind_before_closing=False)
    assert committed_round_emails_due() == 0


def test_a_person_who_opted_out_gets_none(round: Round, dan: User) -> None:
    EmailPreference.objects.create(user=dan, reminders=False)
    committed_round_emails_due()
    assert _to() == ["alice@example.com"]


def test_the_unsubscribe_link_in_the_email_works_without_signing_in(
    round: Round, dan: User, client: Client
) -> None:
    committed_round_emails_due()
    [message] = [m for m in mail.outbox if m.to == ["dan@example.com"]]
    url = next(w for w in message.body.split() if "/unsubscribe/" in w)
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200
    assert client.post(f"/{path}").status_code == 200
    preference = EmailPreference.objects.get(user=dan)
    assert (preference.reminders, preference.news) == (False, False)


def test_results_are_ready_goes_to_every_member(
    round: Round, team: Team, alice: User, dan: User
) -> None:
    for levels in ([1, 2, 3], [2, 2, 2], [3, 2, 1]):
        add_response(round, levels)
    Round.objects.filter(pk=round.pk).update(
        state=Round.State.CLOSED, closed_at=timezone.now(), releases=1
    )
    EmailPreference.objects.create(user=dan, news=False)
    assert committed_round_emails_due() == 1
    assert _to() == ["alice@example.com", "bob@example.com"]
    assert "are ready" in mail.outbox[0].subject
    assert f"/rounds/{round.code}/report/" in mail.outbox[0].body
    assert committed_round_emails_due() == 0


def test_no_results_email_below_the_minimum_or_for_old_rounds(
    round: Round, team: Team
) -> None:
    add_response(round, [1, 2, 3])
    Round.objects.filter(pk=round.pk).update(
        state=Round.State.CLOSED, closed_at=timezone.now(), releases=1
    )
    old = make_round(team, title="Old", state=Round.State.CLOSED, dimensions=3)
    for levels in ([1, 2, 3], [2, 2, 2], [3, 2, 1]):
        add_response(old, levels)
    Round.objects.filter(pk=old.pk).update(
        closed_at=timezone.now() - 30 * DAY, releases=1
    )
    assert committed_round_emails_due() == 0
    assert mail.outbox == []


def test_the_task_holds_no_address(
    round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[dict[str, object]] = []

    class Recorder:
        def enqueue(self, **kwargs: object) -> None:
            queued.append(kwargs)

    monkeypatch.setattr(schedule, "send_round_email", Recorder())
    committed_round_emails_due()
    assert queued == [{"round": str(round.code), "kind": "reminder"}]
