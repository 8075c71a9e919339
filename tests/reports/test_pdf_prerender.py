"""A round's PDF laid out in the background once its results are released
(reports.tasks): the first member to download it gets it without waiting."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from assessments import services
from assessments.models import Action, Response, Round, RoundMetric
from reports.tasks import prerender_round_pdf
from teams.forms import TeamForm
from teams.models import CoachShare, LanguagePreference, Team
from tests.conftest import client_for
from tests.factories import make_round, stakeholders_answer

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


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
    stakeholders_answer(round, 3)
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
    stakeholders_answer(round, 3)
    _close(round, alice, django_capture_on_commit_callbacks)
    assert Response.objects.filter(round=round).count() == 3
    assert printed == []


def test_the_task_makes_nothing_for_a_round_without_results(
    team: Team, printed: list[str]
) -> None:
    round = make_round(team, dimensions=2)
    stakeholders_answer(round, 3)  # sealed: not released yet
    prerender_round_pdf.call(round=str(round.code))
    prerender_round_pdf.call(round="00000000-0000-0000-0000-000000000000")
    assert printed == []


def _released(
    team: Team, alice: User, settings: Settings, capture: Any
) -> tuple[Round, Any]:
    """A round with results, released with a background backend: the queue is
    emptied and its task run, as db_worker would."""
    settings.TASKS = DUMMY
    backend = prerender_round_pdf.get_backend()
    backend.clear()  # type: ignore[attr-defined]
    round = make_round(team, dimensions=2)
    stakeholders_answer(round, 3)
    _close(round, alice, capture)
    _run_queue(backend)
    return Round.objects.get(pk=round.pk), backend


def _run_queue(backend: Any) -> list[str]:
    """Run what the queue holds, as db_worker would; the rounds it named."""
    codes = [r.kwargs["round"] for r in backend.results]
    backend.clear()
    for code in codes:
        prerender_round_pdf.call(round=code)
    return codes


def test_the_task_lays_out_each_view_in_each_language_its_readers_chose(
    team: Team,
    alice: User,
    bob: User,
    cora: User,
    settings: Settings,
    django_capture_on_commit_callbacks: Any,
    printed: list[str],
) -> None:
    Team.objects.filter(pk=team.pk).update(language="de")
    LanguagePreference.objects.create(user=bob, language="fr")
    CoachShare.objects.create(team=team, coach=cora, include_notes=False)
    round, _backend = _released(
        team, alice, settings, django_capture_on_commit_callbacks
    )
    # The members' in the team's language and in bob's, the coach's in the team's.
    languages = [re.findall(r'<html lang="(\w+)"', p) for p in printed]
    assert languages == [["de"], ["fr"], ["de"]]
    pdf = reverse("reports:pdf", args=[round.code])
    member_fr = client_for(bob).get(pdf)  # bob's own setting: French
    member_de = client_for(alice).get(pdf, HTTP_ACCEPT_LANGUAGE="de")
    coach = client_for(cora).get(pdf)  # no setting, no browser: the team's
    assert [r.status_code for r in (member_fr, member_de, coach)] == [200] * 3
    assert len(printed) == 3  # every download found its PDF laid out
    # Each view keeps its own key: the coach's is not a member's.
    assert len({member_fr.content, member_de.content, coach.content}) == 3


def _add_action(round: Round, team: Team) -> None:
    services.action_create(
        round=round, text="Pair on every bug", dimension=round.dimensions.all()[0]
    )


def _record_metric(round: Round, team: Team) -> None:
    services.metric_record(
        round=round, kind="", name="Lead time", value=Decimal(3), unit="d", note=""
    )


def _rename_round(round: Round, team: Team) -> None:
    services.round_update(
        round=round,
        title="Q1, renamed",
        closes_at=None,
        min_responses=round.min_responses,
    )


def _rename_team(round: Round, team: Team) -> None:
    team.refresh_from_db()
    form = TeamForm(
        {"name": "Alpha squad", "description": "", "language": team.language},
        instance=team,
    )
    assert form.is_valid()
    form.save()


def _share(round: Round, team: Team) -> None:
    CoachShare.objects.create(
        team=team, coach=User.objects.create_user("coach"), include_notes=True
    )


@pytest.mark.parametrize(
    "change", [_add_action, _record_metric, _rename_round, _rename_team, _share]
)
def test_a_change_to_what_the_pdf_shows_queues_its_new_version(
    team: Team,
    alice: User,
    bob_client: Client,
    settings: Settings,
    django_capture_on_commit_callbacks: Any,
    printed: list[str],
    change: Any,
) -> None:
    round, backend = _released(
        team, alice, settings, django_capture_on_commit_callbacks
    )
    assert len(printed) == 1
    with django_capture_on_commit_callbacks(execute=True):
        change(round, team)
    assert _run_queue(backend) == [str(round.code)]
    made = len(printed)
    assert made >= 2  # the new version, laid out by the worker
    response = bob_client.get(reverse("reports:pdf", args=[round.code]))
    assert response.status_code == 200
    assert len(printed) == made  # the download after the change: no layout


def test_removing_an_action_or_a_metric_queues_the_pdf_again(
    team: Team,
    alice: User,
    bob_client: Client,
    settings: Settings,
    django_capture_on_commit_callbacks: Any,
    printed: list[str],
) -> None:
    round, backend = _released(
        team, alice, settings, django_capture_on_commit_callbacks
    )
    pdf = reverse("reports:pdf", args=[round.code])
    released = bob_client.get(pdf).content
    with django_capture_on_commit_callbacks(execute=True):
        _add_action(round, team)
        _record_metric(round, team)
    _run_queue(backend)
    assert "Pair on every bug" in printed[-1]
    assert bob_client.get(pdf).content != released
    with django_capture_on_commit_callbacks(execute=True):
        Action.objects.filter(round=round).delete()
        RoundMetric.objects.filter(round=round).delete()
    assert set(_run_queue(backend)) == {str(round.code)}
    # Back to what the release showed: that PDF, still cached, no layout.
    made = len(printed)
    assert bob_client.get(pdf).content == released
    assert len(printed) == made == 2


def test_a_change_to_a_round_without_results_queues_nothing(
    team: Team,
    settings: Settings,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = DUMMY
    backend = prerender_round_pdf.get_backend()
    backend.clear()  # type: ignore[attr-defined]
    round = make_round(team, dimensions=2)
    with django_capture_on_commit_callbacks(execute=True):
        _rename_round(round, team)
        _rename_team(round, team)
    assert backend.results == []  # type: ignore[attr-defined]
