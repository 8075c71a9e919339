"""Rate limits with a 429 page (password reset, /join/, team creation, sending
invitations) and bounded request bodies (413, 415)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.test.client import MULTIPART_CONTENT, encode_multipart
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as Capture
from pytest_django.fixtures import Settings

from teams.models import Invitation, Team, hash_token
from tests.factories import make_round


@pytest.fixture(autouse=True)
def _own_cache(settings: Settings) -> None:
    # Counters in a cache of this test's own (other processes may share Redis).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "limits-test",
        }
    }
    from django.core.cache import cache

    cache.clear()


def _too_many(r: object) -> None:
    assert r.status_code == 429  # type: ignore[attr-defined]
    assert "Too many requests" in r.text  # type: ignore[attr-defined]
    assert int(r["Retry-After"]) > 0  # type: ignore[index]


def test_password_reset_is_limited_per_address(
    client: Client,
    alice: User,
    settings: Settings,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.RATELIMIT_PASSWORD_RESET = "2/3600"
    with django_capture_on_commit_callbacks(execute=True):  # sent from a task
        for _ in range(2):
            r = client.post("/accounts/password/reset/", {"email": "alice@example.com"})
            assert r.status_code == 302
        _too_many(
            client.post("/accounts/password/reset/", {"email": "alice@example.com"})
        )
    assert len(mail.outbox) == 2
    assert client.get("/accounts/password/reset/").status_code == 200  # page views


def test_join_is_limited_per_address(
    client: Client, team: Team, settings: Settings
) -> None:
    settings.RATELIMIT_JOIN = "3/3600"
    Invitation.objects.create(team=team, token_hash=hash_token("t" * 43))
    assert client.get("/join/" + "t" * 43 + "/").status_code == 302  # 1
    assert client.get("/join/").status_code == 200  # 2
    assert client.get("/join/").status_code == 200  # 3
    _too_many(client.get("/join/"))
    # Past the limit the tokened URL still only redirects (no error page that
    # would log the token), and the token is not looked at.
    other = Client()
    for _ in range(3):
        other.get("/join/")
    assert other.get("/join/" + "t" * 43 + "/").status_code == 302
    assert "join_invitation" not in other.session


def test_team_creation_is_limited_per_person(
    alice_client: Client, settings: Settings
) -> None:
    settings.RATELIMIT_TEAM_CREATE = "2/86400"
    for n in range(2):
        r = alice_client.post("/teams/new/", {"name": f"T{n}", "description": ""})
        assert r.status_code == 302
    _too_many(alice_client.post("/teams/new/", {"name": "T3", "description": ""}))
    assert Team.objects.filter(name__startswith="T").count() == 2


def test_sending_invitations_is_limited_per_person(
    alice_client: Client, team: Team, settings: Settings
) -> None:
    settings.RATELIMIT_INVITE = "2/86400"
    round = make_round(team)
    url = f"/teams/{team.code}/members/invite/"
    assert alice_client.post(url, {"label": "a", "role": "member"}).status_code == 302
    r = alice_client.post(
        f"/rounds/{round.code}/stakeholders/invite/", {"addresses": "x@example.com"}
    )
    assert r.status_code == 302
    _too_many(alice_client.post(url, {"label": "b", "role": "member"}))
    assert Invitation.objects.count() == 1


def test_600_invitation_emails_in_3_posts_are_refused(
    alice_client: Client,
    team: Team,
    settings: Settings,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The attack: 600 invitation emails in 3 POSTs from a brand-new account."""
    round = make_round(team)
    url = f"/rounds/{round.code}/stakeholders/invite/"
    sent = 0
    for batch in range(3):
        addresses = " ".join(f"p{batch}-{n}@example.com" for n in range(200))
        with django_capture_on_commit_callbacks(execute=True):
            r = alice_client.post(url, {"addresses": addresses})
        sent += 200 if r.status_code == 302 else 0
    assert sent == settings.INVITATIONS_PER_PERSON_PER_DAY == 200
    assert len(mail.outbox) == 200


def test_a_multipart_body_is_refused(client: Client, alice: User) -> None:
    """The attack: a 100 MB multipart body to the sign-in page was accepted."""
    body = encode_multipart("BoUnDaRy", {"username": "alice", "password": "password"})
    r = client.post(
        "/accounts/login/", body, content_type="multipart/form-data; boundary=BoUnDaRy"
    )
    assert r.status_code == 415
    assert "Files are not accepted" in r.text
    assert "_auth_user_id" not in client.session


def test_a_large_body_is_refused_from_its_length(
    client: Client, settings: Settings
) -> None:
    big = "x=" + "a" * (settings.REQUEST_BODY_MAX_BYTES + 1)
    r = client.post(
        "/accounts/login/", big, content_type="application/x-www-form-urlencoded"
    )
    assert r.status_code == 413
    assert "Too much data" in r.text
    assert r["Connection"] == "close"


def test_a_body_within_the_cap_is_read(alice_client: Client, team: Team) -> None:
    r = alice_client.post(
        f"/teams/{team.code}/edit/", {"name": "Alpha two", "description": "d" * 1500}
    )
    assert r.status_code == 302
    team.refresh_from_db()
    assert team.name == "Alpha two"


def test_the_test_client_sends_forms_as_a_browser_does(
    alice_client: Client, team: Team
) -> None:
    r = alice_client.post(f"/teams/{team.code}/edit/", {"name": "X"})
    assert r.wsgi_request.content_type == "application/x-www-form-urlencoded"
    assert MULTIPART_CONTENT.startswith("multipart/")


def test_trust_by_count_stops_start_up_with_a_message() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "TRUSTED_PROXY_COUNT": "1"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT is gone" in result.stderr
    assert "TRUSTED_PROXIES" in result.stderr
