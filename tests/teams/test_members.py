from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.test import Client

from teams.models import Invitation, Membership, Team, hash_token


def test_it_lists_members(alice_client: Client, team: Team) -> None:
    r = alice_client.get(f"/teams/{team.code}/members/")
    assert r.status_code == 200
    assert "bob" in r.text


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    assert bob_client.get(f"/teams/{team.code}/members/").status_code == 403


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    assert carol_client.get(f"/teams/{team.code}/members/").status_code == 404


def test_invite_creates_link_shown_once(alice_client: Client, team: Team) -> None:
    r = alice_client.post(
        f"/teams/{team.code}/members/invite/", {"label": "dave", "role": "member"}
    )
    assert r.status_code == 302
    page = alice_client.get(f"/teams/{team.code}/members/").text
    token = re.search(r"/join/([A-Za-z0-9_-]{43})/", page)
    assert token is not None
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_token(token.group(1))
    assert token.group(1) not in invitation.token_hash
    # Shown once only.
    assert "/join/" not in alice_client.get(f"/teams/{team.code}/members/").text


def test_invite_requires_facilitator(bob_client: Client, team: Team) -> None:
    r = bob_client.post(f"/teams/{team.code}/members/invite/", {"role": "member"})
    assert r.status_code == 403
    assert not Invitation.objects.exists()


def test_invite_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    r = carol_client.post(f"/teams/{team.code}/members/invite/", {"role": "member"})
    assert r.status_code == 404


def test_invite_rejects_get(alice_client: Client, team: Team) -> None:
    assert alice_client.get(f"/teams/{team.code}/members/invite/").status_code == 405


def test_revoke(alice_client: Client, team: Team, alice: User) -> None:
    inv = Invitation.objects.create(team=team, token_hash="x" * 64, created_by=alice)
    r = alice_client.post(f"/teams/{team.code}/invitations/{inv.code}/revoke/")
    assert r.status_code == 302
    inv.refresh_from_db()
    assert inv.revoked_at is not None


def test_revoke_requires_facilitator(bob_client: Client, team: Team) -> None:
    inv = Invitation.objects.create(team=team, token_hash="x" * 64)
    r = bob_client.post(f"/teams/{team.code}/invitations/{inv.code}/revoke/")
    assert r.status_code == 403
    inv.refresh_from_db()
    assert inv.revoked_at is None


def test_revoke_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    inv = Invitation.objects.create(team=team, token_hash="x" * 64)
    r = carol_client.post(f"/teams/{team.code}/invitations/{inv.code}/revoke/")
    assert r.status_code == 404


def test_revoke_rejects_get(alice_client: Client, team: Team) -> None:
    inv = Invitation.objects.create(team=team, token_hash="x" * 64)
    r = alice_client.get(f"/teams/{team.code}/invitations/{inv.code}/revoke/")
    assert r.status_code == 405
    inv.refresh_from_db()
    assert inv.revoked_at is None


def _bob(team: Team) -> Membership:
    return team.memberships.get(user__username="bob")


def test_change_role(alice_client: Client, team: Team) -> None:
    r = alice_client.post(
        f"/teams/{team.code}/members/{_bob(team).code}/role/", {"role": "facilitator"}
    )
    assert r.status_code == 302
    assert _bob(team).role == Membership.Role.FACILITATOR


def test_change_role_keeps_one_facilitator(alice_client: Client, team: Team) -> None:
    alice_m = team.memberships.get(user__username="alice")
    r = alice_client.post(
        f"/teams/{team.code}/members/{alice_m.code}/role/",
        {"role": "member"},
        follow=True,
    )
    assert "at least one facilitator" in r.text
    alice_m.refresh_from_db()
    assert alice_m.role == Membership.Role.FACILITATOR


def test_change_role_requires_facilitator(bob_client: Client, team: Team) -> None:
    r = bob_client.post(
        f"/teams/{team.code}/members/{_bob(team).code}/role/", {"role": "facilitator"}
    )
    assert r.status_code == 403
    assert _bob(team).role == Membership.Role.MEMBER


def test_change_role_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    r = carol_client.post(
        f"/teams/{team.code}/members/{_bob(team).code}/role/", {"role": "facilitator"}
    )
    assert r.status_code == 404


def test_change_role_rejects_get(alice_client: Client, team: Team) -> None:
    r = alice_client.get(
        f"/teams/{team.code}/members/{_bob(team).code}/role/", {"role": "facilitator"}
    )
    assert r.status_code == 405
    assert _bob(team).role == Membership.Role.MEMBER


def test_remove_member(alice_client: Client, team: Team) -> None:
    r = alice_client.post(f"/teams/{team.code}/members/{_bob(team).code}/remove/")
    assert r.status_code == 302
    assert not team.memberships.filter(user__username="bob").exists()


def test_member_can_leave(bob_client: Client, team: Team) -> None:
    r = bob_client.post(f"/teams/{team.code}/members/{_bob(team).code}/remove/")
    assert r.status_code == 302
    assert r["Location"] == "/"
    assert not team.memberships.filter(user__username="bob").exists()


def test_member_cannot_remove_others(bob_client: Client, team: Team) -> None:
    alice_m = team.memberships.get(user__username="alice")
    r = bob_client.post(f"/teams/{team.code}/members/{alice_m.code}/remove/")
    assert r.status_code == 403
    assert team.memberships.count() == 2


def test_last_facilitator_cannot_leave(alice_client: Client, team: Team) -> None:
    alice_m = team.memberships.get(user__username="alice")
    r = alice_client.post(
        f"/teams/{team.code}/members/{alice_m.code}/remove/", follow=True
    )
    assert "at least one facilitator" in r.text
    assert team.memberships.filter(pk=alice_m.pk).exists()


def test_remove_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    r = carol_client.post(f"/teams/{team.code}/members/{_bob(team).code}/remove/")
    assert r.status_code == 404
    assert team.memberships.count() == 2


def test_remove_rejects_get(alice_client: Client, team: Team) -> None:
    r = alice_client.get(f"/teams/{team.code}/members/{_bob(team).code}/remove/")
    assert r.status_code == 405
    assert team.memberships.count() == 2
