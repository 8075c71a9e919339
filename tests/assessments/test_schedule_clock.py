"""The schedule never leaves a round closed before its closing date because the
clock moved (issue 25 item 9): a round closed under a clock set forward is reopened
once the clock is set back, until its date; the move is logged."""

from __future__ import annotations

import datetime
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Response, Round
from assessments.services import Answers, RatingAnswer
from teams.models import ActivityEntry, Team
from tests.factories import make_round

real_now = timezone.now


def _clock(monkeypatch: pytest.MonkeyPatch, moved: timedelta) -> None:
    def now() -> datetime.datetime:
        return real_now() + moved

    monkeypatch.setattr(timezone, "now", now)


def test_a_round_closed_under_a_clock_set_forward_is_reopened_when_it_is_set_back(
    team: Team,
    alice: User,
    bob_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    round = make_round(team, dimensions=2)
    closes_at = real_now() + timedelta(days=2)
    Round.objects.filter(pk=round.pk).update(closes_at=closes_at)
    dims = list(round.dimensions.all())
    for _ in range(3):
        services.response_submit(
            round=round,
            perspective=Response.Perspective.STAKEHOLDER,
            answers=Answers(ratings=[RatingAnswer(d, 2, "") for d in dims]),
        )
    call_command("run_schedule", stdout=io.StringIO())
    assert Round.objects.get(pk=round.pk).state == Round.State.OPEN  # not due

    _clock(monkeypatch, timedelta(days=3))  # set forward
    call_command("run_schedule", stdout=io.StringIO())
    assert Round.objects.get(pk=round.pk).state == Round.State.CLOSED
    monkeypatch.undo()  # and back

    out = io.StringIO()
    call_command("run_schedule", stdout=out)
    assert "Reopened 1 round(s) closed before their closing date" in out.getvalue()
    round.refresh_from_db()
    assert round.state == Round.State.OPEN
    assert round.closes_at == closes_at
    assert "The clock moved back" in caplog.text
    assert ActivityEntry.objects.filter(
        team=team, action=ActivityEntry.Action.ROUND_REOPENED, actor=None
    ).exists()
    page = bob_client.get(reverse("assessments:round", args=[round.code]))
    assert "Answer now" in page.content.decode()
    call_command("run_schedule", stdout=io.StringIO())  # nothing more
    assert Round.objects.get(pk=round.pk).state == Round.State.OPEN


def test_a_round_closed_by_hand_before_its_date_stays_closed(
    team: Team, alice: User
) -> None:
    round = make_round(team, dimensions=2)
    Round.objects.filter(pk=round.pk).update(closes_at=real_now() + timedelta(days=2))
    round.refresh_from_db()
    services.round_close(round=round, actor=alice)
    call_command("run_schedule", stdout=io.StringIO())
    assert Round.objects.get(pk=round.pk).state == Round.State.CLOSED
