from __future__ import annotations

import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from teams.models import ActivityEntry, Invitation, Membership, Team, hash_token


def _invite(team: Team, token: str = "t" * 43, **fields: object) -> Invitation:
    return Invitation.objects.create(team=team, token_hash=hash_token(token), **fields)


def test_token_is_swapped_for_session(client: Client, team: Team) -> None:
    _invite(team)
    r = client.get("/join/" + "t" * 43 + "/")
    assert r.status_code == 302
    assert r["Location"] == "/join/"
    r = client.get("/join/")
    assert r.status_code == 200
    assert 'Join <bdi dir="auto">Alpha</bdi>' in r.text


SIGNUP = {
    "username": "dave",
    "email": "dave@example.com",
    "password1": "a-long-pass-phrase-42",
    "password2": "a-long-pass-phrase-42",
}


def _confirm_link() -> str:
    found = re.search(
        r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body
    )
    assert found is not None, mail.outbox[-1].body
    return found.group(1)


def test_new_person_signs_up_confirms_and_joins(client: Client, team: Team) -> None:
    _invite(team)
    client.get("/join/" + "t" * 43 + "/")
    page = client.get("/join/").text
    assert "/accounts/signup/?next=/join/" in page
    r = client.post("/accounts/signup/?next=/join/", SIGNUP)
    assert r.status_code == 302
    assert r["Location"] == "/accounts/confirm-email/"
    dave = User.objects.get(username="dave")
    # Not a member, not signed in, until the address is confirmed.
    assert not Membership.objects.filter(user=dave).exists()
    assert client.get("/").status_code == 302
    assert Invitation.objects.get().used_by == dave  # used up by the new account
    r = client.post(_confirm_link())
    assert r.status_code == 302
    assert r["Location"] == "/join/"
    assert 'Join as <bdi dir="auto">dave</bdi>' in client.get("/join/").text
    r = client.post("/join/")
    assert r.status_code == 302
    assert Membership.objects.get(team=team, user=dave).role == Membership.Role.MEMBER
    entry = ActivityEntry.objects.for_team(team).first()
    assert entry is not None
    assert entry.action == ActivityEntry.Action.MEMBER_JOINED


def test_an_invitation_label_never_confirms_an_address(
    client: Client, team: Team
) -> None:
    """An impostor makes a link labelled with the coach's address and signs up with
    it: the label proved it before, and the account was signed in at once."""
    _invite(team, label="Dave@Example.com")
    client.get("/join/" + "t" * 43 + "/")
    r = client.post("/accounts/signup/?next=/join/", SIGNUP)
    assert r["Location"] == "/accounts/confirm-email/"
    assert not EmailAddress.objects.get(email="dave@example.com").verified
    assert client.get("/").status_code == 302
    assert not Membership.objects.filter(user__username="dave").exists()
    r = client.post("/join/")
    assert r.status_code == 404  # signed out: no join without an account
    assert not Membership.objects.filter(user__username="dave").exists()


def test_join_never_makes_a_second_account_for_an_address(
    client: Client, team: Team
) -> None:
    _invite(team)
    client.get("/join/" + "t" * 43 + "/")
    # /join/ made accounts itself, a second one for an address that had one.
    client.post("/join/", {**SIGNUP, "email": "bob@example.com"})
    assert not User.objects.filter(username="dave").exists()
    r = client.post(
        "/accounts/signup/?next=/join/", {**SIGNUP, "email": "BOB@example.com"}
    )
    # The same answer as for a new address; the owner of the address is told.
    assert r.status_code == 302
    assert r["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact="bob@example.com").count() == 1
    assert not User.objects.filter(username="dave").exists()
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]
    assert Invitation.objects.usable().count() == 1


def test_an_unconfirmed_account_does_not_join(client: Client, team: Team) -> None:
    _invite(team)
    mallory = User.objects.create_user("mallory", "m@example.com", "password")
    client.force_login(mallory)
    client.get("/join/" + "t" * 43 + "/")
    r = client.post("/join/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/confirm-email/"
    assert not team.memberships.filter(user=mallory).exists()


def test_signed_in_user_joins(carol_client: Client, carol: User, team: Team) -> None:
    _invite(team, role=Membership.Role.FACILITATOR)
    carol_client.get("/join/" + "t" * 43 + "/")
    r = carol_client.post("/join/")
    assert r.status_code == 302
    assert team.memberships.get(user=carol).role == Membership.Role.FACILITATOR


def test_invitation_is_single_use(
    carol_client: Client, cora_client: Client, team: Team
) -> None:
    _invite(team)
    carol_client.get("/join/" + "t" * 43 + "/")
    cora_client.get("/join/" + "t" * 43 + "/")
    assert carol_client.post("/join/").status_code == 302
    r = cora_client.post("/join/")
    assert r.status_code == 404
    assert "This link is not valid" in r.text
    assert not team.memberships.filter(user__username="cora").exists()


def test_it_rejects_bad_token(client: Client, team: Team) -> None:
    _invite(team)
    client.get("/join/" + "x" * 43 + "/")
    r = client.get("/join/")
    assert r.status_code == 404
    assert "This link is not valid" in r.text
    assert "Alpha" not in r.text


def test_it_rejects_expired_token(client: Client, team: Team) -> None:
    _invite(team, expires_at=timezone.now() - timedelta(minutes=1))
    client.get("/join/" + "t" * 43 + "/")
    r = client.get("/join/")
    assert r.status_code == 404
    assert "This link is not valid" in r.text


def test_it_rejects_revoked_token(client: Client, team: Team) -> None:
    _invite(team, revoked_at=timezone.now())
    client.get("/join/" + "t" * 43 + "/")
    assert client.get("/join/").status_code == 404


def test_it_rejects_missing_session(client: Client, db: None) -> None:
    assert client.get("/join/").status_code == 404


def test_tokens_have_256_bits(alice_client: Client, team: Team) -> None:
    alice_client.post(f"/teams/{team.code}/members/invite/", {"role": "member"})
    link = alice_client.session["new_invitation_link"]["url"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 bytes, URL-safe base64
