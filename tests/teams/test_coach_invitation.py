"""Sharing with a coach who has no account: an email invites them to sign up and
accept; the sharing page says the same whether or not the account exists."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as Capture
from pytest_django.fixtures import Settings

from teams.models import AccessLogEntry, CoachInvitation, CoachShare, Team
from tests.conftest import make_user


def _share(client: Client, team: Team, name: str) -> object:
    return client.post(
        f"/teams/{team.code}/sharing/add/", {"coach": name, "include_notes": "notes"}
    )


def _link() -> str:
    found = re.search(r"http://[^/\s]+(/coach-invitation/\S+/)", mail.outbox[-1].body)
    assert found is not None
    return found.group(1)


def test_a_person_without_an_account_is_invited_by_email(
    alice_client: Client, team: Team, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        r = _share(alice_client, team, "Nora@Example.com")
    assert r.status_code == 302  # type: ignore[attr-defined]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Nora@Example.com"]
    assert "“Alpha”" in mail.outbox[0].subject
    assert not CoachShare.objects.exists()  # nothing shared until accepted
    nora = Client()
    nora.get(_link())
    page = nora.get("/coach-invitation/")
    assert '<bdi dir="auto">Alpha</bdi> shares its results with you' in page.text
    assert "/accounts/signup/?next=/coach-invitation/" in page.text
    user = make_user("nora")
    nora.force_login(user)
    r = nora.post("/coach-invitation/")
    assert r.status_code == 302
    share = CoachShare.objects.get()
    assert share.coach == user
    assert share.include_notes
    assert AccessLogEntry.objects.get().actor_name == "alice"
    assert nora.post("/coach-invitation/").status_code == 404  # works once


def test_the_page_says_the_same_with_or_without_an_account(
    alice_client: Client,
    team: Team,
    cora: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    from django.contrib.messages import get_messages

    with django_capture_on_commit_callbacks(execute=True):
        unknown = _share(alice_client, team, "nora@example.com")
        alice_client.get(f"/teams/{team.code}/sharing/")  # shows the message
        known = _share(alice_client, team, "cora@example.com")
    said = [
        " ".join(str(m) for m in get_messages(r.wsgi_request)).replace(  # type: ignore[attr-defined]
            name, "<x>"
        )
        for r, name in ((unknown, "nora@example.com"), (known, "cora@example.com"))
    ]
    assert said[0] == said[1]
    # An invitation either way: the account must prove the address to accept.
    assert CoachInvitation.objects.count() == 2
    assert not CoachShare.objects.exists()


def _invited(
    alice_client: Client, team: Team, address: str, capture: Capture
) -> Client:
    with capture(execute=True):
        _share(alice_client, team, address)
    person = Client()
    person.get(_link())
    return person


def test_an_account_with_the_address_accepts_and_the_team_sees_it(
    alice_client: Client,
    bob_client: Client,
    team: Team,
    cora: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    cora_browser = _invited(
        alice_client, team, "cora@example.com", django_capture_on_commit_callbacks
    )
    cora_browser.force_login(cora)
    assert "Accept as" in cora_browser.get("/coach-invitation/").text
    assert cora_browser.post("/coach-invitation/").status_code == 302
    assert CoachShare.objects.get().coach == cora
    assert AccessLogEntry.objects.get().coach_name == "cora"
    page = alice_client.get(f"/teams/{team.code}/sharing/").text
    assert "Invited, not yet accepted" not in page
    assert ">cora<" in page.replace('<bdi dir="auto">', ">").replace("</bdi>", "<")
    log = bob_client.get(f"/teams/{team.code}/activity/").text
    assert "shared the team&#x27;s results with “\u2068cora\u2069”" in log


def test_an_unconfirmed_address_does_not_accept(
    alice_client: Client, team: Team, django_capture_on_commit_callbacks: Capture
) -> None:
    """An impostor made an account with the coach's address and never proved it."""
    impostor = User.objects.create_user("mallory", "nora@example.com", "password")
    EmailAddress.objects.create(user=impostor, email="nora@example.com", verified=False)
    browser = _invited(
        alice_client, team, "nora@example.com", django_capture_on_commit_callbacks
    )
    browser.force_login(impostor)
    page = browser.get("/coach-invitation/")
    assert "This invitation is for another email address" in page.text
    assert "Accept as" not in page.text
    r = browser.post("/coach-invitation/")
    assert r.status_code == 403
    assert not CoachShare.objects.exists()
    assert CoachInvitation.objects.usable().count() == 1


def test_another_account_does_not_accept(
    alice_client: Client,
    team: Team,
    cora: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    browser = _invited(
        alice_client, team, "nora@example.com", django_capture_on_commit_callbacks
    )
    browser.force_login(cora)
    assert browser.post("/coach-invitation/").status_code == 403
    assert not CoachShare.objects.exists()


def test_the_queue_holds_no_address(
    alice_client: Client,
    team: Team,
    settings: Settings,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        _share(alice_client, team, "nora@example.com")
    rows = str(list(DBTaskResult.objects.values_list("args_kwargs", flat=True)))
    assert "nora" not in rows
    assert "coach-invitation" not in rows


def test_a_bad_link_looks_not_found(client: Client, db: None) -> None:
    client.get("/coach-invitation/" + "x" * 43 + "/")
    assert client.get("/coach-invitation/").status_code == 404


def test_an_invited_coach_may_sign_up_in_invitation_mode(
    alice_client: Client,
    team: Team,
    settings: Settings,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.SIGNUP_MODE = "invitation"
    with django_capture_on_commit_callbacks(execute=True):
        _share(alice_client, team, "nora@example.com")
    nora = Client()
    nora.get(_link())
    r = nora.get("/accounts/signup/")
    assert "Sign-up is by invitation" not in r.text
    assert "Create an account" in r.text
