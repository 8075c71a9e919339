"""Reads never write: a GET or HEAD of any URL, by anyone, leaves every table as it
was. The URL list comes from the resolver, so a view added later is checked too.

The scene has what used to make reads write: a round still stored as open although
its closing date has passed (pages must show it closed by computing, not by saving).
The session table is left out: a session is the visitor's own state (the
stakeholder and join links swap their token into it), not the product's data.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone

from assessments.models import Round
from assessments.services import team_start
from stakeholders import services as stakeholder_services
from teams import services as team_services
from teams.models import Membership, Team
from tests.conftest import client_for, make_user
from tests.factories import add_response, make_round
from tests.teams.test_access import PARAM, _patterns

SKIPPED_TABLES = {"django_session"}


def table_digest() -> dict[str, str]:
    """A hash of every row of every table, in an order that ignores row order."""
    digests = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in SKIPPED_TABLES:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


@dataclass
class Scene:
    teams: list[Team]
    rounds: list[Round]
    ids: dict[str, str]
    clients: dict[str, Callable[[], Client]]


@pytest.fixture
def scene(db: None) -> Scene:
    alice, bob, carol, cora = (make_user(n) for n in ("alice", "bob", "carol", "cora"))
    operator = User.objects.create_superuser("root", "root@example.com", "password")
    alpha = team_start(name="Alpha", description="", creator=alice)
    beta = team_start(name="Beta", description="", creator=alice)
    team_start(name="Other", description="", creator=carol)
    for team in (alpha, beta):
        Membership.objects.create(team=team, user=bob, role=Membership.Role.MEMBER)
        team_services.coach_share_grant(
            team=team, coach=cora, include_notes=True, actor=alice
        )
    closed = make_round(alpha, title="Closed", state=Round.State.CLOSED)
    due = make_round(alpha, title="Due")
    Round.objects.filter(pk=due.pk).update(closes_at=timezone.now() - timedelta(1))
    draft = make_round(alpha, title="Draft", state=Round.State.DRAFT)
    open_ = make_round(beta, title="Open")
    for round in (closed, due, open_):
        for level in (1, 2, 3):
            add_response(
                round,
                [level] * round.dimensions.count(),
                checkin="performing",
                notes=[("keep", f"note {level}")],
            )
    _link, stakeholder_token = stakeholder_services.link_create(round=open_)
    invitation, join_token = team_services.invitation_create(
        team=alpha, label="new", role=Membership.Role.MEMBER, created_by=alice
    )
    dimension = alpha.dimensions.first()
    assert dimension is not None

    def stakeholder() -> Client:
        client = Client()
        client.get(f"/s/{stakeholder_token}/")
        return client

    return Scene(
        teams=[alpha, beta],
        rounds=[closed, due, draft, open_],
        ids={
            "dimension": str(dimension.code),
            "invitation": str(invitation.code),
            "member": str(alpha.memberships.get(user=bob).code),
            "share": str(alpha.coach_shares.get().code),
            "join": join_token,
            "stakeholder": stakeholder_token,
        },
        clients={
            "anonymous": Client,
            "outsider": lambda: client_for(carol),
            "member": lambda: client_for(bob),
            "facilitator": lambda: client_for(alice),
            "coach": lambda: client_for(cora),
            "operator": lambda: client_for(operator),
            "stakeholder session": stakeholder,
        },
    )


def urls(scene: Scene) -> list[str]:
    """Every route of the resolver, filled with real codes of the scene."""
    filled: list[str] = []
    for route in sorted(_patterns(get_resolver().url_patterns)):
        if route.endswith("(?P<url>.*)$"):  # the admin's catch-all redirect
            continue
        route = re.sub(r"\^\(\?P<app_label>[^)]*\)/\$", "teams/", route)
        if route.startswith("teams/<uuid:code>/"):
            codes = [str(t.code) for t in scene.teams]
        elif route.startswith("rounds/<uuid:code>/"):
            codes = [str(r.code) for r in scene.rounds]
        else:
            codes = [""]
        for code in codes:
            filled.append("/" + PARAM.sub(_filler(scene, route, code), route))
    return filled


def _filler(scene: Scene, route: str, code: str) -> Callable[[re.Match[str]], str]:
    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        if name == "code":
            return code
        if name == "token":
            if route.startswith("join/"):
                return scene.ids["join"]
            if route.startswith("s/"):
                return scene.ids["stakeholder"]
            return "x-token"
        return scene.ids.get(name, "1")

    return fill


def test_it_walks_every_kind_of_page(scene: Scene) -> None:
    walked = urls(scene)
    assert len(walked) > 100
    assert f"/rounds/{scene.rounds[1].code}/report/report.csv" in walked
    assert f"/s/{scene.ids['stakeholder']}/" in walked
    assert "/admin/assessments/round/" in walked


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize(
    "role",
    [
        "anonymous",
        "outsider",
        "member",
        "facilitator",
        "coach",
        "operator",
        "stakeholder session",
    ],
)
def test_no_read_changes_the_database(scene: Scene, role: str, method: str) -> None:
    client = scene.clients[role]()
    statuses = set()
    before = table_digest()
    for url in urls(scene):
        statuses.add(getattr(client, method)(url).status_code)
        after = table_digest()
        changed = [table for table in before if before[table] != after.get(table)]
        assert not changed, f"{method.upper()} {url} as {role} changed {changed}"
    # The walk reached real pages, not only refusals.
    assert 200 in statuses


def test_a_round_past_its_closing_date_reads_as_closed(scene: Scene) -> None:
    due = scene.rounds[1]
    client = scene.clients["member"]()
    assert "Closed" in client.get(f"/rounds/{due.code}/").text
    assert client.get(f"/rounds/{due.code}/report/").status_code == 200
    stored = Round.objects.filter(pk=due.pk).values_list("state", flat=True).get()
    assert stored == Round.State.OPEN
