"""The operator's attack (issue 12, item 4): with SQL access to the database but not
to the secret settings, pair who answered with what they answered.

Each member's answer carries a secret only they wrote. The test then tries every
naive pairing an operator has: storage order (SQLite ``rowid``, PostgreSQL ``ctid``),
key order and, on PostgreSQL, the transaction id (``xmin``). Released answers are
written in a fresh random order, so each pairing is right for about one member in
a round whatever its size; over three rounds of eight the test allows at most a
third right (chance gives three of 24 on average; 8 or more right by chance has
probability below 0.2%, and all eight of one round below 1 in 40,000).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection

from assessments import services
from assessments.models import Round, SealedAnswer
from assessments.services import Answers, RatingAnswer, team_start
from teams.models import Membership
from tests.factories import make_round

MEMBERS = 8
ROUNDS = 3

pytestmark = pytest.mark.django_db(transaction=True)


def _answer(round: Round, user: User) -> None:
    dims = list(round.dimensions.all())
    answers = Answers(
        ratings=[RatingAnswer(d, 1 + (user.pk + i) % 3) for i, d in enumerate(dims)],
        checkin="performing",
        checkin_reason=f"secret-of-{user.username}",
    )
    services.member_response_submit(round=round, user=user, answers=answers)


def _rows(sql: str, params: list[object]) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _who_by(order: str, round: Round) -> list[str]:
    # The order is one of the test's own, never input.
    sql = (
        "SELECT u.username FROM assessments_participation p"  # noqa: S608
        " JOIN auth_user u ON u.id = p.user_id"
        f" WHERE p.round_id = %s ORDER BY {order.format(t='p')}"
    )
    rows = _rows(sql, [round.pk])
    return [str(r[0]) for r in rows]


def _what_by(order: str, round: Round) -> list[str]:
    sql = (
        "SELECT r.checkin_reason FROM assessments_response r"  # noqa: S608
        f" WHERE r.round_id = %s ORDER BY {order.format(t='r')}"
    )
    rows = _rows(sql, [round.pk])
    return [str(r[0]).removeprefix("secret-of-") for r in rows]


def _orders() -> list[str]:
    physical = "{t}.ctid" if connection.vendor == "postgresql" else "{t}.rowid"
    orders = [physical, "{t}.id"]
    if connection.vendor == "postgresql":
        orders.append("{t}.xmin::text::bigint")
    return orders


def _answered_round() -> Round:
    n = Round.objects.count()
    members = [User.objects.create_user(f"m{n}-{i}") for i in range(MEMBERS)]
    team = team_start(name=f"Pairing {n}", description="", creator=members[0])
    for user in members[1:]:
        Membership.objects.create(team=team, user=user)
    round = make_round(team, dimensions=3)
    for user in members:
        _answer(round, user)
    return round


def test_sealed_answers_say_nothing_before_release() -> None:
    round = _answered_round()
    blobs = [bytes(b) for b in SealedAnswer.objects.values_list("sealed", flat=True)]
    assert len(blobs) == MEMBERS
    assert round.dimensions.count() == 3
    assert len({len(b) for b in blobs}) == 1  # padded: every one the same size
    for blob in blobs:
        assert b"secret-of" not in blob
        assert b"performing" not in blob
    assert not round.responses.exists()


def test_an_operator_cannot_pair_participations_with_answers() -> None:
    right = {order: 0 for order in _orders()}
    for _ in range(ROUNDS):
        round = _answered_round()
        services.round_close(round=round)
        assert not round.sealed_answers.exists()
        for order in _orders():
            who, what = _who_by(order, round), _what_by(order, round)
            assert sorted(who) == sorted(what)  # every answer released, once
            hits = sum(w == a for w, a in zip(who, what, strict=True))
            assert hits < MEMBERS, order  # the naive pairing is not all right
            right[order] += hits
    for order, hits in right.items():
        assert hits < MEMBERS * ROUNDS / 3, (order, hits)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="transaction ids are PostgreSQL's"
)
def test_released_rows_share_one_transaction_id() -> None:
    round = _answered_round()
    services.round_close(round=round)
    answered = {
        r[0]
        for r in _rows(
            "SELECT xmin::text FROM assessments_participation WHERE round_id = %s",
            [round.pk],
        )
    }
    released = {
        r[0]
        for r in _rows(
            "SELECT xmin::text FROM assessments_response WHERE round_id = %s",
            [round.pk],
        )
    }
    ratings = {
        r[0]
        for r in _rows(
            "SELECT g.xmin::text FROM assessments_rating g"
            " JOIN assessments_response r ON r.id = g.response_id"
            " WHERE r.round_id = %s",
            [round.pk],
        )
    }
    assert len(answered) == MEMBERS  # one transaction per answer
    assert len(released) == 1  # every answer released in one transaction
    assert ratings == released
    assert not answered & released
