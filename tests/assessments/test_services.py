from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from assessments import services
from assessments.models import (
    Note,
    Participation,
    Rating,
    Response,
    Round,
    SealedAnswer,
    SourceFigure,
)
from assessments.services import Answers, NoteAnswer, RatingAnswer
from teams.models import Team
from tests.factories import make_round


def _answers(round: Round) -> Answers:
    dims = list(round.dimensions.all())
    return Answers(
        ratings=[RatingAnswer(d, 2, "ok") for d in dims],
        notes=[NoteAnswer("keep", "Pairing", dims[0]), NoteAnswer("stop", "WIP")],
        checkin="performing",
        checkin_reason="We ship",
    )


def test_member_submit_stores_answer_and_participation(team: Team, bob: User) -> None:
    round = make_round(team, dimensions=2)
    services.member_response_submit(round=round, user=bob, answers=_answers(round))
    assert SealedAnswer.objects.filter(round=round, perspective="team").count() == 1
    assert not Response.objects.exists()
    assert Participation.objects.filter(round=round, user=bob).count() == 1
    round.refresh_from_db()
    assert round.data_version == 0  # nothing released changed
    assert services.round_close(round=round)
    response = Response.objects.get()
    assert response.perspective == Response.Perspective.TEAM
    assert (response.checkin, response.release) == ("performing", 1)
    assert Rating.objects.filter(response=response).count() == 2
    assert Note.objects.filter(response=response, round=round).count() == 2
    round.refresh_from_db()
    assert (round.data_version, round.releases) == (1, 1)


def test_member_submit_refuses_second_answer(team: Team, bob: User) -> None:
    round = make_round(team, dimensions=2)
    services.member_response_submit(round=round, user=bob, answers=_answers(round))
    with pytest.raises(services.AlreadyAnswered):
        services.member_response_submit(round=round, user=bob, answers=_answers(round))
    assert SealedAnswer.objects.count() == 1


@pytest.mark.parametrize("state", [Round.State.DRAFT, Round.State.CLOSED])
def test_it_refuses_round_not_open(team: Team, bob: User, state: str) -> None:
    round = make_round(team, dimensions=1, state=state)
    with pytest.raises(services.RoundNotOpen):
        services.member_response_submit(round=round, user=bob, answers=_answers(round))
    assert not Response.objects.exists()
    assert not SealedAnswer.objects.exists()
    assert not Participation.objects.exists()


def test_it_refuses_round_past_closing_date(team: Team) -> None:
    round = make_round(team, dimensions=1)
    Round.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(services.RoundNotOpen):
        services.response_submit(
            round=round,
            perspective=Response.Perspective.STAKEHOLDER,
            answers=_answers(round),
        )
    assert not Response.objects.exists()
    assert not SealedAnswer.objects.exists()


def test_stakeholder_submit_stores_relationship(team: Team) -> None:
    round = make_round(team, dimensions=1)
    answers = Answers(ratings=[RatingAnswer(round.dimensions.get(), None)])
    services.response_submit(
        round=round,
        perspective=Response.Perspective.STAKEHOLDER,
        relationship="Customer",
        answers=answers,
    )
    services.round_close(round=round)
    response = Response.objects.get()
    assert (response.perspective, response.relationship) == ("stakeholder", "Customer")
    # How it came in is a count kept at release, not part of the answer.
    assert SourceFigure.objects.get(round=round).source == "link"
    assert Rating.objects.get().level is None
    assert not Participation.objects.exists()


def test_it_refuses_dimension_of_another_round(team: Team) -> None:
    round = make_round(team, dimensions=1)
    other = make_round(team, dimensions=1, state=Round.State.CLOSED)
    answers = Answers(ratings=[RatingAnswer(other.dimensions.get(), 1)])
    with pytest.raises(ValueError, match="another round"):
        services.response_submit(
            round=round, perspective=Response.Perspective.TEAM, answers=answers
        )
    assert not Response.objects.exists()
    assert not SealedAnswer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_store_one_answer(team: Team, bob: User) -> None:
    round = make_round(team, dimensions=3)
    answers = _answers(round)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            services.member_response_submit(round=round, user=bob, answers=answers)
            outcomes.append("stored")
        except services.AlreadyAnswered:
            outcomes.append("already")
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already", "stored"]
    assert SealedAnswer.objects.count() == 1
    assert Participation.objects.count() == 1
    round.refresh_from_db()
    assert round.data_version == 0
