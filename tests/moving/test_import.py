"""The upload form that creates a moved team: the uploader is its facilitator,
everyone else is invited by email, a bad file is said on the same page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.test.client import encode_multipart

from moving.archive import team_archive
from teams.models import Team
from tests.conftest import make_user

BOUNDARY = "archive-boundary"


def _upload(client: Client, content: bytes, **extra: Any) -> Any:
    body = encode_multipart(
        BOUNDARY, {"archive": SimpleUploadedFile("team.json", content)}
    )
    return client.post(
        "/teams/import/",
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        **extra,
    )


@pytest.fixture
def archive(moving_team: Team) -> bytes:
    data = team_archive(moving_team)
    moving_team.delete()
    return json.dumps(data).encode()


def test_it_shows_the_form(client: Client, carol: User) -> None:
    client.force_login(carol)
    response = client.get("/teams/import/")
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert "/teams/import/" in client.get("/").content.decode()


def test_it_makes_the_uploader_facilitator_and_invites_the_others(
    client: Client,
    archive: bytes,
    django_capture_on_commit_callbacks: Any,
) -> None:
    zoe = make_user("zoe")
    client.force_login(zoe)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, archive)

    team = Team.objects.get(name="Alpha")
    assert response.status_code == 302
    assert response["Location"] == f"/teams/{team.code}/"
    assert dict(team.memberships.values_list("user__username", "role")) == {
        "zoe": "facilitator"
    }
    # Verified addresses on this server too, but nobody joins without accepting.
    assert sorted(team.invitations.values_list("label", flat=True)) == [
        "alice@example.com",
        "bob@example.com",
        "dan@example.com",
        "erin@example.com",
        "frank@example.com",
    ]
    assert len(mail.outbox) == 5
    assert team.rounds.count() == 3


def test_it_says_what_is_wrong_and_changes_nothing(client: Client, carol: User) -> None:
    client.force_login(carol)
    teams = Team.objects.count()
    response = _upload(client, b'{"format": "team-mirror-team", "vers')
    assert response.status_code == 400
    assert "not complete JSON" in response.content.decode()
    assert Team.objects.count() == teams


def test_it_refuses_a_team_that_exists(
    client: Client, moving_team: Team, carol: User
) -> None:
    client.force_login(carol)
    response = _upload(client, json.dumps(team_archive(moving_team)).encode())
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert not moving_team.memberships.filter(user=carol).exists()


@override_settings(TEAM_ARCHIVE_MAX_BYTES=100)
def test_it_refuses_a_file_over_the_limit(client: Client, carol: User) -> None:
    client.force_login(carol)
    response = _upload(client, b" " * 5000)
    assert response.status_code == 400
    assert "The file is larger than 100" in response.content.decode()


@override_settings(UPLOAD_PATHS={"/teams/import/": 1000})
def test_it_refuses_a_huge_body_before_reading_it(client: Client, carol: User) -> None:
    client.force_login(carol)
    response = _upload(client, b" " * 5000)
    assert response.status_code == 413
    assert not Team.objects.exists()


def test_it_refuses_multipart_elsewhere(
    client: Client, alice: User, team: Team
) -> None:
    client.force_login(alice)
    body = encode_multipart(BOUNDARY, {"name": "x"})
    response = client.post(
        f"/teams/{team.code}/edit/",
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 415
