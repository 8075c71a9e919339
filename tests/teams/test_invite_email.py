"""POST /teams/<code>/members/invite-email/: members invited by email in bulk."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as Capture
from pytest_django.fixtures import Settings

from teams.models import ActivityEntry, Invitation, Membership, Team
from teams.tasks import send_team_invitation
from tests.conftest import make_user


def _url(team: Team) -> str:
    return f"/teams/{team.code}/members/invite-email/"


PASTED = (
    "Dana <dana@example.com>, erin@example.com\nfrank@example.com; dana@example.com"
)


def test_it_emails_one_single_use_link_each(
    alice_client: Client,
    team: Team,
    django_capture_on_commit_callbacks: Capture,
    settings: Settings,
) -> None:
    settings.SITE_URL = "http://127.0.0.1:8101"
    with django_capture_on_commit_callbacks(execute=True):
        r = alice_client.post(_url(team), {"addresses": PASTED, "role": "member"})
    assert r.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "dana@example.com",
        "erin@example.com",
        "frank@example.com",
    ]
    links = {
        re.search(r"http://127\.0\.0\.1:8101(/join/\S+/)", m.body).group(1)  # type: ignore[union-attr]
        for m in mail.outbox
    }
    assert len(links) == 3
    message = mail.outbox[0]
    assert "“alice” invites you to join a team" in message.body
    assert "“Alpha”" in message.subject
    assert Invitation.objects.usable().count() == 3
    entry = ActivityEntry.objects.get(action="invitation_created")
    assert entry.detail["count"] == 3
    page = alice_client.get(f"/teams/{team.code}/members/", follow=True)
    assert "3 invitations are on their way by email." in page.text
    assert "erin@example.com" in page.text  # open invitations list who was invited


def test_an_emailed_link_lets_one_person_join(
    alice_client: Client, team: Team, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            _url(team), {"addresses": "dave@example.com", "role": "member"}
        )
    link = re.search(r"http://[^/]+(/join/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    dave = make_user("dave")
    client = Client()
    client.force_login(dave)
    client.get(link)
    r = client.post("/join/")
    assert r.status_code == 302
    assert Membership.objects.filter(team=team, user=dave).exists()
    other = Client()
    other.force_login(make_user("eve"))
    other.get(link)
    assert other.post("/join/").status_code == 404  # used: works once


def test_the_task_queue_holds_no_address_or_link(
    alice_client: Client,
    team: Team,
    settings: Settings,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            _url(team), {"addresses": "dave@example.com", "role": "member"}
        )
    rows = list(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    assert len(rows) == 1
    assert "dave@example.com" not in str(rows)
    assert "/join/" not in str(rows)
    assert not mail.outbox


def test_a_revoked_invitation_is_not_sent(team: Team, alice: User) -> None:
    invitation = Invitation.objects.create(
        team=team, label="x@example.com", token_hash="h" * 64, created_by=alice
    )
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=invitation.created)
    assert send_team_invitation.call(invitation=str(invitation.code)) is False
    assert not mail.outbox


def test_it_keeps_input_on_bad_addresses(alice_client: Client, team: Team) -> None:
    r = alice_client.post(
        _url(team), {"addresses": "dana@example.com, not-an-address", "role": "member"}
    )
    assert r.status_code == 200
    assert "These are not email addresses: not-an-address" in r.text
    assert "dana@example.com, not-an-address</textarea>" in r.text
    assert not Invitation.objects.exists()


def test_it_respects_the_open_invitation_cap(
    alice_client: Client, team: Team, settings: Settings
) -> None:
    settings.TEAM_OPEN_INVITATIONS_MAX = 2
    r = alice_client.post(_url(team), {"addresses": PASTED, "role": "member"})
    assert r.status_code == 200
    assert "at most 2 open invitations" in r.text
    assert not Invitation.objects.exists()


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    r = carol_client.post(_url(team), {"addresses": "x@example.com", "role": "member"})
    assert r.status_code == 404


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    r = bob_client.post(_url(team), {"addresses": "x@example.com", "role": "member"})
    assert r.status_code == 403


def test_it_rejects_get(alice_client: Client, team: Team) -> None:
    assert alice_client.get(_url(team)).status_code == 405


def test_the_links_page_has_a_copy_button(alice_client: Client, team: Team) -> None:
    alice_client.post(
        f"/teams/{team.code}/members/invite/", {"label": "dave", "role": "member"}
    )
    r = alice_client.get(f"/teams/{team.code}/members/")
    assert 'data-copy="new-link"' in r.text
    assert 'readonly value="http' in r.text  # selectable without JavaScript
    assert '<script nonce="' in r.text


def test_a_phishing_team_name_is_quoted_data_in_a_team_invitation(
    alice_client: Client, team: Team, django_capture_on_commit_callbacks: Capture
) -> None:
    """Issue 12: the team's name went into the subject as its sentence. Now it is
    quoted, on one line, with its link broken, inside the app's own sentence."""
    team.name = "IT Security: verify your account now at http://evil.example/login"
    team.save()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            _url(team), {"addresses": "dana@example.com", "role": "member"}
        )
    [message] = mail.outbox
    assert message.subject.startswith("Team Mirror: an invitation to join a team (“")
    assert "http://evil" not in message.subject
    assert "http://evil" not in message.body
    assert "\n" not in message.subject
