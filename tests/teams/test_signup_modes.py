"""SIGNUP_MODE holds whatever link is used: an invitation signs up one account,
``domains`` admits only its domains (issue 24 point 6)."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from teams.models import CoachInvitation, Invitation, Team, hash_token


def _form(name: str, email: str) -> dict[str, str]:
    return {
        "username": name,
        "email": email,
        "password1": "a-long-pass-phrase-42",
        "password2": "a-long-pass-phrase-42",
    }


def _browsers_with(link: str, n: int) -> list[Client]:
    browsers = [Client() for _ in range(n)]
    for browser in browsers:
        browser.get(link)
    return browsers


def test_an_invitation_signs_up_one_account(
    settings: Settings, team: Team, db: None
) -> None:
    """One link opened in five private windows signed up five accounts."""
    settings.SIGNUP_MODE = "invitation"
    Invitation.objects.create(team=team, token_hash=hash_token("T" * 43))
    before = User.objects.count()
    for n, browser in enumerate(_browsers_with(f"/join/{'T' * 43}/", 5)):
        domain = "example.com" if n < 2 else "elsewhere.example"
        browser.post("/accounts/signup/", _form(f"puppet{n}", f"p{n}@{domain}"))
    assert User.objects.count() == before + 1
    invitation = Invitation.objects.get()
    assert invitation.used_by == User.objects.get(username="puppet0")
    late = Client()
    late.get(f"/join/{'T' * 43}/")
    assert "Sign-up is by invitation" in late.get("/accounts/signup/").text


def test_a_sign_up_never_confirmed_gives_the_invitation_back_after_its_period(
    settings: Settings, team: Team, db: None
) -> None:
    """An address mistyped at sign-up used the invitation up for good."""
    settings.SIGNUP_MODE = "invitation"
    invitation = Invitation.objects.create(team=team, token_hash=hash_token("T" * 43))
    first, second = _browsers_with(f"/join/{'T' * 43}/", 2)
    first.post("/accounts/signup/", _form("dave", "dave@exampel.com"))
    dave = User.objects.get(username="dave")
    # While dave may still confirm, the invitation is his.
    Invitation.objects.filter(pk=invitation.pk).update(
        used_at=timezone.now() - timedelta(days=3) + timedelta(minutes=1)
    )
    assert "Sign-up is by invitation" in second.get("/accounts/signup/").text
    assert second.get("/join/").status_code == 404
    # Past allauth's confirmation period (3 days), the link works again.
    Invitation.objects.filter(pk=invitation.pk).update(
        used_at=timezone.now() - timedelta(days=3, minutes=1)
    )
    assert second.get("/join/").status_code == 200
    second.post("/accounts/signup/", _form("dave2", "dave@example.com"))
    assert Invitation.objects.get().used_by == User.objects.get(username="dave2")
    assert first.get("/join/").status_code == 404  # no longer dave's
    assert not team.memberships.filter(user=dave).exists()


def test_an_invitation_someone_joined_with_stays_used(team: Team, db: None) -> None:
    dave = User.objects.create_user("dave", "dave@example.com", "x")
    EmailAddress.objects.create(user=dave, email=dave.email, verified=True)
    Invitation.objects.create(
        team=team,
        token_hash=hash_token("T" * 43),
        used_by=dave,
        used_at=timezone.now() - timedelta(days=10),
    )
    unconfirmed = User.objects.create_user("erin", "erin@example.com", "x")
    team.memberships.create(user=unconfirmed)  # e.g. moved from another server
    Invitation.objects.create(
        team=team,
        token_hash=hash_token("U" * 43),
        used_by=unconfirmed,
        used_at=timezone.now() - timedelta(days=10),
    )
    assert not Invitation.objects.usable().exists()


def test_an_invitation_is_used_up_by_the_account_it_creates_in_open_mode(
    team: Team, db: None
) -> None:
    Invitation.objects.create(team=team, token_hash=hash_token("T" * 43))
    first, second = _browsers_with(f"/join/{'T' * 43}/", 2)
    first.post("/accounts/signup/", _form("dave", "dave@example.com"))
    assert Invitation.objects.get().used_by == User.objects.get(username="dave")
    assert second.get("/join/").status_code == 404


def test_a_coach_invitation_signs_up_only_its_own_address(
    settings: Settings, team: Team, alice: User
) -> None:
    settings.SIGNUP_MODE = "invitation"
    CoachInvitation.objects.create(
        team=team, email="nora@example.com", token_hash=hash_token("C" * 43)
    )
    (browser,) = _browsers_with(f"/coach-invitation/{'C' * 43}/", 1)
    r = browser.post("/accounts/signup/", _form("mallory", "mallory@example.com"))
    assert r.status_code == 200
    assert "Sign up with the address the invitation was sent to." in r.text
    assert not User.objects.filter(username="mallory").exists()
    r = browser.post("/accounts/signup/", _form("nora", "Nora@example.com"))
    assert r.status_code == 302
    assert User.objects.filter(username="nora").exists()


def test_domains_mode_admits_only_listed_domains_whatever_link(
    settings: Settings, team: Team, alice: User
) -> None:
    settings.SIGNUP_MODE = "domains"
    settings.SIGNUP_DOMAINS = ["example.org"]
    Invitation.objects.create(team=team, token_hash=hash_token("T" * 43))
    CoachInvitation.objects.create(
        team=team, email="nora@example.com", token_hash=hash_token("C" * 43)
    )
    for link in (f"/join/{'T' * 43}/", f"/coach-invitation/{'C' * 43}/"):
        (browser,) = _browsers_with(link, 1)
        r = browser.post("/accounts/signup/", _form("nora", "nora@example.com"))
        assert r.status_code == 200, link
        assert "Sign-up here is open to addresses at example.org." in r.text
        assert not User.objects.filter(username="nora").exists()
    assert Invitation.objects.usable().count() == 1
