"""Issue 11's attacks written as their stories, each now failing.

- Reopen and diff: close with three answers, download the CSV, reopen, one more
  member answers, close, download again. Released once and then frozen: the CSV,
  the notes CSV and the report are byte for byte the same until at least the
  round's minimum of new answers is in; then they change by that many at once.
- Counts that disagree: ``tests/assessments/test_roster.py``.
- A round against the previous one when people joined or left:
  ``test_round_vs_previous_when_one_joined_is_not_compared``.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import Round
from teams.models import Membership, Team
from tests.assessments.conftest import answer_data
from tests.conftest import client_for, make_user


def _members(team: Team, *names: str) -> list[User]:
    users = [make_user(name) for name in names]
    for user in users:
        Membership.objects.create(team=team, user=user)
    return users


def _open(team: Team, alice: User, title: str = "Q3 check-in") -> Round:
    round = services.round_create(
        team=team,
        title=title,
        dimensions=list(team.dimensions.active()[:3]),
        closes_at=None,
        min_responses=3,
    )
    return services.round_open(round=round, actor=alice)


def _answer(user: User, round: Round, level: str, note: str) -> None:
    data = answer_data(round, keep_1=note)
    for number in range(1, 4):
        data[f"d{number}_level"] = level
    r = client_for(user).post(f"/rounds/{round.code}/answer/", data)
    assert r.status_code == 302


def _downloads(client: Client, round: Round) -> tuple[bytes, bytes, str]:
    csv = client.get(reverse("reports:csv", args=[round.code]))
    notes = client.get(reverse("reports:notes_csv", args=[round.code]))
    report = client.get(reverse("reports:round", args=[round.code]))
    assert (csv.status_code, notes.status_code, report.status_code) == (200,) * 3
    figures = [
        (d.label, d.team.mean if d.team else None, d.team.levels if d.team else None)
        for d in report.context["report"].dimensions
    ]
    return csv.content, b"".join(sorted(notes.content.splitlines())), repr(figures)


def test_reopen_and_diff_attack_fails(
    alice_client: Client, team: Team, alice: User, bob: User
) -> None:
    dan, erin, frank, grace = _members(team, "dan", "erin", "frank", "grace")
    round = _open(team, alice)
    _answer(alice, round, "1", "Alice's note")
    _answer(bob, round, "2", "Bob's note")
    _answer(dan, round, "2", "Dan's note")
    services.round_close(round=round, actor=alice)
    before = _downloads(alice_client, round)

    # The attack: reopen, one more member answers, close, download again.
    services.round_open(round=round, actor=alice)
    _answer(erin, round, "3", "Erin's note")
    services.round_close(round=round, actor=alice)
    after = _downloads(alice_client, round)
    assert after == before  # nothing of Erin's answer can be subtracted
    assert b"Erin" not in after[0] + after[1]

    # A second reopen and one more: still two, still the same.
    services.round_open(round=round, actor=alice)
    _answer(frank, round, "3", "Frank's note")
    services.round_close(round=round, actor=alice)
    assert _downloads(alice_client, round) == before

    # The third new answer makes the minimum: everything changes at once, by
    # three answers, and no one's answer is the difference.
    services.round_open(round=round, actor=alice)
    _answer(grace, round, "3", "Grace's note")
    services.round_close(round=round, actor=alice)
    csv, notes, figures = _downloads(alice_client, round)
    assert (csv, notes, figures) != before
    # A repeat view is served from the cache: what it shows, not its context.
    report = alice_client.get(reverse("reports:round", args=[round.code]))
    assert "(6 answers)" in report.text
    assert "(3 answers)" not in report.text
    assert b"Grace's note" in notes
    assert b"Erin's note" in notes
