"""A new team starts on its own, from an empty database: sign up and confirm by
email, create the team with the wizard, invite a member by email; she joins,
answers, her session expires while she answers and nothing is lost. (Scheduled
rounds and reminders: test_schedule.py.)"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from assessments.models import SealedAnswer
from tests.browser.conftest import Visitor, VisitorFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSPHRASE = "a long enough passphrase"


def _link(pattern: str) -> str:
    found = re.search(r"https?://[^/\s]+(" + pattern + r")", mail.outbox[-1].body)
    assert found is not None, mail.outbox[-1].body
    return found.group(1)


def _sign_up(dana: Visitor) -> None:
    page = dana.page
    dana.goto("/accounts/login/")
    dana.follow(page.get_by_role("link", name="Create an account"))
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Username").fill("dana")
    page.locator("#id_password1").fill(PASSPHRASE)
    page.locator("#id_password2").fill(PASSPHRASE)
    dana.follow(page.get_by_role("button", name="Create account"))
    assert page.get_by_role("heading", name="Confirm your email address").is_visible()
    dana.goto(_link(r"/accounts/confirm-email/\S+/"))
    dana.follow(page.get_by_role("button", name="Confirm"))
    assert page.get_by_role("heading", name="My teams").is_visible()


def _wizard(dana: Visitor) -> str:
    page = dana.page
    dana.follow(page.get_by_role("link", name="Create a team"))
    page.get_by_label("Name").fill("Comets")
    dana.follow(page.get_by_role("button", name="Create the team"))
    page.get_by_label("Email addresses").fill("Erin <erin@example.com>")
    dana.follow(page.get_by_role("button", name="Send invitations and continue"))
    assert page.get_by_text("1 invitation is on its way by email.").is_visible()
    page.get_by_label("Capabilities & Adaptability").uncheck()
    dana.follow(page.get_by_role("button", name="Continue"))
    page.get_by_label("Title").fill("First check-in")
    dana.follow(page.get_by_role("button", name="Save draft"))
    assert page.get_by_text("Open it once your teammates have joined").is_visible()
    return dana.path


def _answer_through_an_expired_session(erin: Visitor, round_path: str) -> None:
    page = erin.page
    erin.goto(round_path + "answer/")
    page.get_by_label("Performing", exact=True).check()
    page.get_by_label("Keep note 1", exact=True).fill("Pairing on hard problems")
    counter = page.locator("#id_keep_1_count")
    assert counter.inner_text() == "24 of 2000 characters"
    # The session expires while she answers: her next request is sent to sign in.
    erin.page.context.clear_cookies(name="sessionid")
    levels = page.locator("input[type=radio][name$=_level][value='2']")
    for n in range(levels.count()):
        levels.nth(n).check()
    erin.follow(page.get_by_role("button", name="Send my answer"))
    assert erin.path.startswith("/accounts/login/?next=")
    page.get_by_label("Username or email").fill("erin@example.com")
    page.locator("#id_password").fill(PASSPHRASE)
    erin.follow(page.get_by_role("button", name="Sign in"))
    # Back on the form, with everything she had chosen and typed.
    assert erin.path == round_path + "answer/"
    assert page.get_by_text("Your unsent answer was put back").is_visible()
    assert page.get_by_label("Keep note 1", exact=True).input_value() == (
        "Pairing on hard problems"
    )
    assert page.get_by_label("Performing", exact=True).is_checked()
    assert levels.nth(levels.count() - 1).is_checked()
    assert SealedAnswer.objects.count() == 0
    erin.follow(page.get_by_role("button", name="Send my answer"))
    assert page.get_by_text("your answer is saved, anonymously").is_visible()
    # Stored once, sealed until the round's results are released.
    assert SealedAnswer.objects.count() == 1
    drafts = page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('mirror-draft:'))"
    )
    assert drafts == [], "the draft is gone once sent"


def test_a_new_team_starts_on_its_own(visitor_factory: VisitorFactory) -> None:
    dana = visitor_factory()
    _sign_up(dana)
    round_path = _wizard(dana)

    erin = visitor_factory()
    erin.goto(_link(r"/join/\S+/"))
    page = erin.page
    # allauth's own sign-up, then the confirmation email brings her back.
    erin.follow(page.get_by_role("link", name="Create an account"))
    page.get_by_label("Email").fill("erin@example.com")
    page.get_by_label("Username").fill("erin")
    page.locator("#id_password1").fill(PASSPHRASE)
    page.locator("#id_password2").fill(PASSPHRASE)
    erin.follow(page.get_by_role("button", name="Create account"))
    assert page.get_by_role("heading", name="Confirm your email address").is_visible()
    erin.goto(_link(r"/accounts/confirm-email/\S+/"))
    erin.follow(page.get_by_role("button", name="Confirm"))
    assert erin.path == "/join/"
    erin.follow(page.get_by_role("button", name="Join as erin"))
    assert page.get_by_text("Welcome to Comets.").is_visible()
    # Erin has joined: Dana opens the round, its roster is the two of them.
    dana.follow(dana.page.get_by_role("button", name="Open round"))
    _answer_through_an_expired_session(erin, round_path)

    # Keyboard focus on a radio button is clearly visible (not a faint glow).
    erin.goto(urlsplit(round_path).path)
    dana.goto(round_path + "answer/")
    radio = dana.page.get_by_label("Performing", exact=True)
    radio.focus()
    dana.page.keyboard.press("ArrowDown")
    outline = dana.page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineWidth"
    )
    assert outline == "3px"
