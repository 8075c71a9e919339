"""One wording of a round's closing moment: the round page, the team page, the home
page's to-do, the stakeholder page and the stakeholder email say the same last day
(``assessments.models.until_words``), never the midnight after it."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import dateformat, timezone
from pytest_django.fixtures import Settings

from assessments.models import Round, StakeholderInvitation, last_day, until_words
from stakeholders.tasks import send_stakeholder_invitation
from teams.models import Team, hash_token
from tests.factories import make_round

LAST_DAY = timezone.localdate() + datetime.timedelta(days=20)
WORDS = "until the end of " + dateformat.format(LAST_DAY, "N j, Y")
NEXT_DAY = dateformat.format(LAST_DAY + datetime.timedelta(days=1), "N j,")


@pytest.fixture
def round(team: Team, settings: Settings) -> Round:
    # A round whose last day is LAST_DAY: stored as the midnight after it.
    settings.TIME_ZONE = "Europe/Berlin"
    round = make_round(team, title="Winter check", dimensions=3)
    midnight = datetime.datetime.combine(
        LAST_DAY + datetime.timedelta(days=1),
        datetime.time(),
        tzinfo=timezone.get_current_timezone(),
    )
    round.closes_at = midnight
    round.save()
    return round


def test_the_function_names_the_last_day(round: Round) -> None:
    assert last_day(round.closes_at) == LAST_DAY
    assert until_words(round.closes_at) == WORDS
    assert round.until_words() == WORDS
    assert until_words(None) == ""


@pytest.mark.usefixtures("round")
def test_every_page_and_email_agree(
    round: Round, team: Team, bob_client: Client, client: Client
) -> None:
    pages = {
        "round": bob_client.get(round.get_absolute_url()),
        "team": bob_client.get(team.get_absolute_url()),
        "home": bob_client.get("/"),
    }
    invitation = StakeholderInvitation.objects.create(
        round=round, token_hash=hash_token("T" * 43)
    )
    assert client.get(f"/s/{'T' * 43}/").status_code == 303
    pages["stakeholder"] = client.get("/s/")
    for name, page in pages.items():
        assert page.status_code == 200, name
        text = page.content.decode()
        assert WORDS in text, name
        assert NEXT_DAY not in text, name
    assert send_stakeholder_invitation.call(
        address="dana@example.com", invitation=str(invitation.code)
    )
    [email] = mail.outbox
    assert WORDS in email.body
    assert NEXT_DAY not in email.body
