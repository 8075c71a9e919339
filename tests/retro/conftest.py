"""A closed round for the retro: team Alpha (alice facilitates; bob and dave are
members), three dimensions, three team answers:

    dim 1: 1, 2, 3  -> mean 2.0, the most disagreement
    dim 2: 2, 2, 2  -> mean 2.0, full agreement
    dim 3: 1, 1, 2  -> mean 1.333, the lowest
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from assessments.models import Round
from teams.models import Membership, Team
from tests.conftest import client_for, make_user
from tests.factories import add_response, make_round


@pytest.fixture
def dave(team: Team) -> User:
    user = make_user("dave")
    Membership.objects.create(team=team, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def dave_client(dave: User) -> Client:
    return client_for(dave)


def answered_round(team: Team, title: str = "Q1 retro") -> Round:
    round = make_round(team, title=title, state=Round.State.CLOSED, dimensions=3)
    for levels, comment, note in (
        ([1, 2, 1], "We talk past each other", ("stop", "Late reviews", 1)),
        ([2, 2, 1], "", ("keep", "Pairing", 2)),
        ([3, 2, 2], "", ("start", "Demo days", 1)),
    ):
        add_response(round, levels, comments=[comment], notes=[note])
    return round


@pytest.fixture
def closed_round(team: Team) -> Round:
    return answered_round(team)
