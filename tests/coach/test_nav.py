"""The "Coach dashboard" link: in the navigation and on the home page, only for a
user some team shares with."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from teams.models import Team
from teams.services import coach_share_revoke
from tests.coach.conftest import share

NAV_LINK = '<a class="nav-link" href="/coach/">Coach dashboard</a>'


def test_a_coach_sees_the_link(cora_client: Client, cora: User, team: Team) -> None:
    share(team, cora)
    page = cora_client.get("/").text
    assert NAV_LINK in page
    assert "Coach dashboard: patterns across these teams" in page
    link = f'href="/teams/{team.code}/overview/"><bdi dir="auto">Alpha</bdi></a>'
    assert link in page


def test_others_do_not(bob_client: Client, cora_client: Client, team: Team) -> None:
    assert NAV_LINK not in bob_client.get("/").text
    assert NAV_LINK not in cora_client.get("/").text


def test_the_link_follows_sharing_and_revoking_at_once(
    cora_client: Client, cora: User, team: Team
) -> None:
    assert NAV_LINK not in cora_client.get("/").text
    active = share(team, cora)
    assert NAV_LINK in cora_client.get("/").text
    coach_share_revoke(share=active, actor=team.memberships.first().user)  # type: ignore[union-attr]
    assert NAV_LINK not in cora_client.get("/").text


def test_the_check_costs_no_query(cora_client: Client, cora: User, team: Team) -> None:
    share(team, cora)
    with CaptureQueriesContext(connection) as ctx:
        assert NAV_LINK in cora_client.get("/accounts/password_change/").text
    assert not any(
        "teams_coachshare" in q["sql"] and "auth_user" not in q["sql"]
        for q in ctx.captured_queries
    )
