"""What one person could add is in plain sight (issue 24, item 5): the round page
and the report show every member how many of the round's answers came from
members who joined in the 14 days before it opened, and how many stakeholder
answers came by the shared link and from each facilitator's invitations. Counts
only, shown once the perspective has the round's minimum of answers
(``disclosure.sources_shown``), sealed and released alike, and kept at release
(``SourceFigure``) so that no invitation says it was used."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import disclosure, services
from assessments.models import (
    Perspective,
    Round,
    SourceFigure,
    StakeholderGroup,
    TeamDimension,
)
from assessments.services import Answers, RatingAnswer
from stakeholders import services as stakeholder_services
from teams.models import CoachShare, Membership, Team
from tests.conftest import client_for
from tests.factories import make_round

pytestmark = pytest.mark.django_db

NEW_MEMBERS = (
    "1 of the 3 team answers came from a member who joined in the 14 days before "
    "the round opened."
)
STAKEHOLDERS = (
    "Stakeholders: 2 answers by the shared link; 2 from invitations made by alice; "
    "0 from invitations made by dora."
)


def _member(team: Team, name: str, days_ago: int, role: str = "member") -> User:
    user = User.objects.create_user(name)
    Membership.objects.create(
        team=team,
        user=user,
        role=role,
        joined=timezone.now() - datetime.timedelta(days=days_ago),
    )
    return user


@pytest.fixture
def old_team() -> Team:
    """Facilitators alice and dora and member bob joined long ago; ``puppet``
    three days before the round opens."""
    team = Team.objects.create(name="Old hands")
    TeamDimension.copy_builtins(team)
    StakeholderGroup.create_defaults(team)
    _member(team, "alice", 90, Membership.Role.FACILITATOR)
    _member(team, "dora", 90, Membership.Role.FACILITATOR)
    _member(team, "bob", 60)
    _member(team, "puppet", 3)
    return team


def _answers(round: Round) -> Answers:
    return Answers(ratings=[RatingAnswer(d, 2) for d in round.dimensions.all()])


def _text(html: str) -> str:
    """The page's words, names without their direction isolates."""
    words = re.sub(r"<[^>]+>", "", html).replace("\u2068", "").replace("\u2069", "")
    return " ".join(words.split())


def _invite(round: Round, capture: Any, who: str, addresses: list[str]) -> list[str]:
    """Invite by email as ``who``; the tokens the emails carry."""
    mail.outbox.clear()
    with capture(execute=True):
        stakeholder_services.invitations_create(
            round=round, addresses=addresses, actor=User.objects.get(username=who)
        )
    lines = [next(x for x in m.body.splitlines() if "/s/" in x) for m in mail.outbox]
    return [line.strip().rstrip("/").rsplit("/", 1)[1] for line in lines]


def _round(
    team: Team, capture: Any, *, members: list[str], invited: int, link: int
) -> Round:
    """An open round: ``members`` answered; alice invited two addresses and dora
    one, ``invited`` of alice's answered; ``link`` answers by the shared link."""
    round = make_round(team, dimensions=3)
    for name in members:
        user = User.objects.get(username=name)
        services.member_response_submit(round=round, user=user, answers=_answers(round))
    tokens = _invite(
        round, capture, "alice", ["own.1@example.com", "own.2@example.com"]
    )
    _invite(round, capture, "dora", ["real@example.com"])
    for token in tokens[:invited]:
        access = stakeholder_services.access_for_token(token)
        assert access is not None
        stakeholder_services.stakeholder_response_submit(
            access=access, round=round, relationship="Customer", answers=_answers(round)
        )
    for _ in range(link):
        services.response_submit(
            round=round,
            perspective=Perspective.STAKEHOLDER,
            relationship="Customer",
            answers=_answers(round),
        )
    return round


@pytest.fixture
def answered(old_team: Team, django_capture_on_commit_callbacks: Any) -> Round:
    """Three team answers, one of them the new member's; two stakeholder answers
    from alice's invitations and two by the link: every source meets the minimum."""
    return _round(
        old_team,
        django_capture_on_commit_callbacks,
        members=["alice", "bob", "puppet"],
        invited=2,
        link=2,
    )


def _seen(client: Client, round: Round) -> list[str]:
    page = client.get(f"/rounds/{round.code}/")
    report = client.get(reverse("reports:round", args=[round.code]))
    assert page.status_code == report.status_code == 200
    return [_text(page.text), _text(report.text)]


def test_every_member_sees_where_the_answers_came_from(answered: Round) -> None:
    round = answered
    bob = client_for(User.objects.get(username="bob"))
    for text in _seen(bob, round):  # while open: sealed answers counted
        assert NEW_MEMBERS in text
        assert STAKEHOLDERS in text
    services.round_close(round=round)
    for text in _seen(bob, round):  # released: the counts kept at release
        assert NEW_MEMBERS in text
        assert STAKEHOLDERS in text
    kept = set(
        round.source_figures.values_list(
            "perspective", "source", "inviter__username", "answers"
        )
    )
    assert kept == {
        ("team", "new_member", None, 1),
        ("stakeholder", "link", None, 2),
        ("stakeholder", "invitation", "alice", 2),
    }
    # Nothing per answer stays: no invitation says it was used.
    assert not round.stakeholder_invitations.filter(used=True).exists()


def test_what_was_kept_at_release_stands_when_the_puppet_leaves(
    answered: Round,
) -> None:
    round = answered
    services.round_close(round=round)
    Membership.objects.filter(user__username="puppet").delete()
    bob = client_for(User.objects.get(username="bob"))
    for text in _seen(bob, round):
        assert NEW_MEMBERS in text


def test_below_the_minimum_the_split_is_not_shown(
    old_team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    """One stakeholder answer from alice's two invitations and one by the link:
    "1 from invitations made by alice" would be one of two answers, one of them
    a person whose address the log lists."""
    round = _round(
        old_team,
        django_capture_on_commit_callbacks,
        members=["bob", "puppet"],
        invited=1,
        link=1,
    )
    bob = client_for(User.objects.get(username="bob"))
    for text in _seen(bob, round):
        assert "shown once 3 members have answered" in text
        assert "shown once 3 stakeholders have answered" in text
        assert "from invitations made by" not in text
        assert "joined in the 14 days" not in text
        assert "by personal invitation" not in text  # the channels follow it too
    page = bob.get(f"/rounds/{round.code}/")
    assert "2 stakeholders have answered." in page.text


def test_the_sources_rule() -> None:
    assert disclosure.sources_shown(3, 3)
    assert not disclosure.sources_shown(2, 3)
    assert not disclosure.sources_shown(2, 1)  # never below the floor
    assert not disclosure.sources_shown(4, 5)


def test_a_coach_reading_the_report_is_not_shown_them(
    answered: Round, old_team: Team, cora: User
) -> None:
    round = answered
    services.round_close(round=round)
    CoachShare.objects.create(team=old_team, coach=cora)
    r = client_for(cora).get(reverse("reports:round", args=[round.code]))
    assert r.status_code == 200
    assert "Where the answers came from" not in r.text
    assert SourceFigure.objects.filter(round=round).count() == 3
