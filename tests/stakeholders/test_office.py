"""A shared link behind one address: an office gets through, a flood does not.

The rate limiter counts page views and submissions apart, and a round's shared link
takes at most LINK_ANSWERS_PER_CLIENT_PER_ROUND completed answers per client."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

import config.settings as defaults
from assessments.models import (
    SealedAnswer,
    StakeholderInvitation,
    StakeholderLink,
)
from tests.stakeholders.conftest import (
    INVITATION_TOKEN,
    LINK_TOKEN,
    answer_data,
    open_link,
)

OFFICE = "198.51.100.50"


@pytest.fixture
def default_limits(settings: Settings) -> None:
    # The stakeholder tests raise the page-view limit; these use the shipped ones.
    settings.RATELIMIT_ANONYMOUS = defaults.RATELIMIT_ANONYMOUS
    settings.RATELIMIT_SUBMISSIONS = defaults.RATELIMIT_SUBMISSIONS
    settings.LINK_ANSWERS_PER_CLIENT_PER_ROUND = (
        defaults.LINK_ANSWERS_PER_CLIENT_PER_ROUND
    )


def _colleague_answers(note: str) -> int:
    """One colleague: opens the link, reads the page, sends, sees the thanks."""
    colleague = Client(REMOTE_ADDR=OFFICE)
    open_link(colleague, LINK_TOKEN)
    assert colleague.get("/s/").status_code == 200
    r = colleague.post("/s/", answer_data(keep_1=note))
    if r.status_code == 302:
        assert colleague.get("/s/thanks/").status_code == 200
    return r.status_code


def test_the_cap_lets_an_office_through() -> None:
    # 50 colleagues behind one address answer (test_ratelimit.py sends them).
    assert defaults.LINK_ANSWERS_PER_CLIENT_PER_ROUND >= 100


@pytest.mark.usefixtures("default_limits")
def test_a_flood_on_the_shared_link_is_capped_per_client_and_round(
    settings: Settings, link: StakeholderLink
) -> None:
    """The attack: the shared link took 12 answers from one address in seconds,
    with fresh cookies each time. Past the cap, the answer is refused and kept on
    the page; another address still gets through."""
    settings.LINK_ANSWERS_PER_CLIENT_PER_ROUND = 3
    for n in range(3):
        assert _colleague_answers(f"Stuffed {n}") == 302
    flood = Client(REMOTE_ADDR=OFFICE)
    open_link(flood, LINK_TOKEN)
    r = flood.post("/s/", answer_data(keep_1="One too many"))
    assert r.status_code == 429
    assert "This link has taken as many answers from your connection" in r.text
    assert "One too many" in r.text
    assert SealedAnswer.objects.count() == 3
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    open_link(elsewhere, LINK_TOKEN)
    assert elsewhere.post("/s/", answer_data()).status_code == 302


@pytest.mark.usefixtures("default_limits")
def test_the_cap_does_not_touch_personal_invitations(
    settings: Settings, link: StakeholderLink, invitation: StakeholderInvitation
) -> None:
    settings.LINK_ANSWERS_PER_CLIENT_PER_ROUND = 1
    assert _colleague_answers("Through the link") == 302
    invited = Client(REMOTE_ADDR=OFFICE)
    open_link(invited, INVITATION_TOKEN)
    assert invited.post("/s/", answer_data()).status_code == 302
    assert SealedAnswer.objects.count() == 2
