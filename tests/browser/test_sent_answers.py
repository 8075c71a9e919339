"""Nothing of a sent answer stays in the browser (issue 24).

A stakeholder answers through the shared link: once the answer is in, the
browser's storage holds no draft, and the next person opening the link in the same
browser (a meeting-room laptop) is told it was answered and gets no form. A member
starts answering on a laptop, then answers on a phone: the laptop's draft is gone
as soon as it shows the round as answered.
"""

from __future__ import annotations

import pytest

from assessments.models import Round, SealedAnswer, StakeholderLink
from teams.models import Team, hash_token
from tests.browser.conftest import PHONE, Visitor, VisitorFactory
from tests.factories import make_round

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = "S" * 43
DIMENSIONS = 3
DRAFTS = "Object.keys(localStorage).filter(k => k.startsWith('mirror-draft:'))"


def _drafts(visitor: Visitor) -> list[str]:
    drafts: list[str] = visitor.page.evaluate(DRAFTS)
    return drafts


def _fill_levels(visitor: Visitor) -> None:
    for number in range(1, DIMENSIONS + 1):
        visitor.page.locator(f"input[name=d{number}_level][value='2']").check()


def _no_html_in_title(visitor: Visitor) -> None:
    assert "<" not in visitor.page.title(), visitor.page.title()


@pytest.fixture
def round(team: Team) -> Round:
    return make_round(team, title="Spring check", dimensions=DIMENSIONS)


def test_a_stakeholders_sent_answer_leaves_nothing_behind(
    visitor_factory: VisitorFactory, round: Round
) -> None:
    StakeholderLink.objects.create(round=round, token_hash=hash_token(TOKEN))
    laptop = visitor_factory()
    laptop.goto(f"/s/{TOKEN}/")
    page = laptop.page
    assert laptop.path == "/s/"
    page.locator("input[name=relationship]").first.check()
    _fill_levels(laptop)
    page.get_by_label("Keep note 1", exact=True).fill("Honest demos")
    assert len(_drafts(laptop)) == 1, "the unsent answer is kept while typing"
    laptop.follow(page.get_by_role("button", name="Send my answer"))
    assert page.get_by_role("heading", name="Thank you, your answer is in").is_visible()
    _no_html_in_title(laptop)
    assert _drafts(laptop) == [], "the sent answer is gone from the browser"
    assert SealedAnswer.objects.count() == 1

    # The next person at the same computer opens the shared link.
    laptop.goto(f"/s/{TOKEN}/")
    assert laptop.path == "/s/thanks/"
    assert page.get_by_text("You have already answered.").is_visible()
    assert page.locator("input[name=d1_level]").count() == 0
    assert page.get_by_text("Honest demos").count() == 0
    assert _drafts(laptop) == []
    assert SealedAnswer.objects.count() == 1


def test_a_members_answer_sent_elsewhere_clears_the_draft_here(
    visitor_factory: VisitorFactory, round: Round
) -> None:
    laptop = visitor_factory()
    laptop.sign_in("bob")
    answer_path = f"/rounds/{round.code}/answer/"
    laptop.goto(answer_path)
    laptop.page.get_by_label("Performing", exact=True).check()
    laptop.page.get_by_label("Keep note 1", exact=True).fill("Pairing")
    assert len(_drafts(laptop)) == 1

    phone = visitor_factory(**PHONE)
    phone.sign_in("bob")
    phone.goto(answer_path)
    phone.page.get_by_label("Performing", exact=True).check()
    _fill_levels(phone)
    phone.page.get_by_label("Keep note 1", exact=True).fill("Pairing on hard bugs")
    assert len(_drafts(phone)) == 1
    phone.follow(phone.page.get_by_role("button", name="Send my answer"))
    assert phone.page.get_by_text("your answer is saved, anonymously").is_visible()
    _no_html_in_title(phone)
    assert _drafts(phone) == []

    # Back at the laptop: the form is gone, and with it the draft.
    laptop.goto(answer_path)
    assert laptop.page.get_by_role(
        "heading", name="You have already answered"
    ).is_visible()
    _no_html_in_title(laptop)
    assert laptop.page.locator("input[name=d1_level]").count() == 0
    assert _drafts(laptop) == []
    assert SealedAnswer.objects.count() == 1
