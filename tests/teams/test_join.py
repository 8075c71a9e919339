from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from teams.models import Invitation, Membership, Team, hash_token


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


def test_new_person_signs_up_and_joins(client: Client, team: Team) -> None:
    _invite(team)
    client.get("/join/" + "t" * 43 + "/")
    r = client.post(
        "/join/",
        {
            "username": "dave",
            "email": "dave@example.com",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert r.status_code == 302
    dave = User.objects.get(username="dave")
    assert Membership.objects.get(team=team, user=dave).role == Membership.Role.MEMBER
    assert Invitation.objects.get().used_by == dave


def test_signup_errors_keep_input(client: Client, team: Team) -> None:
    _invite(team)
    client.get("/join/" + "t" * 43 + "/")
    r = client.post(
        "/join/",
        {"username": "dave", "email": "dave@example.com", "password1": "x"},
    )
    assert r.status_code == 200
    assert 'value="dave@example.com"' in r.text
    assert not User.objects.filter(username="dave").exists()


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


def test_an_account_made_from_an_emailed_invitation_is_confirmed(
    client: Client, team: Team
) -> None:
    from allauth.account.models import EmailAddress

    Invitation.objects.create(
        team=team, label="Dave@Example.com", token_hash=hash_token("E" * 43)
    )
    client.get(f"/join/{'E' * 43}/")
    client.post(
        "/join/",
        {
            "username": "dave",
            "email": "dave@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert EmailAddress.objects.get(email="dave@example.com").verified
    # So dave can sign in again later without a confirmation round-trip.
    again = Client()
    r = again.post(
        "/accounts/login/", {"login": "dave", "password": "a-long-pass-phrase-9"}
    )
    assert r.status_code == 302
    assert r["Location"] == "/"
