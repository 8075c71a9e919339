"""A team with an API token, and a client that calls the API with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from api.models import ApiToken
from api.services import api_token_create
from teams.models import Membership, Team
from tests.conftest import make_user
from tests.reports.conftest import Scenario, make_q1, make_q2


@dataclass
class Token:
    token: ApiToken
    secret: str


def make_token(team: Team, actor: User, name: str = "Dashboard") -> Token:
    token, secret = api_token_create(team=team, name=name, actor=actor)
    return Token(token, secret)


@pytest.fixture
def token(team: Team, alice: User) -> Token:
    return make_token(team, alice)


@pytest.fixture
def scenario(team: Team) -> Scenario:
    """The hand-computed rounds of tests/reports/conftest.py."""
    for name in ("dan", "erin", "frank"):
        Membership.objects.create(team=team, user=make_user(name))
    q1 = make_q1(team)
    q2 = make_q2(team)
    return Scenario(team=team, q1=q1, q2=q2)


class ApiClient:
    """Calls the API with a token, as a program would (no session)."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.secret = secret

    def get(self, path: str, **extra: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        return self.client.get(f"/api{path}", headers=headers, **extra)


@pytest.fixture
def api_client(token: Token) -> ApiClient:
    return ApiClient(token.secret)
