"""At the door (issue 28 point 10): one password-reset link on the sign-in page, and
the confirmation email greets from the product, not from the server's address."""

from __future__ import annotations

from django.core import mail
from django.test import Client
from django.utils import translation


def test_the_sign_in_page_has_one_password_reset_link(client: Client, db: None) -> None:
    page = client.get("/accounts/login/").text
    assert page.count("/accounts/password/reset/") == 1, page
    assert "Forgotten your password?" in page
    assert "Forgot your password?" not in page


def test_the_confirmation_email_greets_from_team_mirror(
    client: Client, db: None
) -> None:
    client.post(
        "/accounts/signup/",
        {
            "username": "dana",
            "email": "dana@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    body = mail.outbox[-1].body
    assert body.startswith("Hello from Team Mirror!"), body
    assert "testserver!" not in body
    assert "Thank you for using Team Mirror!" in body


def test_the_confirmation_email_greets_in_the_readers_language(
    client: Client, db: None
) -> None:
    with translation.override("de"):
        client.post(
            "/accounts/signup/",
            {
                "username": "dana",
                "email": "dana@example.com",
                "password1": "a-long-pass-phrase-9",
                "password2": "a-long-pass-phrase-9",
            },
            headers={"accept-language": "de"},
        )
    assert mail.outbox[-1].body.startswith("Hallo von Team Mirror!")
