"""A round's PDF laid out in the background once its results are released
(reports.tasks): the first member to download it gets it without waiting."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from assessments import services
from assessments.models import Response, Round
from assessments.services import Answers, RatingAnswer
from reports.tasks import prerender_round_pdf
from teams.models import Team
from tests.factories import make_round

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _stakeholder_answers(round: Round, n: int) -> None:
    dims = list(round.dimensions.all())
    for _ in range(n):
        services.response_submit(
            round=round,
            perspective=Response.Perspective.STAKEHOLDER,
            answers=Answers(ratings=[RatingAnswer(d, 2, "") for d in dims]),
        )


def _close(round: Round, alice: User, capture: Any) -> None:
    with capture(execute=True):
        services.round_close(round=round, actor=alice)


def test_a_release_queues_the_pdf_and_the_first_download_finds_it(
    team: Team,
    alice: User,
    bob_client: Client,
    settings: Settings,
    django_capture_on_commit_callbacks: Any,
    printed: list[str],
) -> None:
    settings.TASKS = DUMMY
    backend = prerender_round_pdf.get_backend()
    backend.clear()  # type: ignore[attr-defined]
    Team.objects.filter(pk=team.pk).update(language="de")
    round = make_round(team, dimensions=2)
    _stakeholder_answers(round, 3)
    _close(round, alice, django_capture_on_commit_callbacks)
    results = backend.results  # type: ignore[attr-defined]
    # The queue holds the round's code and nothing else.
    assert [(r.task.name, r.args, r.kwargs) for r in results] == [
        ("prerender_round_pdf", [], {"round": str(round.code)})
    ]
    assert printed == []  # nothing laid out inside the close
    prerender_round_pdf.call(**results[0].kwargs)
    assert len(printed) == 1
    assert '<html lang="de">' in printed[0]  # in the team's language
    response = bob_client.get(
        reverse("reports:pdf", args=[round.code]), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert len(printed) == 1  # the download was not laid out again


def test_without_a_background_worker_the_close_lays_nothing_out(
    team: Team,
    alice: User,
    django_capture_on_commit_callbacks: Any,
    printed: list[str],
) -> None:
    # The tests' immediate backend, like development's: the first download lays
    # the PDF out, the close does not wait for it.
    round = make_round(team, dimensions=2)
    _stakeholder_answers(round, 3)
    _close(round, alice, django_capture_on_commit_callbacks)
    assert Response.objects.filter(round=round).count() == 3
    assert printed == []


def test_the_task_makes_nothing_for_a_round_without_results(
    team: Team, printed: list[str]
) -> None:
    round = make_round(team, dimensions=2)
    _stakeholder_answers(round, 3)  # sealed: not released yet
    prerender_round_pdf.call(round=str(round.code))
    prerender_round_pdf.call(round="00000000-0000-0000-0000-000000000000")
    assert printed == []
