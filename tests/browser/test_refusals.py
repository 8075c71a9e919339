"""Friendly refusals on answer pages (issue 28 point 9), in a real browser: the
browser's cookies are cleared while a stakeholder and a member answer. Sending
gets the site's own page, which says the answer is kept in this browser; back on
the form, the answer is put back and goes out."""

from __future__ import annotations

import pytest

from assessments.models import Round, SealedAnswer, StakeholderLink
from teams.models import Team, hash_token
from tests.browser.conftest import PASSWORD, Visitor, VisitorFactory
from tests.factories import make_round

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = "R" * 43
DIMENSIONS = 3
DRAFTS = "Object.keys(localStorage).filter(k => k.startsWith('mirror-draft:'))"


def _fill_levels(visitor: Visitor) -> None:
    for number in range(1, DIMENSIONS + 1):
        visitor.page.locator(f"input[name=d{number}_level][value='2']").check()


@pytest.fixture
def round(team: Team) -> Round:
    return make_round(team, title="Spring check", dimensions=DIMENSIONS)


def test_a_stakeholder_whose_cookies_were_cleared_sends_again(
    visitor_factory: VisitorFactory, round: Round
) -> None:
    StakeholderLink.objects.create(round=round, token_hash=hash_token(TOKEN))
    person = visitor_factory()
    page = person.page
    person.goto(f"/s/{TOKEN}/")
    page.locator("input[name=relationship]").first.check()
    _fill_levels(person)
    page.get_by_label("Keep note 1", exact=True).fill("Honest demos")
    page.context.clear_cookies()
    person.follow(page.get_by_role("button", name="Send my answer"), status=403)
    assert page.get_by_text("Your answer is kept in this browser.").is_visible()
    assert "CSRF" not in page.content()
    assert SealedAnswer.objects.count() == 0
    # The link's cookie went with the others: the form says to open the link again.
    person.follow(page.get_by_role("link", name="Back to the form"), status=404)
    person.goto(f"/s/{TOKEN}/")
    assert page.get_by_text("Your unsent answer was put back").is_visible()
    assert page.get_by_label("Keep note 1", exact=True).input_value() == "Honest demos"
    person.follow(page.get_by_role("button", name="Send my answer"))
    assert page.get_by_role("heading", name="Thank you, your answer is in").is_visible()
    assert SealedAnswer.objects.count() == 1
    assert page.evaluate(DRAFTS) == []


def test_a_member_whose_cookies_were_cleared_sends_again(
    visitor_factory: VisitorFactory, round: Round
) -> None:
    bob = visitor_factory()
    page = bob.page
    bob.sign_in("bob")
    answer = f"/rounds/{round.code}/answer/"
    bob.goto(answer)
    page.get_by_label("Performing", exact=True).check()
    _fill_levels(bob)
    page.get_by_label("Keep note 1", exact=True).fill("Pairing")
    page.context.clear_cookies()
    bob.follow(page.get_by_role("button", name="Send my answer"), status=403)
    assert page.get_by_text("Your answer is kept in this browser.").is_visible()
    bob.follow(page.get_by_role("link", name="Back to the form"))
    assert bob.path.startswith("/accounts/login/?next=")
    assert page.get_by_text("Your answer was not sent yet").is_visible()
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill(PASSWORD)
    bob.follow(page.get_by_role("button", name="Sign in"))
    assert bob.path == answer
    assert page.get_by_label("Keep note 1", exact=True).input_value() == "Pairing"
    bob.follow(page.get_by_role("button", name="Send my answer"))
    assert page.get_by_text("your answer is saved, anonymously").is_visible()
    assert SealedAnswer.objects.count() == 1
