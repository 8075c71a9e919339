"""``build_team_reports`` builds every round of a team together: each report is the
one ``build_round_report`` makes for that round alone (texts compared as sets, since
each build draws its own random order)."""

from __future__ import annotations

from typing import Any

from assessments.models import Round
from reports.assembly import build_round_report, build_team_reports
from reports.history import round_data
from reports.selectors import team_rounds
from teams.models import Team
from tests.factories import add_response, make_round
from tests.reports.conftest import Scenario, make_q2


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    for key in ("notes", "comments", "checkin_reasons"):
        data[key] = sorted(repr(item) for item in data[key])
    return data


def test_each_report_is_the_one_of_its_round_alone(
    scenario: Scenario, team: Team
) -> None:
    make_q2(team, stakeholders=2)  # a third round, stakeholders below the minimum
    small = make_round(team, title="Small", state=Round.State.CLOSED, dimensions=2)
    for _ in range(2):
        add_response(small, [1, 2], notes=[("keep", "Just us two")])
    open_round = make_round(team, title="Open", dimensions=2)
    for _ in range(3):
        add_response(open_round, [3, 3], notes=[("keep", "Still open")])
    make_round(team, title="Draft", state=Round.State.DRAFT)
    rounds = team_rounds(team)
    together = build_team_reports(rounds, show_notes=True)
    alone = [
        build_round_report(r, rounds=rounds, show_notes=True)
        for r in rounds
        if r.state != Round.State.DRAFT
    ]
    assert [r.round.title for r in together] == [
        "Q1 retro",
        "Q2 retro",
        "Q2 retro",
        "Small",
        "Open",
    ]
    assert [_comparable(round_data(r)) for r in together] == [
        _comparable(round_data(r)) for r in alone
    ]
    assert together[1].notes
    assert together[1].checkin_reasons
