"""A browser that answered through a shared link (issue 24): opening the link
again shows "already answered" and takes no second answer, and what the browser
keeps says nothing of the answer or of when it was given."""

from __future__ import annotations

import re

from django.core import signing
from django.test import Client

from assessments.models import (
    Round,
    SealedAnswer,
    StakeholderInvitation,
    StakeholderLink,
)
from stakeholders.views import ANSWERED_COOKIE, ANSWERED_SALT
from teams.models import Team, hash_token
from tests.factories import make_round
from tests.stakeholders.conftest import (
    INVITATION_TOKEN,
    LINK_TOKEN,
    answer_data,
    open_link,
)


def test_the_shared_link_opened_again_takes_no_second_answer(
    link_client: Client, link: StakeholderLink
) -> None:
    assert link_client.post("/s/", answer_data()).status_code == 302
    # The next person at the same computer opens the shared link.
    open_link(link_client, LINK_TOKEN)
    r = link_client.get("/s/", follow=True)
    assert r.status_code == 200
    assert "You have already answered" in r.text
    assert "d1_level" not in r.text
    r = link_client.post("/s/", answer_data(relationship="Customer"), follow=True)
    assert "You have already answered" in r.text
    assert SealedAnswer.objects.count() == 1


def test_a_new_link_for_the_same_round_takes_no_second_answer(
    link_client: Client, link: StakeholderLink, round: Round
) -> None:
    assert link_client.post("/s/", answer_data()).status_code == 302
    link.revoked_at = round.created
    link.save()
    StakeholderLink.objects.create(round=round, token_hash=hash_token("N" * 43))
    open_link(link_client, "N" * 43)
    assert link_client.post("/s/", answer_data()).status_code == 302
    assert SealedAnswer.objects.count() == 1


def test_another_rounds_link_still_works_in_that_browser(
    link_client: Client, link: StakeholderLink, other_team: Team
) -> None:
    assert link_client.post("/s/", answer_data()).status_code == 302
    other = make_round(other_team, title="Autumn check", dimensions=3)
    StakeholderLink.objects.create(round=other, token_hash=hash_token("O" * 43))
    open_link(link_client, "O" * 43)
    r = link_client.get("/s/")
    assert r.status_code == 200
    assert "d1_level" in r.text
    assert link_client.post("/s/", answer_data()).status_code == 302
    assert SealedAnswer.objects.count() == 2


def test_a_personal_invitation_still_works_in_that_browser(
    link_client: Client, link: StakeholderLink, invitation: StakeholderInvitation
) -> None:
    """On a shared computer the next person's own invitation is theirs: it is used
    once by the database, not refused by the browser."""
    assert link_client.post("/s/", answer_data()).status_code == 302
    open_link(link_client, INVITATION_TOKEN)
    assert link_client.post("/s/", answer_data()).status_code == 302
    assert SealedAnswer.objects.count() == 2


def test_the_browser_keeps_a_mark_of_the_round_only(
    link_client: Client, link: StakeholderLink, round: Round
) -> None:
    assert link_client.post("/s/", answer_data()).status_code == 302
    cookie = link_client.cookies[ANSWERED_COOKIE]
    assert cookie["httponly"]
    value = signing.Signer(salt=ANSWERED_SALT).unsign_object(cookie.value)
    [(mark, until)] = value.items()
    # A keyed hash: not the round's code, the link or anything answered.
    assert re.fullmatch(r"[0-9a-f]{20}", mark)
    assert str(round.code) not in cookie.value
    # Kept until 90 days after the round opened, in whole days: no time of day
    # that would date the answer.
    assert round.opened_at is not None
    assert until == int(round.opened_at.timestamp()) // 86400 + 90 + 1
    # Signed without a timestamp (a TimestampSigner value has three parts).
    assert cookie.value.count(":") == 1


def test_a_forged_mark_changes_nothing(
    link_client: Client, link: StakeholderLink
) -> None:
    link_client.cookies[ANSWERED_COOKIE] = "forged:value"
    assert link_client.post("/s/", answer_data()).status_code == 302
    assert SealedAnswer.objects.count() == 1
