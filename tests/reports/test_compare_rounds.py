"""A round against the previous one when people joined or left (issue 11 item 1):
the report compares them only if the members who answered just one of the two
number none or at least the minimum (``disclosure.rounds_comparable``)."""

from __future__ import annotations

from typing import Any

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


def _stakeholders(round: Round, *levels: int) -> None:
    for level in levels:
        add_response(round, [level] * 3, perspective="stakeholder")


def _history(client: Client, team: Team) -> dict[str, dict[str, Any]]:
    r = client.get(reverse("reports:history_json", args=[team.code]))
    assert r.status_code == 200
    return {round["title"]: round for round in r.json()["rounds"]}


def test_the_json_export_withholds_what_the_report_withholds(
    bob_client: Client, team: Team, alice: User, bob: User
) -> None:
    """Issue 11 item 1 in the JSON history: a comparison the report withholds is
    not named there either; the reason comes as a stable code and in words."""
    (dan,) = _join(team, "dan")
    _round(team, "Q1", {alice: 2, bob: 2, dan: 2})
    (erin,) = _join(team, "erin")
    _round(team, "Q2", {alice: 2, bob: 2, dan: 2, erin: 3})
    q2 = _history(bob_client, team)["Q2"]
    assert q2["previous_round"] is None
    assert q2["comparison_withheld"] == {
        "code": "members_answered_one_round",
        "reason": "Not compared with the previous round: 1 member answered only "
        "one of the two rounds. With fewer than the round's minimum doing so, the "
        "change would be about them.",
    }
    assert q2["stakeholder_comparison_withheld"] is None
    assert all(d["changes"] == [] for d in q2["dimensions"])


def test_the_json_export_names_a_comparison_the_report_makes(
    bob_client: Client, team: Team, alice: User, bob: User
) -> None:
    (dan,) = _join(team, "dan")
    q1 = _round(team, "Q1", {alice: 1, bob: 1, dan: 1})
    _round(team, "Q2", {alice: 2, bob: 2, dan: 2})
    q2 = _history(bob_client, team)["Q2"]
    assert q2["previous_round"] == str(q1.code)
    assert (q2["comparison_withheld"], q2["stakeholder_comparison_withheld"]) == (
        None,
        None,
    )
    assert _history(bob_client, team)["Q1"]["previous_round"] is None


def test_one_more_stakeholder_is_not_compared(
    bob_client: Client, team: Team, alice: User, bob: User
) -> None:
    """The round-before attack for stakeholders, who answer without a name: the
    same three stakeholders answer as before and a fourth joins them; the change
    of the stakeholders' mean would be the newcomer's answer. The team's figures
    (the same members in both rounds) are still compared."""
    (dan,) = _join(team, "dan")
    q1 = _round(team, "Q1", {alice: 1, bob: 1, dan: 1})
    _stakeholders(q1, 2, 2, 2)
    q2 = _round(team, "Q2", {alice: 2, bob: 2, dan: 2})
    _stakeholders(q2, 2, 2, 2, 3)
    r = bob_client.get(reverse("reports:round", args=[q2.code]))
    report = r.context["report"]
    assert report.stakeholders_then == 3
    assert {c.perspective for _d, c in report.changes} == {"team"}
    assert all(
        g.perspective == "team" for d in report.previous_dimensions for g in d.groups
    )
    assert (
        'The stakeholders are not compared with “<bdi dir="auto">Q1</bdi>”: 4 '
        "answered this round and 3 that one." in r.text
    )
    assert "+0.25" not in r.text  # the change the fourth one's 3 would make
    radar = bob_client.get(reverse("reports:radar_svg", args=[q2.code]))
    assert "Stakeholders: Q1" not in radar.content.decode()
    assert "Team: Q1" in radar.content.decode()

    data = _history(bob_client, team)["Q2"]
    assert data["previous_round"] == str(q1.code)
    assert data["comparison_withheld"] is None
    withheld = data["stakeholder_comparison_withheld"]
    assert withheld["code"] == "stakeholder_counts_differ"
    assert "4 answered this round and 3 that one" in withheld["reason"]
    changes = [c["group"] for d in data["dimensions"] for c in d["changes"]]
    assert set(changes) == {"Team"}


def test_enough_more_stakeholders_are_compared(
    bob_client: Client, team: Team, alice: User, bob: User
) -> None:
    (dan,) = _join(team, "dan")
    q1 = _round(team, "Q1", {alice: 1, bob: 1, dan: 1})
    _stakeholders(q1, 2, 2, 2)
    q2 = _round(team, "Q2", {alice: 2, bob: 2, dan: 2})
    _stakeholders(q2, 3, 3, 3, 3, 3, 3)
    report = bob_client.get(reverse("reports:round", args=[q2.code])).context["report"]
    assert report.stakeholders_then is None
    assert {c.perspective for _d, c in report.changes} == {"team", "stakeholder"}


def test_the_stakeholder_rule() -> None:
    assert disclosure.stakeholder_rounds_comparable(3, 3, 3)
    assert disclosure.stakeholder_rounds_comparable(6, 3, 3)
    assert disclosure.stakeholder_rounds_comparable(3, 7, 4)
    assert not disclosure.stakeholder_rounds_comparable(4, 3, 3)
    assert not disclosure.stakeholder_rounds_comparable(3, 5, 3)
    assert not disclosure.stakeholder_rounds_comparable(3, 6, 4)
