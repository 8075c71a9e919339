"""Teams that share with cora, with closed rounds, for the coach's pages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from assessments.models import Response, Round
from assessments.services import team_start
from teams.models import CoachShare, Team
from teams.services import coach_share_grant
from tests.conftest import make_user
from tests.factories import add_response, make_round


def shared_team(
    name: str, coach: User, *, include_notes: bool = True, facilitator: str = ""
) -> Team:
    """A new team, with its own facilitator, sharing with the coach."""
    owner = make_user(facilitator or f"fac-{name.lower().replace(' ', '-')}")
    team = team_start(name=name, description="", creator=owner)
    coach_share_grant(team=team, coach=coach, include_notes=include_notes, actor=owner)
    return team


def share(team: Team, coach: User, *, include_notes: bool = True) -> CoachShare:
    actor = team.memberships.first()
    assert actor is not None
    return coach_share_grant(
        team=team, coach=coach, include_notes=include_notes, actor=actor.user
    )


def closed_round(
    team: Team,
    answers: Sequence[Sequence[int | None]],
    *,
    title: str = "Check-in",
    closed_at: datetime | None = None,
    stakeholders: Sequence[Sequence[int | None]] = (),
    checkins: Sequence[str] = (),
    notes: Sequence[Sequence[tuple[str, str] | tuple[str, str, int]]] = (),
    min_responses: int = 3,
    dimensions: int | None = None,
) -> Round:
    """A closed round: one team response per ``answers`` row (levels in the order of
    the team's dimensions), then the stakeholder responses."""
    round = make_round(
        team,
        title=title,
        state=Round.State.CLOSED,
        min_responses=min_responses,
        dimensions=dimensions,
    )
    round.closed_at = closed_at or timezone.now()
    round.save(update_fields=["closed_at"])
    for i, levels in enumerate(answers):
        add_response(
            round,
            levels,
            checkin=checkins[i] if i < len(checkins) else "",
            notes=notes[i] if i < len(notes) else (),
        )
    for levels in stakeholders:
        add_response(
            round,
            levels,
            perspective=Response.Perspective.STAKEHOLDER,
            relationship="Customer",
        )
    return round


def days_ago(n: int) -> datetime:
    return timezone.now() - timedelta(days=n)
