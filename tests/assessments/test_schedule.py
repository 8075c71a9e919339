"""Recurring rounds: assessments.schedule and ``manage.py run_schedule``."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone

from assessments import schedule
from assessments.models import (
    Action,
    Round,
    RoundEmail,
    StakeholderLink,
    TeamSchedule,
)
from teams.models import ActivityEntry, Team, hash_token
from tests.factories import make_round

DAY = datetime.timedelta(days=1)


def committed_scheduled_rounds_open(**kwargs: Any) -> int:
    """``schedule.scheduled_rounds_open``, its queued emails sent as after a commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return schedule.scheduled_rounds_open(**kwargs)


def committed_round_emails_due(**kwargs: Any) -> int:
    """``schedule.round_emails_due``, its queued emails sent as after a commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return schedule.round_emails_due(**kwargs)


@pytest.fixture
def weekly(team: Team) -> TeamSchedule:
    return TeamSchedule.objects.create(
        team=team,
        recurring=True,
        every_weeks=2,
        weekday=(timezone.localdate() + 2 * DAY).weekday(),
        open_days=5,
        next_opens_on=timezone.localdate() + 2 * DAY,
    )


@pytest.fixture
def last(team: Team) -> Round:
    last = make_round(team, title="Last", state=Round.State.CLOSED, dimensions=3)
    last.min_responses = 4
    last.save()
    return last


def _drafted(team: Team) -> Round:
    return team.rounds.get(opens_at__isnull=False)


def test_it_drafts_the_next_round_from_the_last_one(
    weekly: TeamSchedule, last: Round, team: Team
) -> None:
    assert schedule.scheduled_rounds_draft() == 1
    draft = _drafted(team)
    assert draft.state == Round.State.DRAFT
    assert [d.name for d in draft.dimensions.all()] == [
        d.name for d in last.dimensions.all()
    ]
    assert draft.min_responses == 4
    assert schedule.midnight(weekly.next_opens_on) == draft.opens_at
    assert draft.last_day() == weekly.next_opens_on + 4 * DAY
    # a second run drafts nothing more
    assert schedule.scheduled_rounds_draft() == 0
    assert team.rounds.count() == 2


def test_it_drafts_nothing_too_early_or_when_off(
    weekly: TeamSchedule, team: Team
) -> None:
    weekly.next_opens_on = timezone.localdate() + 10 * DAY
    weekly.save()
    assert schedule.scheduled_rounds_draft() == 0
    weekly.next_opens_on = timezone.localdate()
    weekly.recurring = False
    weekly.save()
    assert schedule.scheduled_rounds_draft() == 0
    assert not team.rounds.exists()


def test_it_opens_on_its_date_and_tells_the_team(
    weekly: TeamSchedule, last: Round, team: Team
) -> None:
    schedule.scheduled_rounds_draft()
    draft = _drafted(team)
    assert committed_scheduled_rounds_open() == 0  # not yet
    assert (
        committed_scheduled_rounds_open(
            now=draft.opens_at + datetime.timedelta(hours=1)
        )
        == 1
    )
    draft.refresh_from_db()
    assert draft.state == Round.State.OPEN
    assert draft.closes_at is not None
    weekly.refresh_from_db()
    assert weekly.next_opens_on == timezone.localtime(draft.opens_at).date() + 14 * DAY
    assert ActivityEntry.objects.filter(
        team=team, action=ActivityEntry.Action.ROUND_OPENED
    ).exists()
    assert RoundEmail.objects.filter(round=draft, kind="opened").exists()
    to = sorted(address for m in mail.outbox for address in m.to)
    assert to == ["alice@example.com", "bob@example.com"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "a new round is open" in mail.outbox[0].subject
    # opened once, however often it runs
    later = draft.opens_at + datetime.timedelta(hours=2)
    assert committed_scheduled_rounds_open(now=later) == 0
    assert len(mail.outbox) == 2


def test_the_open_actions_come_with_it(
    weekly: TeamSchedule, last: Round, team: Team, bob_client: Client
) -> None:
    Action.objects.create(
        team=team, round=last, dimension=last.dimensions.first(), text="Pair more"
    )
    schedule.scheduled_rounds_draft()
    draft = _drafted(team)
    Round.objects.filter(pk=draft.pk).update(opens_at=timezone.now() - DAY)
    committed_scheduled_rounds_open()
    page = bob_client.get(f"/rounds/{draft.code}/answer/")
    assert page.status_code == 200
    assert "Pair more" in page.content.decode()


def test_the_shared_stakeholder_link_leads_to_the_latest_round(
    weekly: TeamSchedule, team: Team, client: Client
) -> None:
    previous = make_round(team, title="Previous", dimensions=3)
    StakeholderLink.objects.create(round=previous, token_hash=hash_token("S" * 43))
    previous.closes_at = timezone.now() - DAY
    previous.save()
    schedule.scheduled_rounds_draft()
    draft = _drafted(team)
    Round.objects.filter(pk=draft.pk).update(opens_at=timezone.now() - DAY)
    assert committed_scheduled_rounds_open() == 1
    client.get(f"/s/{'S' * 43}/")
    page = client.get("/s/")
    assert page.status_code == 200
    assert draft.title in page.content.decode()


def test_it_waits_while_the_team_has_a_round_open(
    weekly: TeamSchedule, team: Team
) -> None:
    make_round(team, title="Still open", dimensions=3)  # no closing date
    schedule.scheduled_rounds_draft()
    draft = _drafted(team)
    Round.objects.filter(pk=draft.pk).update(opens_at=timezone.now() - DAY)
    assert committed_scheduled_rounds_open() == 0
    draft.refresh_from_db()
    assert draft.state == Round.State.DRAFT


def test_run_schedule_does_every_step(weekly: TeamSchedule, team: Team) -> None:
    weekly.next_opens_on = timezone.localdate()
    weekly.save()
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("run_schedule", stdout=out)
    opened = team.rounds.get()
    assert opened.state == Round.State.OPEN
    assert "Opened 1 scheduled round(s)" in out.getvalue()
    assert len(mail.outbox) == 2
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("run_schedule", stdout=io.StringIO())
    assert team.rounds.count() == 1
    assert len(mail.outbox) == 2
