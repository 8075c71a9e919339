"""Sharing with a coach: always an invitation by email address, whether or not the
address has an account; the page says and shows the same either way, names no
account until the coach accepts, and the invitations count in the daily cap."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as Capture
from pytest_django.fixtures import Settings

from assessments.services import team_start
from teams.models import (
    AccessLogEntry,
    ActivityEntry,
    CoachInvitation,
    CoachShare,
    Team,
)


def _url(team: Team) -> str:
    return f"/teams/{team.code}/sharing/add/"


def _answer(r: object) -> str:
    from django.contrib.messages import get_messages

    return " ".join(str(m) for m in get_messages(r.wsgi_request))  # type: ignore[attr-defined]


def test_it_invites_the_coach_by_email(
    alice_client: Client, team: Team, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        r = alice_client.post(
            _url(team), {"coach": "Nora@Example.com", "include_notes": "notes"}
        )
    assert r.status_code == 302
    assert r["Location"] == f"/teams/{team.code}/sharing/"
    invitation = CoachInvitation.objects.get()
    assert (invitation.team, invitation.email, invitation.include_notes) == (
        team,
        "Nora@Example.com",
        True,
    )
    assert [m.to for m in mail.outbox] == [["Nora@Example.com"]]
    assert not CoachShare.objects.exists()  # nothing shared until accepted
    assert not AccessLogEntry.objects.exists()
    page = alice_client.get(r["Location"]).text
    assert "Invited, not yet accepted" in page
    assert "Nora@Example.com" in page


def test_an_address_with_an_account_gets_an_invitation_too(
    alice_client: Client,
    team: Team,
    cora: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    """Sharing used to give access at once to whichever account had the address,
    proven or not, and list its username."""
    with django_capture_on_commit_callbacks(execute=True):
        r = alice_client.post(
            _url(team), {"coach": "cora@example.com", "include_notes": "scores"}
        )
    assert r.status_code == 302
    assert not CoachShare.objects.exists()
    assert CoachInvitation.objects.get().email == "cora@example.com"
    assert [m.to for m in mail.outbox] == [["cora@example.com"]]
    page = alice_client.get(r["Location"]).text
    assert ">cora<" not in page
    assert "Nobody outside the team sees its results." in page


def _normalised(page: str, team: Team, address: str) -> str:
    page = page.replace(str(team.code), "<team>").replace(address, "<address>")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_the_page_is_the_same_with_or_without_an_account(
    alice_client: Client, alice: User, team: Team, cora: User
) -> None:
    second = team_start(name="Alpha", description="The alpha team", creator=alice)
    seen = []
    for each, address in ((team, "nobody@example.com"), (second, "cora@example.com")):
        r = alice_client.post(_url(each), {"coach": address, "include_notes": "notes"})
        said = _answer(r).replace(address, "<address>")
        page = alice_client.get(f"/teams/{each.code}/sharing/").text
        seen.append((r.status_code, said, _normalised(page, each, address)))
    assert seen[0] == seen[1]
    assert "An invitation is on its way to “<address>”" in seen[0][1]


def test_it_keeps_input_on_something_that_is_not_an_address(
    alice_client: Client, team: Team, cora: User
) -> None:
    r = alice_client.post(_url(team), {"coach": "cora", "include_notes": "notes"})
    assert r.status_code == 200
    assert "Enter a valid email address." in r.text
    assert 'value="cora"' in r.text
    assert not CoachInvitation.objects.exists()
    assert not CoachShare.objects.exists()


def test_it_keeps_input_on_an_empty_name(alice_client: Client, team: Team) -> None:
    r = alice_client.post(_url(team), {"coach": "", "include_notes": "notes"})
    assert r.status_code == 200
    assert "This field is required." in r.text
    assert not CoachInvitation.objects.exists()


def test_it_is_in_the_activity_log(
    alice_client: Client, bob_client: Client, team: Team
) -> None:
    alice_client.post(
        _url(team), {"coach": "nora@example.com", "include_notes": "notes"}
    )
    entry = ActivityEntry.objects.for_team(team).first()
    assert entry is not None
    assert entry.action == ActivityEntry.Action.COACH_INVITED
    page = bob_client.get(f"/teams/{team.code}/activity/").text
    said = (
        "invited “\u2068nora@example.com\u2069” by email to see the team&#x27;s "
        "results as a coach (scores and notes)"
    )
    assert said in page


def test_it_counts_in_the_daily_cap(
    alice_client: Client,
    team: Team,
    settings: Settings,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.INVITATIONS_PER_PERSON_PER_DAY = 3
    alice_client.post(
        f"/teams/{team.code}/members/invite-email/",
        {"addresses": "m1@example.com", "role": "member"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            alice_client.post(
                _url(team), {"coach": f"c{n}@example.com", "include_notes": "scores"}
            ).status_code
            for n in range(3)
        ]
    assert statuses == [302, 302, 200]
    assert CoachInvitation.objects.count() == 2
    assert len(mail.outbox) == 2
    r = alice_client.post(
        _url(team), {"coach": "c9@example.com", "include_notes": "scores"}
    )
    assert "You have invited 3 people in the last 24 hours" in r.text
    assert 'value="c9@example.com"' in r.text


def test_it_is_rate_limited(
    alice_client: Client, team: Team, settings: Settings
) -> None:
    settings.RATELIMIT_INVITE = "2/86400"
    statuses = [
        alice_client.post(
            _url(team), {"coach": f"c{n}@example.com", "include_notes": "scores"}
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert CoachInvitation.objects.count() == 2


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    r = bob_client.post(
        _url(team), {"coach": "cora@example.com", "include_notes": "scores"}
    )
    assert r.status_code == 403
    assert not CoachInvitation.objects.exists()


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    r = carol_client.post(
        _url(team), {"coach": "cora@example.com", "include_notes": "scores"}
    )
    assert r.status_code == 404
    assert not CoachInvitation.objects.exists()


def test_it_rejects_get(alice_client: Client, team: Team) -> None:
    assert alice_client.get(_url(team)).status_code == 405
