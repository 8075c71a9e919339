"""What the API reads: the same report assembly as the report pages and the JSON
export (``reports.assembly.build_round_report``, ``reports.history.round_data``), as a
member of the team reads it. Nothing here aggregates or decides what may be shown."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404

from assessments.models import Round
from assessments.selectors import round_actions
from reports.assembly import RoundReport, build_round_report, build_team_reports
from reports.history import round_data
from reports.selectors import team_rounds
from teams.models import Team


def _rounds(team: Team) -> list[Round]:
    rounds = team_rounds(team)
    for r in rounds:
        r.team = team
    return rounds


def _listed(round: Round) -> bool:
    return round.state != Round.State.DRAFT


def rounds_data(team: Team) -> list[dict[str, Any]]:
    """Every round of the team that has opened, oldest first, without texts (the
    same few queries for any number of rounds)."""
    reports = build_team_reports(_rounds(team), show_notes=True, texts=False)
    return [round_data(r) for r in reports]


def round_report(team: Team, code: UUID, *, texts: bool) -> RoundReport:
    """The report of the team's round with this code; 404 for a draft, an unknown
    round and another team's round alike."""
    rounds = _rounds(team)
    round = next((r for r in rounds if r.code == code and _listed(r)), None)
    if round is None:
        raise Http404
    return build_round_report(round, rounds=rounds, show_notes=True, texts=texts)


def round_summary(team: Team, code: UUID) -> dict[str, Any]:
    return round_data(round_report(team, code, texts=False))


def figures_data(team: Team, code: UUID) -> dict[str, Any]:
    data = round_data(round_report(team, code, texts=False))
    return {**data, "round": data}


def notes_data(team: Team, code: UUID) -> dict[str, Any]:
    data = round_data(round_report(team, code, texts=True))
    return {**data, "round": data}


def actions_data(team: Team, code: UUID) -> dict[str, Any]:
    report = round_report(team, code, texts=False)
    round = report.round
    data = round_data(
        report, actions=round_actions(round), metrics=list(round.metrics.all())
    )
    return {**data, "round": data}
