from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Avg, Count, Q

from assessments.models import (
    Note,
    Participation,
    Rating,
    Response,
    Round,
    RoundDimension,
)
from teams.models import Team


@pytest.fixture
def seeded(db: None) -> None:
    call_command("seed_demo")


def _team(name: str) -> Team:
    return Team.objects.get(name=name)


@pytest.mark.usefixtures("seeded")
def test_it_seeds_rounds_answers_and_stakeholders() -> None:
    for name in ("Payments", "Mobile", "Platform"):
        rounds = _team(name).rounds
        assert rounds.filter(state=Round.State.CLOSED).count() == 4
        open_round = rounds.get(state=Round.State.OPEN)
        assert open_round.is_open()
        assert 0 < open_round.participations.count() < 5
        titles = list(rounds.values_list("title", flat=True))
        assert len(set(titles)) == len(titles)
    for round in Round.objects.filter(
        state=Round.State.CLOSED, team__name__in=["Payments", "Mobile", "Platform"]
    ):
        team_answers = round.responses.filter(perspective="team").count()
        assert team_answers >= round.min_responses
        assert team_answers == round.participations.count()
        assert round.notes.exists()
        assert round.data_version > 0
    for name in ("Payments", "Mobile", "Platform"):
        groups = (
            Response.objects.filter(
                round__team__name=name,
                round__state=Round.State.CLOSED,
                perspective=Response.Perspective.STAKEHOLDER,
            )
            .values("round", "relationship")
            .annotate(n=Count("id"))
        )
        assert any(g["n"] >= 3 for g in groups)
        known = set(_team(name).stakeholder_groups.values_list("name", flat=True))
        assert {g["relationship"] for g in groups} <= known


def _mean(team: str, title_index: int) -> float:
    rounds = list(_team(team).rounds.order_by("opened_at"))
    avg = Rating.objects.filter(
        response__round=rounds[title_index], response__perspective="team"
    ).aggregate(avg=Avg("level"))["avg"]
    assert avg is not None
    return float(avg)


@pytest.mark.usefixtures("seeded")
def test_the_teams_tell_different_stories() -> None:
    assert _mean("Payments", 3) > _mean("Payments", 0) + 0.3
    assert _mean("Mobile", 3) < _mean("Mobile", 0) - 0.3
    # Mobile renamed a dimension half-way; earlier rounds keep the old name.
    names = set(
        RoundDimension.objects.filter(
            round__team__name="Mobile", builtin__slug="flow-efficiency"
        ).values_list("name", flat=True)
    )
    assert names == {"Flow & Efficiency", "Release flow"}
    # Platform uses nine built-in dimensions and its own.
    latest = _team("Platform").rounds.get(state=Round.State.OPEN)
    assert latest.dimensions.count() == 10
    assert latest.dimensions.filter(builtin=None, name="On-call health").exists()


def test_it_is_idempotent(db: None) -> None:
    call_command("seed_demo")
    counts = [
        m.objects.count()
        for m in (Round, Response, Rating, Note, Participation, RoundDimension)
    ]
    call_command("seed_demo")
    assert [
        m.objects.count()
        for m in (Round, Response, Rating, Note, Participation, RoundDimension)
    ] == counts


@pytest.mark.usefixtures("seeded")
def test_every_demo_round_was_answered_through_the_services() -> None:
    # One seeding path (demo.seeding.play_round) for all six teams: each member's
    # answer has its participation, and releasing its answers bumped data_version.
    rounds = Round.objects.annotate(
        team_answers=Count(
            "responses", filter=Q(responses__perspective="team"), distinct=True
        ),
        answers=Count("responses", distinct=True),
        answered=Count("participations", distinct=True),
        sealed=Count(
            "sealed_answers",
            filter=Q(sealed_answers__perspective="team"),
            distinct=True,
        ),
    )
    assert rounds.values("team").distinct().count() == 6
    for round in rounds:
        assert round.team_answers + round.sealed == round.answered  # open: sealed
        assert round.data_version >= (1 if round.answers else 0)  # at release
