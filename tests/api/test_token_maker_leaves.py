"""A token stops working when the facilitator who made it leaves the team or is
removed, and the team's activity log says so (issue 24 point 10)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from api.models import ApiToken
from teams.models import ActivityEntry, Membership, Team
from tests.api.conftest import ApiClient, Token, make_token


def _remove(client: Client, team: Team, user: User) -> None:
    member = team.memberships.get(user=user)
    r = client.post(f"/teams/{team.code}/members/{member.code}/remove/")
    assert r.status_code == 302
    assert not team.memberships.filter(user=user).exists()


def test_it_stops_when_its_maker_leaves(
    team: Team, alice: User, bob: User, token: Token, alice_client: Client
) -> None:
    api = ApiClient(token.secret)
    assert api.get(f"/teams/{team.code}").status_code == 200
    Membership.objects.filter(team=team, user=bob).update(role="facilitator")
    _remove(alice_client, team, alice)
    assert api.get(f"/teams/{team.code}").status_code == 401
    token.token.refresh_from_db()
    assert token.token.revoked_at is not None
    entry = ActivityEntry.objects.for_team(team).first()
    assert entry is not None
    assert entry.action == ActivityEntry.Action.API_TOKEN_ENDED
    assert entry.detail == {"name": "Dashboard", "member": "alice"}
    assert "alice\u2069”, who made it, is no longer in the team" in entry.summary()


def test_it_stops_when_its_maker_is_removed(
    team: Team, alice: User, bob: User, alice_client: Client
) -> None:
    Membership.objects.filter(team=team, user=bob).update(role="facilitator")
    bobs = make_token(team, bob, name="Bob's board")
    alices = make_token(team, alice, name="Alice's board")
    _remove(alice_client, team, bob)
    assert ApiClient(bobs.secret).get(f"/teams/{team.code}").status_code == 401
    # A token made by someone still in the team keeps working.
    assert ApiClient(alices.secret).get(f"/teams/{team.code}").status_code == 200
    entry = ActivityEntry.objects.for_team(team).first()
    assert entry is not None
    assert entry.actor_name == "alice"
    assert entry.detail == {"name": "Bob's board", "member": "bob"}


def test_it_stops_however_the_membership_ended(
    team: Team, alice: User, token: Token
) -> None:
    """An account deleted, a membership deleted by the operator: the token reads
    only while its maker is a member."""
    Membership.objects.filter(team=team, user=alice).delete()
    assert ApiClient(token.secret).get(f"/teams/{team.code}").status_code == 401
    assert ApiToken.objects.get().revoked_at is None
