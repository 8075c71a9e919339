"""A round against the previous one when people joined or left (issue 11 item 1):
the report compares them only if the members who answered just one of the two
number none or at least the minimum (``disclosure.rounds_comparable``)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments import disclosure
from assessments.models import Round
from teams.models import Membership, Team
from tests.conftest import make_user
from tests.factories import add_response, make_round


def _round(team: Team, title: str, answers: dict[User, int]) -> Round:
    round = make_round(team, title=title, state=Round.State.CLOSED, dimensions=3)
    for user, level in answers.items():
        add_response(round, [level] * 3, by=user)
    return round


def _join(team: Team, *names: str) -> list[User]:
    users = [make_user(name) for name in names]
    for user in users:
        Membership.objects.create(team=team, user=user)
    return users


def test_round_vs_previous_when_one_joined_is_not_compared(
    bob_client: Client, team: Team, alice: User, bob: User
) -> None:
    """The attack: everyone answers as before, one member joined; the change from
    the previous round is the newcomer's answer. Now it is not shown, and the
    page says why."""
    (dan,) = _join(team, "dan")
    _round(team, "Q1", {alice: 2, bob: 2, dan: 2})
    (erin,) = _join(team, "erin")
    q2 = _round(team, "Q2", {alice: 2, bob: 2, dan: 2, erin: 3})
    r = bob_client.get(reverse("reports:round", args=[q2.code]))
    report = r.context["report"]
    assert report.previous.title == "Q1"
    assert report.not_compared == 1
    assert report.changes == []
    assert report.previous_dimensions == []
    assert (
        'Not compared with “<bdi dir="auto">Q1</bdi>”: 1 member answered only one '
        "of the two rounds." in r.text
    )
    assert "+0.25" not in r.text  # the change Erin's 3 would make
    radar = bob_client.get(reverse("reports:radar_svg", args=[q2.code]))
    assert b"Q1" not in radar.content


def test_one_left_is_not_compared_either(
    bob_client: Client, team: Team, alice: User, bob: User
) -> None:
    dan, erin = _join(team, "dan", "erin")
    _round(team, "Q1", {alice: 2, bob: 2, dan: 2, erin: 1})
    Membership.objects.filter(user=erin).delete()
    q2 = _round(team, "Q2", {alice: 2, bob: 2, dan: 2})
    report = bob_client.get(reverse("reports:round", args=[q2.code])).context["report"]
    assert (report.not_compared, report.changes) == (1, [])


def test_enough_new_people_are_compared(
    bob_client: Client, team: Team, alice: User, bob: User
) -> None:
    dan, erin, frank, grace = _join(team, "dan", "erin", "frank", "grace")
    _round(team, "Q1", {alice: 1, bob: 1, dan: 1})
    q2 = _round(team, "Q2", {alice: 2, bob: 2, dan: 2, erin: 2, frank: 2, grace: 2})
    r = bob_client.get(reverse("reports:round", args=[q2.code]))
    report = r.context["report"]
    assert report.not_compared == 0
    assert [c.change for _d, c in report.changes] == [1.0, 1.0, 1.0]
    assert 'Compared with “<bdi dir="auto">Q1</bdi>”, biggest changes first.' in r.text


def test_the_rule() -> None:
    assert disclosure.rounds_comparable(0, 0, 3)
    assert disclosure.rounds_comparable(3, 0, 3)
    assert disclosure.rounds_comparable(3, 4, 3)
    assert not disclosure.rounds_comparable(1, 0, 3)
    assert not disclosure.rounds_comparable(0, 2, 3)
    assert not disclosure.rounds_comparable(5, 1, 3)
    assert not disclosure.rounds_comparable(3, 0, 4)  # the round's own minimum
