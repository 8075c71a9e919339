"""Sign-up never says that a username or an address has an account (issue 24
point 9): the same answer and page, and an email to the address given."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from teams.models import Invitation, Team, hash_token

FORM = {
    "username": "dana",
    "email": "dana@example.com",
    "password1": "a-long-pass-phrase-42",
    "password2": "a-long-pass-phrase-42",
}


def _sign_up(
    data: dict[str, str], path: str = "/accounts/signup/"
) -> tuple[int, str, str]:
    browser = Client()
    r = browser.post(path, data)
    page = browser.get(r["Location"]).text if r.status_code == 302 else r.text
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = page.replace(data["email"], "<the address given>")
    return r.status_code, r.get("Location", ""), page


@pytest.mark.parametrize(
    "taken",
    [
        {"username": "bob"},
        {"username": "BOB"},
        {"email": "bob@example.com"},
        {"username": "bob", "email": "bob@example.com"},
    ],
)
def test_a_taken_name_or_address_gets_the_same_answer(
    bob: User, taken: dict[str, str]
) -> None:
    """It said "A user with that username already exists." on the form."""
    fresh = _sign_up({**FORM, "username": "erin", "email": "erin@example.com"})
    mail.outbox.clear()
    assert _sign_up({**FORM, **taken}) == fresh
    assert fresh[:2] == (302, "/accounts/confirm-email/")
    assert not User.objects.filter(email="dana@example.com").exists()
    assert User.objects.filter(username="bob").count() == 1
    (message,) = mail.outbox
    assert message.to == [taken.get("email", FORM["email"])]


def test_the_address_given_learns_that_the_username_is_taken(bob: User) -> None:
    _sign_up({**FORM, "username": "bob"})
    (message,) = mail.outbox
    assert message.to == ["dana@example.com"]
    assert "the username “bob”" in message.body
    assert "not available" in message.body
    assert "http://testserver/accounts/signup/" in message.body


def test_join_says_the_same_for_a_taken_username(bob: User, team: Team) -> None:
    Invitation.objects.create(team=team, token_hash=hash_token("T" * 43))
    pages = []
    for name in ("erin", "bob"):
        browser = Client()
        browser.get(f"/join/{'T' * 43}/")
        r = browser.post(
            "/accounts/signup/?next=/join/",
            {**FORM, "username": name, "email": f"{name}2@example.com"},
        )
        pages.append((r.status_code, r["Location"]))
    assert pages[0] == pages[1] == (302, "/accounts/confirm-email/")
