"""Sign-up with email confirmation (django-allauth), the operator's SIGNUP_MODE, and
the sign-in limits."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings

from teams.models import Invitation, Team, hash_token

SIGNUP = {
    "username": "dana",
    "email": "dana@example.com",
    "password1": "a-long-pass-phrase-9",
    "password2": "a-long-pass-phrase-9",
}


def _confirm_link() -> str:
    found = re.search(
        r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body
    )
    assert found is not None, mail.outbox[-1].body
    return found.group(1)


def test_it_signs_up_and_confirms_the_address(client: Client, db: None) -> None:
    r = client.get("/accounts/signup/")
    assert r.status_code == 200
    assert "Create an account" in r.text
    r = client.post("/accounts/signup/", SIGNUP)
    assert r.status_code == 302
    assert r["Location"] == "/accounts/confirm-email/"
    assert "Confirm your email address" in client.get(r["Location"]).text
    assert User.objects.filter(username="dana").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana@example.com"]
    assert client.get("/").status_code == 302  # not signed in before confirming
    link = _confirm_link()
    page = client.get(link)
    assert 'Is <bdi dir="auto">dana@example.com</bdi> your email address?' in page.text
    r = client.post(link)
    assert r.status_code == 302
    assert EmailAddress.objects.get(email="dana@example.com").verified
    assert client.get("/").status_code == 200  # signed in by confirming


def test_an_unconfirmed_account_cannot_sign_in(client: Client, db: None) -> None:
    client.post("/accounts/signup/", SIGNUP)
    other = Client()
    r = other.post(
        "/accounts/login/", {"login": "dana", "password": SIGNUP["password1"]}
    )
    assert r.status_code == 302
    assert r["Location"] == "/accounts/confirm-email/"
    assert other.get("/").status_code == 302
    assert len(mail.outbox) == 1  # the link is not re-sent within 3 minutes


def test_it_keeps_input_on_a_bad_sign_up(client: Client, bob: User) -> None:
    r = client.post("/accounts/signup/", {**SIGNUP, "password2": "another-phrase-9"})
    assert r.status_code == 200
    assert "You must type the same password each time." in r.text
    assert 'value="dana@example.com"' in r.text
    assert not mail.outbox


def test_invitation_mode_closes_sign_up(
    client: Client, settings: Settings, db: None
) -> None:
    settings.SIGNUP_MODE = "invitation"
    r = client.get("/accounts/signup/")
    assert "Sign-up is by invitation" in r.text
    client.post("/accounts/signup/", SIGNUP)
    assert not User.objects.filter(username="dana").exists()
    assert "Create an account" not in client.get("/accounts/login/").text


def test_invitation_mode_lets_an_invited_person_sign_up(
    client: Client, settings: Settings, team: Team, alice: User
) -> None:
    settings.SIGNUP_MODE = "invitation"
    Invitation.objects.create(team=team, token_hash=hash_token("T" * 43))
    client.get(f"/join/{'T' * 43}/")
    r = client.post("/accounts/signup/", SIGNUP)
    assert r.status_code == 302
    assert User.objects.filter(username="dana").exists()


def test_domains_mode_refuses_other_addresses_keeping_input(
    client: Client, settings: Settings, db: None
) -> None:
    settings.SIGNUP_MODE = "domains"
    settings.SIGNUP_DOMAINS = ["example.org"]
    r = client.post("/accounts/signup/", SIGNUP)
    assert r.status_code == 200
    assert "Sign-up here is open to addresses at example.org." in r.text
    assert 'value="dana"' in r.text
    assert not User.objects.filter(username="dana").exists()
    r = client.post("/accounts/signup/", {**SIGNUP, "email": "dana@Example.org"})
    assert r.status_code == 302
    assert User.objects.filter(username="dana").exists()


def test_sign_in_takes_an_email_too(client: Client, bob: User) -> None:
    r = client.post(
        "/accounts/login/", {"login": "bob@example.com", "password": "password"}
    )
    assert r.status_code == 302
    assert client.get("/").status_code == 200


def test_it_slows_guessing_one_accounts_password(client: Client, bob: User) -> None:
    for _n in range(5):
        r = Client(REMOTE_ADDR="198.51.100.1").post(
            "/accounts/login/", {"login": "bob", "password": "wrong"}
        )
        assert r.status_code == 200
    # The guessing address waits, even with the right password
    # (tests/teams/test_signin_limits.py: and not the owner elsewhere).
    r = Client(REMOTE_ADDR="198.51.100.1").post(
        "/accounts/login/", {"login": "bob", "password": "password"}
    )
    assert r.status_code == 429
    assert "Too many failed sign-ins" in r.text
    assert int(r["Retry-After"]) > 0


def test_it_stops_guessing_from_one_address(client: Client, db: None) -> None:
    statuses = [
        client.post(
            "/accounts/login/", {"login": f"user{n}", "password": "wrong"}
        ).status_code
        for n in range(21)
    ]
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429


def test_sign_in_limits_keep_no_address_in_the_cache(
    settings: Settings, client: Client, db: None
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "signin-test",
        }
    }
    cache.clear()
    Client(REMOTE_ADDR="198.51.100.77").post(
        "/accounts/login/", {"login": "bob", "password": "wrong"}
    )
    keys = list(cache._cache.keys())  # type: ignore[attr-defined]
    assert any("login_failed" in key for key in keys)
    assert not any("198.51.100.77" in key for key in keys)


def test_the_shared_cache_table_exists(db: None) -> None:
    # The database cache that production uses without Redis, so that limits hold
    # across gunicorn workers.
    assert "mirror_cache" in connection.introspection.table_names()


@pytest.mark.parametrize("mode", ["sometimes", ""])
def test_a_bad_mode_stops_startup(mode: str) -> None:
    from tests.teams.test_settings import _manage

    result = _manage("check", SIGNUP_MODE=mode or "domains")
    assert result.returncode != 0
    assert "SIGNUP_MODE" in result.stderr
