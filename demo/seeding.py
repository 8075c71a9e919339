"""The one way demo rounds are made: through the same services as real ones.

A demo round is created, opened, answered by members (``member_response_submit``,
so each one's participation is recorded) and stakeholders (``response_submit``) and,
unless it stays open, closed. Only then are its dates moved into the past, so that
reports and coach views show a history: that is the one thing a real team cannot
do, and the only row the demo writes itself (the round's own dates, never an
answer, a participation or ``data_version``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from assessments import services
from assessments.models import Response, Round, TeamDimension
from assessments.services import Answers
from teams.models import Team


@dataclass(frozen=True)
class StakeholderAnswer:
    relationship: str
    answers: Answers


# The members' answers (each with who gave it) and the stakeholders' of one round.
RoundAnswers = tuple[Sequence[tuple[User, Answers]], Sequence[StakeholderAnswer]]


@transaction.atomic
def play_round(
    *,
    team: Team,
    title: str,
    dimensions: Sequence[TeamDimension],
    answer: Callable[[Round], RoundAnswers],
    opened_at: datetime.datetime,
    closed_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
) -> Round:
    """Create and open a round, store the answers ``answer(round)`` gives (they
    name the round's dimensions, so they are made once it exists), then close it
    if ``closed_at`` is given, and date it as if it had happened then."""
    round = services.round_create(
        team=team,
        title=title,
        dimensions=dimensions,
        closes_at=closes_at,
        min_responses=3,
    )
    services.round_open(round=round)
    members, stakeholders = answer(round)
    for user, answers in members:
        services.member_response_submit(round=round, user=user, answers=answers)
    for stakeholder in stakeholders:
        services.response_submit(
            round=round,
            perspective=Response.Perspective.STAKEHOLDER,
            relationship=stakeholder.relationship,
            answers=stakeholder.answers,
        )
    if closed_at is not None:
        services.round_close(round=round)
    Round.objects.filter(pk=round.pk).update(
        created=opened_at - datetime.timedelta(days=1),
        opened_at=opened_at,
        closed_at=closed_at,
    )
    round.refresh_from_db()
    return round
