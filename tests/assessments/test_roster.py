"""A round's roster: who may answer it and who counts, fixed when it opens.

Issue 11 item 5 and issue 12 item 2: the members when the round opens are written
down (``Eligibility``); "n of m answered" counts that roster on every page, so
people who join later are not counted and people who leave still are.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import (
    Eligibility,
    Participation,
    Round,
    RoundEmail,
    SealedAnswer,
)
from assessments.tasks import recipients
from teams import services as team_services
from teams.models import Membership, Team
from tests.assessments.conftest import answer_data
from tests.conftest import client_for, make_user


def _join(team: Team, name: str) -> User:
    user = make_user(name)
    Membership.objects.create(team=team, user=user)
    return user


def _open(team: Team, alice: User, title: str = "Q3 check-in") -> Round:
    round = services.round_create(
        team=team,
        title=title,
        dimensions=list(team.dimensions.active()[:3]),
        closes_at=None,
        min_responses=3,
    )
    return services.round_open(round=round, actor=alice)


def _roster(round: Round) -> set[str]:
    return set(
        Eligibility.objects.filter(round=round).values_list("user__username", flat=True)
    )


def _answer(user: User, round: Round) -> None:
    r = client_for(user).post(f"/rounds/{round.code}/answer/", answer_data(round))
    assert r.status_code == 302


def _leave(team: Team, user: User) -> None:
    membership = Membership.objects.get(team=team, user=user)
    team_services.membership_remove(membership=membership, actor=user)


def test_opening_writes_down_the_members(team: Team, alice: User) -> None:
    _join(team, "dan")
    draft = services.round_create(
        team=team,
        title="Draft",
        dimensions=list(team.dimensions.active()[:3]),
        closes_at=None,
        min_responses=3,
    )
    assert _roster(draft) == set()
    _join(team, "erin")  # still a draft: joins before it opens
    services.round_open(round=draft, actor=alice)
    assert _roster(draft) == {"alice", "bob", "dan", "erin"}


def test_joining_or_leaving_later_does_not_change_the_roster(
    team: Team, alice: User, bob: User
) -> None:
    round = _open(team, alice)
    _join(team, "grace")
    _leave(team, bob)
    assert _roster(round) == {"alice", "bob"}
    services.round_close(round=round, actor=alice)
    services.round_open(round=round, actor=alice)  # a reopen keeps it too
    assert _roster(round) == {"alice", "bob"}


def test_the_roster_says_nothing_of_who_answered_what(
    team: Team, alice: User, bob: User
) -> None:
    """Privacy invariant 1: the roster holds a round and a user, nothing else, and
    is written when the round opens, not when anyone answers."""
    fields = {f.name for f in Eligibility._meta.get_fields()}
    assert fields == {"id", "round", "user"}
    round = _open(team, alice)
    ids = list(Eligibility.objects.filter(round=round).values_list("pk", flat=True))
    _answer(bob, round)
    assert (
        list(Eligibility.objects.filter(round=round).values_list("pk", flat=True))
        == ids
    )


def test_counts_that_disagree_attack_fails(
    alice_client: Client, team: Team, alice: User, bob: User
) -> None:
    """The attack: after two members who had answered left the team, the report
    said "3 of 3 members answered" and the round page "1 of 3". Now every page
    counts the roster of the round's opening: 3 of 5, also after they left and
    after someone joined."""
    dan, erin, frank = (_join(team, name) for name in ("dan", "erin", "frank"))
    round = _open(team, alice)
    for user in (dan, erin, frank):
        _answer(user, round)
    services.round_close(round=round, actor=alice)
    _leave(team, dan)
    _leave(team, erin)
    _join(team, "grace")

    round_page = alice_client.get(reverse("assessments:round", args=[round.code]))
    team_page = alice_client.get(f"/teams/{team.code}/")
    report = alice_client.get(reverse("reports:round", args=[round.code]))
    assert "3 of 5 members have answered." in round_page.text
    assert "3 of 5 members answered" in team_page.text
    assert "Team: 3 of 5 members answered." in report.text
    assert (
        "5 members were eligible: the team when the round opened (who joined later "
        "could not answer, who left still counts)." in report.text
    )
    assert (report.context["report"].answered, report.context["report"].eligible) == (
        3,
        5,
    )
    # The figures are over the same three answers.
    assert report.context["report"].team_responses == 3
    assert Participation.objects.filter(round=round).count() == 3


def test_a_draft_counts_the_team_now(alice_client: Client, team: Team) -> None:
    draft = services.round_create(
        team=team,
        title="Draft",
        dimensions=list(team.dimensions.active()[:3]),
        closes_at=None,
        min_responses=3,
    )
    _join(team, "dan")
    r = alice_client.get(reverse("assessments:round", args=[draft.code]))
    assert "0 of 3 members have answered." in r.text


def test_a_member_who_joined_later_cannot_answer(
    team: Team, alice: User, django_assert_max_num_queries
) -> None:
    round = _open(team, alice)
    grace = _join(team, "grace")
    client = client_for(grace)
    url = f"/rounds/{round.code}/answer/"
    page = client.get(url)
    assert page.status_code == 403
    assert "This round opened before you joined" in page.text
    assert "not yours to answer" in page.text
    assert "0 of 2 members have answered." in page.text
    # Sending an answer anyway stores nothing and ends on the same page.
    with django_assert_max_num_queries(8):
        r = client.post(url, answer_data(round))
    assert r.status_code == 302
    assert client.get(r.url).status_code == 403
    assert not Participation.objects.filter(round=round).exists()
    assert not SealedAnswer.objects.filter(round=round).exists()
    # Nor through more note boxes.
    r = client.post(f"/rounds/{round.code}/answer/more-notes/", answer_data(round))
    assert r.status_code == 302
    # The team page says why instead of offering "Answer now"; the home page
    # does not list it as waiting.
    team_page = client.get(f"/teams/{team.code}/").text
    assert "Opened before you joined: not yours to answer" in team_page
    assert url not in team_page
    assert url not in client.get("/").text


def test_the_service_refuses_someone_off_the_roster(team: Team, alice: User) -> None:
    round = _open(team, alice)
    grace = _join(team, "grace")
    dims = list(round.dimensions.all())
    answers = services.Answers(
        ratings=[services.RatingAnswer(dimension=d, level=2) for d in dims]
    )
    with pytest.raises(services.NotOnRoster):
        services.member_response_submit(round=round, user=grace, answers=answers)
    assert not Participation.objects.filter(round=round).exists()
    assert not SealedAnswer.objects.filter(round=round).exists()
    services.round_close(round=round, actor=alice)
    with pytest.raises(services.RoundNotOpen):
        services.member_response_submit(round=round, user=grace, answers=answers)


def test_a_member_who_left_and_came_back_may_answer(
    team: Team, alice: User, bob: User
) -> None:
    round = _open(team, alice)
    _leave(team, bob)
    assert client_for(bob).get(f"/rounds/{round.code}/answer/").status_code == 404
    Membership.objects.create(team=team, user=bob)
    _answer(bob, round)
    assert Participation.objects.filter(round=round, user=bob).exists()


def test_an_outsider_still_gets_404(
    carol_client: Client, team: Team, alice: User
) -> None:
    round = _open(team, alice)
    assert carol_client.get(f"/rounds/{round.code}/answer/").status_code == 404
    r = carol_client.post(f"/rounds/{round.code}/answer/", answer_data(round))
    assert r.status_code == 404


def test_reminders_go_to_the_roster_only(team: Team, alice: User, bob: User) -> None:
    round = _open(team, alice)
    _join(team, "grace")
    reminded = set(
        recipients(round, RoundEmail.Kind.REMINDER).values_list("username", flat=True)
    )
    assert reminded == {"alice", "bob"}
    results = recipients(round, RoundEmail.Kind.RESULTS)
    assert "grace" in set(results.values_list("username", flat=True))
