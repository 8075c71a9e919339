"""Reads other apps need about a team's decisions: its actions and the summary of
its retros. For the report, the action board and the exports (CSV, PDF, API)."""

from __future__ import annotations

from assessments.models import Action, Round
from teams.models import Team


def round_actions(round: Round) -> list[Action]:
    """The actions agreed in this round's retro, in the order they were agreed,
    with their dimension and owner (one query). ``round.retro_summary`` is the
    retro's summary."""
    return list(
        Action.objects.filter(round=round).select_related(
            "dimension", "team_dimension", "owner__user"
        )
    )


def team_actions(team: Team) -> list[Action]:
    """Every action of the team, oldest first, with its round (one query)."""
    return list(
        Action.objects.for_team(team).select_related(
            "round", "dimension", "team_dimension", "owner__user"
        )
    )


def carried_actions(round: Round) -> list[Action]:
    """The actions agreed before this round that were still open when it opened
    (one query): what "last time we agreed to" shows, and what this round's report
    follows up."""
    opened = round.opened_at or round.created
    return [
        a
        for a in Action.objects.agreed_before(round).select_related(
            "round", "dimension", "team_dimension", "owner__user"
        )
        if a.finished_at is None or a.finished_at >= opened
    ]


def open_actions_before(round: Round) -> list[Action]:
    """The actions agreed before this round that are still open (one query): the
    answer page opens with them ("Last time we agreed to …")."""
    return list(
        Action.objects.agreed_before(round)
        .open()
        .select_related("dimension", "team_dimension")
    )


def open_actions(team: Team) -> list[Action]:
    """The team's open actions, oldest first (one query)."""
    return list(
        Action.objects.for_team(team)
        .open()
        .select_related("round", "dimension", "team_dimension", "owner__user")
    )
