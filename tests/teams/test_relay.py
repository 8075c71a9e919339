"""No email relay through usernames and team names (issue 24 point 7): new
usernames may not look like host names or addresses, and every username and team
name in an email is quoted with its links broken."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as Capture

from teams.models import Team

FORM = {
    "email": "dana@example.com",
    "password1": "a-long-pass-phrase-42",
    "password2": "a-long-pass-phrase-42",
}
HOST = "www.evil-login.example"


@pytest.mark.parametrize(
    "username", [HOST, "evil-login.example", "it-support@evil.example", "Anna.K"]
)
def test_a_username_may_not_look_like_a_host_or_an_address(
    client: Client, db: None, username: str
) -> None:
    r = client.post("/accounts/signup/", {**FORM, "username": username})
    assert r.status_code == 200
    assert "A username may not look like an email or web address" in r.text
    assert 'value="dana@example.com"' in r.text  # the input is kept
    assert not User.objects.filter(email="dana@example.com").exists()
    assert not mail.outbox


@pytest.mark.parametrize("username", ["anna_k", "anna.2", "anna-k"])
def test_ordinary_usernames_are_fine(client: Client, db: None, username: str) -> None:
    r = client.post("/accounts/signup/", {**FORM, "username": username})
    assert r.status_code == 302
    assert User.objects.filter(username=username).exists()


def _host_named(team: Team) -> User:
    """An account named before the rule: its name is still data in every email."""
    facilitator = team.memberships.get(role="facilitator").user
    User.objects.filter(pk=facilitator.pk).update(username=HOST)
    facilitator.refresh_from_db()
    return facilitator


def _unlinked(text: str) -> None:
    assert HOST not in text
    assert "“www[.]evil-login.example”" in text


def test_the_inviter_is_quoted_data_in_a_team_invitation(
    team: Team, django_capture_on_commit_callbacks: Capture
) -> None:
    client = Client()
    client.force_login(_host_named(team))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/teams/{team.code}/members/invite-email/",
            {"addresses": "erin@example.com", "role": "member"},
        )
    (message,) = mail.outbox
    _unlinked(message.subject + message.body)


def test_the_inviter_is_quoted_data_in_a_coach_invitation(
    team: Team, django_capture_on_commit_callbacks: Capture
) -> None:
    team.name = "Visit www.evil.example now"
    team.save()
    client = Client()
    client.force_login(_host_named(team))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/teams/{team.code}/sharing/add/",
            {"coach": "nora@example.com", "include_notes": "scores"},
        )
    (message,) = mail.outbox
    _unlinked(message.body)
    assert "www.evil.example" not in message.subject + message.body
    assert "“Visit www[.]evil.example now”" in message.body


def test_the_username_is_quoted_data_in_the_confirmation_email(db: None) -> None:
    user = User.objects.create_user(HOST, "victim@example.com", "a-long-pass-9")
    EmailAddress.objects.create(user=user, email="victim@example.com", primary=True)
    # Signing in with an unconfirmed address sends the confirmation again.
    Client().post(
        "/accounts/login/", {"login": "victim@example.com", "password": "a-long-pass-9"}
    )
    (message,) = mail.outbox
    assert message.to == ["victim@example.com"]
    assert re.search(r"/accounts/confirm-email/\S+/", message.body)
    _unlinked(message.body)
