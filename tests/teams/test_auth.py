from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as Capture

from assessments.models import Round
from teams.models import Team
from tests.factories import add_response, make_round


def test_login_page_is_public(client: Client, db: None) -> None:
    r = client.get("/accounts/login/")
    assert r.status_code == 200
    assert "Sign in" in r.text


def test_login_and_logout(client: Client, bob: User) -> None:
    r = client.post("/accounts/login/", {"login": "bob", "password": "password"})
    assert r.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_bad_password_keeps_username(client: Client, bob: User) -> None:
    r = client.post("/accounts/login/", {"login": "bob", "password": "nope"})
    assert r.status_code == 200
    assert 'value="bob"' in r.text


def test_password_change(bob_client: Client, bob: User) -> None:
    r = bob_client.post(
        "/accounts/password/change/",
        {
            "old_password": "password",
            "new_password1": "a-new-long-pass-9",
            "new_password2": "a-new-long-pass-9",
        },
    )
    assert r.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password("a-new-long-pass-9")


def test_password_reset_sends_mail(
    client: Client, bob: User, django_capture_on_commit_callbacks: Capture
) -> None:
    # From a task once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/accounts/password/reset/", {"email": "bob@example.com"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(
        r"http://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body
    )
    assert link is not None
    r = client.get(link.group(1), follow=True)
    assert "Choose a new password" in r.text


def test_admin_works_for_operators(client: Client, db: None) -> None:
    User.objects.create_superuser("op", "op@example.com", "password")
    client.login(username="op", password="password")
    assert client.get("/admin/teams/team/").status_code == 200
    assert client.get("/admin/assessments/builtindimension/").status_code == 200


def test_admin_cannot_change_the_minimum(client: Client, team: Team) -> None:
    User.objects.create_superuser("op", "op@example.com", "password")
    client.login(username="op", password="password")
    round = make_round(team)
    url = f"/admin/assessments/round/{round.pk}/change/"
    for answers in (0, 1):
        if answers:
            add_response(round, [2, 2, 2])
        page = client.get(url)
        assert page.status_code == 200
        assert 'name="min_responses"' not in page.text
        assert client.post(url, {"min_responses": "1"}).status_code == 403
    assert Round.objects.get().min_responses == 3
