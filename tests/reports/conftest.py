"""A team with two closed rounds whose figures are computed by hand in the tests.

Q1 (previous), three dimensions, team only:
    dim 1: 1, 2, 1        -> mean 1.333
    dim 2: 1, 1, 2        -> mean 1.333
    dim 3: 2, 2, (dk)     -> 2 rated < 3: hidden
Q2 (current), the same three dimensions:
    team (4 responses)
    dim 1: 2, 2, 3, 1     -> 1/2/1, mean 2.0, median 2.0, agreement 0.5
    dim 2: 3, 2, 2, 3     -> 0/2/2, mean 2.5, median 2.5
    dim 3: 1, dk, 1, dk   -> 2 rated < 3: hidden, 2 "don't know"
    check-in: underperforming 1, performing 2, high-performing 1
    stakeholders (3 responses: Customer x2, Leadership x1: both groups hidden)
    dim 1: 1, 1, 2        -> mean 1.333   gap +0.667: blind spot
    dim 2: 3, 3, 3        -> mean 3.0     gap -0.5: hidden strength
    dim 3: 3, 3, 3        -> mean 3.0     (team hidden: no gap)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from assessments.models import Round
from teams.models import Membership, Team
from tests.conftest import make_user
from tests.factories import add_response, make_round

STAKEHOLDER = "stakeholder"


@dataclass
class Scenario:
    team: Team
    q1: Round
    q2: Round


def _members(team: Team) -> dict[int, User]:
    """The team's members by position, to record who answered (turnout)."""
    users = User.objects.filter(memberships__team=team).order_by("username")
    return dict(enumerate(users))


def make_q1(team: Team) -> Round:
    q1 = make_round(team, title="Q1 retro", state=Round.State.CLOSED, dimensions=3)
    # Who answered Q1 is not recorded, so that Q2 (four members) compares with it:
    # tests/reports/test_compare_rounds.py covers the members who answered one.
    for levels in ([1, 1, 2], [2, 1, 2], [1, 2, None]):
        add_response(q1, levels, checkin="performing")
    return q1


def make_q2(team: Team, *, stakeholders: int = 3) -> Round:
    q2 = make_round(team, title="Q2 retro", state=Round.State.CLOSED, dimensions=3)
    team_answers = [
        ([2, 3, 1], "performing"),
        ([2, 2, None], "performing"),
        ([3, 2, 1], "high-performing"),
        ([1, 3, None], "underperforming"),
    ]
    members = _members(team)
    for i, (levels, checkin) in enumerate(team_answers):
        add_response(
            q2,
            levels,
            by=members.get(i),
            checkin=checkin,
            checkin_reason="We ship every week" if i == 0 else "",
            comments=["Standups help"] if i == 0 else None,
            notes=[("keep", "Pairing on hard bugs", 1), ("stop", "Friday deploys")]
            if i == 0
            else [("start", "Writing ADRs", 2)]
            if i == 1
            else [],
        )
    stakeholder_answers = [
        ([1, 3, 3], "Customer"),
        ([1, 3, 3], "Customer"),
        ([2, 3, 3], "Leadership"),
    ]
    for i, (levels, relationship) in enumerate(stakeholder_answers[:stakeholders]):
        add_response(
            q2,
            levels,
            perspective=STAKEHOLDER,
            relationship=relationship,
            comments=["", "Great demos"] if i == 0 else None,
            notes=[("start", "Share the roadmap earlier")] if i == 0 else [],
        )
    return q2


@pytest.fixture
def scenario(team: Team) -> Scenario:
    # Five members in all, with alice and bob.
    for name in ("dan", "erin", "frank"):
        Membership.objects.create(team=team, user=make_user(name))
    q1 = make_q1(team)
    q2 = make_q2(team)
    return Scenario(team=team, q1=q1, q2=q2)
