"""Databases that went through the faulty upgrade get their answers back (issue 25
item 2): migration ``config.0001_rounds_open_across_upgrade`` on rounds in the state the
old ``0005_sealed_answers`` left them in (open across the upgrade, taken for
released once)."""

from __future__ import annotations

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from assessments import services
from assessments.models import Perspective, Round
from teams.models import Team
from tests.factories import add_response, make_round

repair = importlib.import_module(
    "config.migrations.0001_rounds_open_across_upgrade"
).repair

UPGRADED_AT = timezone.now() - datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _upgraded_an_hour_ago(db: None) -> None:
    MigrationRecorder.Migration.objects.filter(
        app="assessments", name="0005_sealed_answers"
    ).update(applied=UPGRADED_AT)


def _open_across_the_faulty_upgrade(team: Team, *, before: int) -> Round:
    """A round opened under 0.1.0 with ``before`` team answers, as the old 0005
    left it (released once), and one team answer given after the upgrade."""
    round = make_round(team, dimensions=2)
    for _ in range(before):
        add_response(round, [2, 3])
    Round.objects.filter(pk=round.pk).update(
        opened_at=UPGRADED_AT - datetime.timedelta(days=3),
        releases=1,
        releases_at_open=1,
    )
    round.refresh_from_db()
    answer = services.Answers(
        ratings=[
            services.RatingAnswer(dimension=d, level=1) for d in round.dimensions.all()
        ]
    )
    services.response_submit(round=round, perspective=Perspective.TEAM, answers=answer)
    return round


def _run_repair() -> None:
    repair(apps, SimpleNamespace(connection=connection))


def _counted(round: Round) -> tuple[int, int]:
    return round.responses.count(), round.sealed_answers.count()


def test_a_round_still_open_releases_every_answer_at_its_close(team: Team) -> None:
    round = _open_across_the_faulty_upgrade(team, before=2)

    _run_repair()
    services.round_close(round=Round.objects.get(pk=round.pk))

    assert _counted(round) == (3, 0)
    assert round.figures.get(perspective=Perspective.TEAM).responses == 3


def test_a_round_closed_since_releases_the_answers_nothing_shown_held(
    team: Team,
) -> None:
    round = _open_across_the_faulty_upgrade(team, before=2)
    services.round_close(round=round)
    assert _counted(round) == (2, 1)  # the faulty upgrade's close

    _run_repair()

    assert _counted(round) == (3, 0)
    assert round.figures.get(perspective=Perspective.TEAM).responses == 3
    assert set(round.responses.values_list("release", flat=True)) == {1}


def test_a_perspective_shown_already_keeps_fewer_than_the_minimum_sealed(
    team: Team,
) -> None:
    round = _open_across_the_faulty_upgrade(team, before=3)
    services.round_close(round=round)

    _run_repair()

    assert _counted(round) == (3, 1)


def test_a_round_reopened_after_the_upgrade_is_left_as_it_is(team: Team) -> None:
    round = _open_across_the_faulty_upgrade(team, before=2)
    services.round_close(round=round)
    services.round_open(round=Round.objects.get(pk=round.pk))
    services.round_close(round=Round.objects.get(pk=round.pk))

    _run_repair()

    assert _counted(round) == (2, 1)


def test_rounds_opened_after_the_upgrade_are_left_as_they_are(team: Team) -> None:
    round = make_round(team, dimensions=2)
    add_response(round, [2, 3])
    Round.objects.filter(pk=round.pk).update(releases=1, releases_at_open=1)

    _run_repair()

    round.refresh_from_db()
    assert (round.releases, round.releases_at_open) == (1, 1)
