"""The operator's attack (issue 12, item 4): with SQL access to the database but not
to the secret settings, pair who answered with what they answered.

And its stakeholder form (issue 24, item 3): the activity log lists the addresses
a facilitator invited; invitations used to be created in that order, the used one
kept ``used = true`` after release and the released answer its channel, so one
used invitation in a round led to its only ``channel = 'invitation'`` answer: a
named stakeholder's levels and comments, with plain SQL.

Each member's answer carries a secret only they wrote. The test then tries every
naive pairing an operator has: storage order (SQLite ``rowid``, PostgreSQL ``ctid``),
key order and, on PostgreSQL, the transaction id (``xmin``). Released answers are
written in a fresh random order, so each pairing is right for about one member in
a round whatever its size; over three rounds of eight the test allows at most a
third right (chance gives three of 24 on average; 8 or more right by chance has
probability below 0.2%, and all eight of one round below 1 in 40,000).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection

from assessments import services
from assessments.models import Perspective, Round, SealedAnswer
from assessments.services import Answers, RatingAnswer, team_start
from stakeholders import services as stakeholder_services
from teams.models import ActivityEntry, Membership, hash_token
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


INVITED = 8
LINK_ANSWERS = 3


@dataclass(frozen=True)
class Invited:
    round: Round
    facilitator: str
    # The address that answered, and the invitation each address received (as
    # its emailed link opens it): what the test knows and the operator does not.
    who: str
    ids: dict[str, int]
    tokens: dict[str, str]


def _stakeholder_answers(round: Round, secret: str) -> Answers:
    dims = list(round.dimensions.all())
    return Answers(
        ratings=[RatingAnswer(d, 1 + i % 3, secret) for i, d in enumerate(dims)]
    )


def _invited_round(answering: int) -> Invited:
    """A round whose facilitator invited ``INVITED`` addresses by email; the
    ``answering``-th of them answered through the emailed link, and three others
    through the shared link; then the round closed."""
    n = Round.objects.count()
    alice = User.objects.create_user(f"facilitator-{n}")
    team = team_start(name=f"Invited {n}", description="", creator=alice)
    round = make_round(team, dimensions=3)
    addresses = [f"s{n}-{i}@example.com" for i in range(INVITED)]
    mail.outbox.clear()
    stakeholder_services.invitations_create(
        round=round, addresses=addresses, actor=alice
    )
    accesses, tokens = {}, {}
    for message in mail.outbox:
        line = next(x for x in message.body.splitlines() if "/s/" in x)
        token = line.strip().rstrip("/").rsplit("/", 1)[1]
        access = stakeholder_services.access_for_token(token)
        assert access is not None
        accesses[message.to[0]], tokens[message.to[0]] = access, token
    who = addresses[answering]
    stakeholder_services.stakeholder_response_submit(
        access=accesses[who],
        round=round,
        relationship="Customer",
        answers=_stakeholder_answers(round, f"secret-of-{who}"),
    )
    for i in range(LINK_ANSWERS):
        services.response_submit(
            round=round,
            perspective=Perspective.STAKEHOLDER,
            relationship="Customer",
            answers=_stakeholder_answers(round, f"secret-of-link-{i}"),
        )
    services.round_close(round=round)
    ids = {address: access.id for address, access in accesses.items()}
    return Invited(round, alice.username, who, ids, tokens)


def _logged_addresses(round: Round) -> list[str]:
    entry = ActivityEntry.objects.get(
        team=round.team, action=ActivityEntry.Action.STAKEHOLDERS_INVITED
    )
    return list(entry.detail["addresses"])


def _response_columns() -> set[str]:
    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(
            cursor, "assessments_response"
        )
    return {column.name for column in described}


def _invitations_by(order: str, round: Round, column: str) -> list[object]:
    # The order and column are the test's own, never input.
    sql = (
        f"SELECT i.{column} FROM assessments_stakeholderinvitation i"  # noqa: S608
        f" WHERE i.round_id = %s ORDER BY {order.format(t='i')}"
    )
    return [r[0] for r in _rows(sql, [round.pk])]


def _operators_guess(round: Round, order: str) -> tuple[str, str] | None:
    """The join of issue 24: the used invitation, by its place in ``order``, is
    the address at that place in the activity log; its answer is the round's
    answer that came by invitation. (address, comment), or None when the
    database does not say enough to try."""
    addresses = _logged_addresses(round)
    used = _invitations_by(order, round, "used")
    places = [place for place, flag in enumerate(used) if flag]
    if len(places) != 1 or "channel" not in _response_columns():
        return None
    comments = _rows(
        "SELECT g.comment FROM assessments_rating g"
        " JOIN assessments_response r ON r.id = g.response_id"
        " WHERE r.round_id = %s AND r.channel = 'invitation'",
        [round.pk],
    )
    return addresses[places[0]], str(comments[0][0]) if comments else ""


def _orders_of_invitations() -> list[str]:
    return [*_orders(), "{t}.created, {t}.id", "{t}.code"]


def test_an_operator_cannot_pair_an_invitation_with_its_answer() -> None:
    invited = [_invited_round(answering) for answering in (0, 3, 5, 7)]
    for one in invited:
        round = one.round
        assert not round.sealed_answers.exists()  # every answer released
        for order in _orders_of_invitations():
            guess = _operators_guess(round, order)
            assert guess != (one.who, f"secret-of-{one.who}"), order
            assert guess is None, order
        # No released row says how it came in: the counts are kept apart.
        assert "channel" not in _response_columns()
        sources = set(
            round.source_figures.values_list("source", "answers", "inviter__username")
        )
        assert sources == {
            ("link", LINK_ANSWERS, None),
            ("invitation", 1, one.facilitator),
        }
        # The used invitation is gone; none left says it was used.
        assert round.stakeholder_invitations.count() == INVITED - 1
        assert not round.stakeholder_invitations.filter(used=True).exists()
        assert not round.stakeholder_invitations.exclude(used_by_visit="").exists()
    # Neither keys, storage order, times nor codes follow the addresses in the
    # log (the answerer's left out): paired place by place, about one in eight is
    # right by chance.
    for order in _orders_of_invitations():
        right = 0
        for one in invited:
            rows = [
                _address_of(one, h)
                for h in _invitations_by(order, one.round, "token_hash")
            ]
            logged = [a for a in _logged_addresses(one.round) if a != one.who]
            assert sorted(rows) == sorted(logged)
            right += sum(row == a for row, a in zip(rows, logged, strict=True))
        assert right < INVITED * len(invited) / 3, (order, right)


def _address_of(one: Invited, token_hash: object) -> str:
    """Whose invitation a row is, from its token (known to the test only)."""
    return next(a for a, t in one.tokens.items() if hash_token(t) == token_hash)


def test_a_used_invitation_cannot_be_used_again_after_a_reopen() -> None:
    one = _invited_round(2)
    services.round_open(round=one.round)
    # Neither its emailed link nor a browser that kept its id in the cookie.
    assert stakeholder_services.access_for_token(one.tokens[one.who]) is None
    access = stakeholder_services.Access("invitation", one.ids[one.who])
    assert stakeholder_services.round_for_access(access) is None
    # Those not used still open the reopened round from their emails.
    other = next(a for a in one.tokens if a != one.who)
    access = stakeholder_services.access_for_token(one.tokens[other])
    assert access is not None
    assert stakeholder_services.round_for_access(access) is not None


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="transaction ids are PostgreSQL's"
)
def test_no_invitation_row_is_told_apart_by_its_transaction_or_place() -> None:
    last = 0
    invited = [_invited_round(answering) for answering in (1, 2, 4, 6)]
    for one in invited:
        xmins = set(_invitations_by("{t}.id", one.round, "xmin::text"))
        released = {
            r[0]
            for r in _rows(
                "SELECT xmin::text FROM assessments_response WHERE round_id = %s",
                [one.round.pk],
            )
        }
        # Written anew with the release: one transaction for all, the answers'.
        assert xmins == released
        assert len(xmins) == 1
        # The used one is not where its answer's update moved it, the table's end.
        physical = _invitations_by("{t}.ctid", one.round, "id")
        last += physical[-1] == one.ids[one.who]
    assert last < len(invited)
