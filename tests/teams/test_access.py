"""Privacy invariant 3, for every URL at once: an outsider gets the same 404 for a
real team's (or round's) address as for a made-up one, with nothing in the page that
hints the team exists.

The URL list comes from the resolver, so a view added later is checked too.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from assessments.models import Round
from teams.models import Team
from tests.factories import add_response, make_round

# Converters of the path parameters other than ``code``: any value of the right shape.
SUB_IDS = {"uuid": str(uuid.UUID(int=1)), "int": "1"}
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _patterns(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def team_patterns() -> list[str]:
    """Every route addressed by a team's or a round's code."""
    return sorted(
        route
        for route in _patterns(get_resolver().url_patterns)
        if route.startswith(("teams/<uuid:code>/", "rounds/<uuid:code>/"))
    )


def _url(route: str, code: object) -> str:
    def fill(match: re.Match[str]) -> str:
        if match["name"] == "code":
            return str(code)
        return SUB_IDS[match["converter"] or "str"]

    return "/" + PARAM.sub(fill, route)


def _page(client: Client, method: str, url: str) -> tuple[int, str]:
    response = getattr(client, method)(url)
    body = response.content.decode()
    # Per-request values: the CSP nonce and the CSRF token.
    body = re.sub(r'(nonce|value)="[^"]*"', r'\1=""', body)
    return response.status_code, body


def test_it_finds_the_team_routes() -> None:
    routes = team_patterns()
    assert "teams/<uuid:code>/" in routes
    assert "rounds/<uuid:code>/report/report.csv" in routes
    assert len(routes) > 30


@pytest.fixture
def closed_round(team: Team) -> Round:
    round = make_round(team, state=Round.State.CLOSED)
    for _ in range(3):
        add_response(round, [2] * round.dimensions.count(), notes=[("keep", "x")])
    return round


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("route", team_patterns())
def test_outsider_sees_the_same_as_for_an_unknown_code(
    carol_client: Client, team: Team, closed_round: Round, route: str, method: str
) -> None:
    real = team.code if route.startswith("teams/") else closed_round.code
    status, body = _page(carol_client, method, _url(route, real))
    unknown = _page(carol_client, method, _url(route, uuid.uuid4()))
    assert (status, body) == unknown
    assert status in (404, 405)
    assert "Alpha" not in body
    assert closed_round.title not in body
