"""A round closed by its date releases its results at that date, without an operator
remembering cron: the task worker runs a task deferred to the closing date, and
``run_schedule --every`` (which ``make run`` and ``make worker`` start) catches up
on the rest. Closing by hand releases at once. Pages only read (issues 11, 12)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from assessments import services
from assessments.management.commands import run_schedule
from assessments.models import Response, Round, SealedAnswer
from assessments.services import Answers, RatingAnswer, close_due_rounds
from teams.models import Membership, Team
from tests.conftest import make_user
from tests.factories import make_round, stakeholders_answer

DAY = timedelta(days=1)


def _past_its_date(round: Round) -> None:
    Round.objects.filter(pk=round.pk).update(closes_at=timezone.now() - DAY)


def test_the_round_page_says_results_are_coming_until_the_release(
    team: Team, bob_client: Client
) -> None:
    round = make_round(team, dimensions=2)
    stakeholders_answer(round, 3)
    _past_its_date(round)
    url = reverse("assessments:round", args=[round.code])
    page = bob_client.get(url).content.decode()
    assert "its results are being released" in page
    assert not Response.objects.exists()  # the page only read

    call_command("run_schedule", stdout=io.StringIO())
    assert Response.objects.filter(perspective="stakeholder").count() == 3
    assert not SealedAnswer.objects.exists()
    assert "its results are being released" not in bob_client.get(url).content.decode()


def test_closing_by_hand_releases_at_once(team: Team, alice_client: Client) -> None:
    round = make_round(team, dimensions=2)
    stakeholders_answer(round, 3)
    alice_client.post(reverse("assessments:round_close", args=[round.code]))
    assert Response.objects.filter(round=round).count() == 3
    assert not SealedAnswer.objects.exists()


def test_opening_defers_the_release_task_to_the_closing_date(
    team: Team, alice: User, settings: Settings, django_capture_on_commit_callbacks: Any
) -> None:
    # The database backend that db_worker runs can defer; the dummy one records.
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    backend = close_due_rounds.get_backend()
    backend.clear()  # type: ignore[attr-defined]
    closes_at = timezone.now() + DAY
    draft = make_round(team, state=Round.State.DRAFT, dimensions=2)
    Round.objects.filter(pk=draft.pk).update(closes_at=closes_at)
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(round=draft, actor=alice)
    results = backend.results  # type: ignore[attr-defined]
    assert [(r.task.name, r.task.run_after, r.args) for r in results] == [
        ("close_due_rounds", closes_at, [])
    ]
    # A later date: one more task, at the new date (the first will find nothing).
    later = closes_at + DAY
    with django_capture_on_commit_callbacks(execute=True):
        services.round_update(
            round=draft, title=draft.title, closes_at=later, min_responses=3
        )
    assert [r.task.run_after for r in backend.results] == [closes_at, later]  # type: ignore[attr-defined]


def test_the_deferred_task_releases_what_is_due(team: Team) -> None:
    round = make_round(team, dimensions=2)
    stakeholders_answer(round, 3)
    assert close_due_rounds.call() == 0  # not due yet: nothing released
    assert SealedAnswer.objects.count() == 3
    _past_its_date(round)
    assert close_due_rounds.call() == 1
    assert Response.objects.count() == 3
    assert close_due_rounds.call() == 0  # twice changes nothing more


def test_without_a_deferring_backend_nothing_is_enqueued(
    team: Team, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    # The tests' immediate backend, like development's, cannot defer: opening a
    # round with a date neither fails nor closes it; run_schedule --every does it.
    draft = make_round(team, state=Round.State.DRAFT, dimensions=2)
    Round.objects.filter(pk=draft.pk).update(closes_at=timezone.now() + DAY)
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(round=draft, actor=alice)
    assert Round.objects.get(pk=draft.pk).state == Round.State.OPEN


class _Stop(Exception):
    pass


def test_run_schedule_every_keeps_going_after_a_failure(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    round = make_round(team, dimensions=2)
    stakeholders_answer(round, 3)
    _past_its_date(round)
    real = services.rounds_close_due
    calls: list[str] = []

    def flaky(**kwargs: Any) -> int:
        calls.append("run")
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        return real(**kwargs)

    def sleep(seconds: float) -> None:
        assert seconds == 30
        if len(calls) == 2:
            raise _Stop

    monkeypatch.setattr(services, "rounds_close_due", flaky)
    monkeypatch.setattr(run_schedule.time, "sleep", sleep)
    # Between runs the loop drops stale connections; the test's must stay open.
    monkeypatch.setattr(run_schedule, "close_old_connections", lambda: None)
    out = io.StringIO()
    with pytest.raises(_Stop):
        call_command("run_schedule", "--every", "30", stdout=out)
    assert calls == ["run", "run"]
    assert Response.objects.count() == 3  # the second run released them
    assert out.getvalue() == "Closed 1 round(s) past their closing date.\n"


def test_a_reopened_round_says_its_results_wait_for_the_minimum(
    team: Team, alice: User, bob_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    round = make_round(team, dimensions=2)
    stakeholders_answer(round, 3)
    services.round_close(round=round, actor=alice)
    services.round_open(round=round, actor=alice)
    url = reverse("assessments:round", args=[round.code])
    page = bob_client.get(url).content.decode()
    assert "team results stay unchanged until 3 more members answer" in page
    assert "stakeholder results" not in page  # none waiting: nothing to say
    with django_capture_on_commit_callbacks(execute=True):
        stakeholders_answer(round, 1)
    page = bob_client.get(url).content.decode()
    assert "stakeholder results stay unchanged until 2 more stakeholders answer" in page
    assert Response.objects.count() == 3  # unchanged
    with django_capture_on_commit_callbacks(execute=True):
        stakeholders_answer(round, 2)
    assert Response.objects.count() == 6  # all three at once
    page = bob_client.get(url).content.decode()
    assert "stakeholder results stay unchanged" not in page
    assert (
        "New stakeholder answers are in: the published stakeholder results will "
        "take them in when the round closes." in page
    )
    services.round_close(round=round, actor=alice)
    assert "stakeholder results" not in bob_client.get(url).content.decode()


def test_a_reopened_round_says_a_batch_in_comes_with_the_close(
    team: Team,
    alice: User,
    bob: User,
    bob_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The third new member answer while reopened is released at once and shown
    only at the close: the round page says so, not "until 3 more"; after the
    close neither."""
    dan, erin, frank, grace = (make_user(n) for n in ("dan", "erin", "frank", "grace"))
    for user in (dan, erin, frank, grace):
        Membership.objects.create(team=team, user=user)
    round = make_round(team, dimensions=2)
    _member_answers(round, [alice, bob, dan])
    services.round_close(round=round, actor=alice)
    services.round_open(round=round, actor=alice)
    url = reverse("assessments:round", args=[round.code])
    with django_capture_on_commit_callbacks(execute=True):
        _member_answers(round, [erin, frank])
    page = bob_client.get(url).content.decode()
    assert "team results stay unchanged until 1 more member answers" in page
    with django_capture_on_commit_callbacks(execute=True):
        _member_answers(round, [grace])
    assert Response.objects.filter(round=round).count() == 6  # released, still open
    page = bob_client.get(url).content.decode()
    assert TEAM_IN in page
    assert "stay unchanged until 3" not in page
    services.round_close(round=round, actor=alice)
    page = bob_client.get(url).content.decode()
    assert TEAM_IN not in page
    assert "stay unchanged" not in page


TEAM_IN = (
    "New member answers are in: the published team results will take them in "
    "when the round closes."
)


def _member_answers(round: Round, users: list[User]) -> None:
    dims = list(round.dimensions.all())
    for user in users:
        services.member_response_submit(
            round=round,
            user=user,
            answers=Answers(ratings=[RatingAnswer(d, 2, "") for d in dims]),
        )
