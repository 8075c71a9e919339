"""A round's rules (``Round`` methods) and their QuerySet twins agree."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments import services
from assessments.models import Round
from teams.models import Team
from tests.factories import add_response, make_round


def _unsaved(state: str, closes_in: timedelta | None) -> Round:
    closes_at = None if closes_in is None else timezone.now() + closes_in
    return Round(state=state, closes_at=closes_at)


DAY = timedelta(days=1)
CASES = [
    # state, closes in, shown state
    (Round.State.DRAFT, None, Round.State.DRAFT),
    (Round.State.DRAFT, -DAY, Round.State.DRAFT),
    (Round.State.OPEN, None, Round.State.OPEN),
    (Round.State.OPEN, DAY, Round.State.OPEN),
    (Round.State.OPEN, -DAY, Round.State.CLOSED),
    (Round.State.CLOSED, DAY, Round.State.CLOSED),
    (Round.State.CLOSED, None, Round.State.CLOSED),
]


@pytest.mark.parametrize(("state", "closes_in", "shown"), CASES)
def test_the_state_follows_the_closing_date(
    state: str, closes_in: timedelta | None, shown: str
) -> None:
    round = _unsaved(state, closes_in)
    assert round.current_state() == shown
    assert round.is_open() is (shown == Round.State.OPEN)
    assert round.results_ready() is (shown == Round.State.CLOSED)


@pytest.mark.parametrize(("state", "closes_in", "shown"), CASES)
def test_querysets_agree_with_the_methods(
    team: Team, state: str, closes_in: timedelta | None, shown: str
) -> None:
    round = make_round(team, state=state)
    closes_at = None if closes_in is None else timezone.now() + closes_in
    Round.objects.filter(pk=round.pk).update(closes_at=closes_at)
    rounds = Round.objects.filter(pk=round.pk)
    assert rounds.results_ready().exists() is (shown == Round.State.CLOSED)
    assert rounds.open_now().exists() is (shown == Round.State.OPEN)
    assert rounds.get().current_state() == shown


def test_a_loaded_round_past_its_date_is_closed_at_its_date(team: Team) -> None:
    round = make_round(team)
    closes_at = timezone.now() - DAY
    Round.objects.filter(pk=round.pk).update(closes_at=closes_at)
    loaded = Round.objects.get(pk=round.pk)
    assert loaded.state == Round.State.CLOSED
    assert loaded.closed_at == closes_at
    assert Round.objects.with_closed_on().get(pk=round.pk).closed_on == closes_at


def test_the_minimum_is_fixed_once_answered(team: Team) -> None:
    round = make_round(team)
    assert not round.minimum_fixed()
    add_response(round, [2] * round.dimensions.count())
    assert round.minimum_fixed()


def test_closing_by_hand_records_now(team: Team) -> None:
    round = make_round(team)
    services.round_close(round=round)
    round.refresh_from_db()
    assert round.state == Round.State.CLOSED
    assert round.closed_at is not None
    assert timezone.now() - round.closed_at < timedelta(minutes=1)


def test_closing_late_records_the_closing_date(team: Team) -> None:
    round = make_round(team)
    closes_at = timezone.now() - 3 * DAY
    round.closes_at = closes_at
    services.round_close(round=round)
    assert Round.objects.values_list("closed_at", flat=True).get(pk=round.pk) == (
        closes_at
    )


def test_run_schedule_stores_the_closing_date(team: Team, other_team: Team) -> None:
    due = make_round(team)
    later = make_round(other_team)
    closes_at = timezone.now() - DAY
    Round.objects.filter(pk=due.pk).update(closes_at=closes_at)
    Round.objects.filter(pk=later.pk).update(closes_at=timezone.now() + DAY)
    call_command("run_schedule", stdout=io.StringIO())
    stored = dict(Round.objects.values_list("pk", "state"))
    assert stored == {due.pk: Round.State.CLOSED, later.pk: Round.State.OPEN}
    stored_close = Round.objects.values_list("closed_at", flat=True).get(pk=due.pk)
    assert stored_close == closes_at
    # Twice changes nothing more.
    assert services.rounds_close_due() == 0


def test_opening_a_round_first_closes_the_due_one(team: Team) -> None:
    due = make_round(team)
    closes_at = timezone.now() - DAY
    Round.objects.filter(pk=due.pk).update(closes_at=closes_at)
    draft = make_round(team, state=Round.State.DRAFT)
    services.round_open(round=draft)
    stored = Round.objects.filter(pk=due.pk).values_list("state", "closed_at").get()
    assert stored == (Round.State.CLOSED, closes_at)


def test_closing_by_date_is_in_the_activity_log(team: Team) -> None:
    due = make_round(team, title="Due one")
    Round.objects.filter(pk=due.pk).update(closes_at=timezone.now() - DAY)
    assert services.rounds_close_due() == 1
    entry = team.activity.order_by("-pk").first()
    assert entry is not None
    assert (entry.action, entry.actor, entry.detail) == (
        "round_closed",
        None,
        {"round": "Due one"},
    )
