"""The operator's attack on the retro's votes (issue 24, point 4): with SQL access
to the database but not to the secret settings, pair who voted with what they
voted for, while voting is open and after it closed.

Each of eight members of the round's roster puts all their dots on a dimension of
their own (a random one of eight, so that dimension order is no clue). While voting
is open, no row anywhere in the database may name a dimension of the round (found
through the schema, so that a new table of votes is caught too): each voter has one
sealed ballot, nothing else. After the close the counts are written once, in one
transaction, in an order that says nothing: pairing the roster with the counts by
storage order, key order or transaction id is right for about one voter in eight
(the same bound as the answers' test, ``tests/assessments/test_pairing.py``).
"""

from __future__ import annotations

import random

import pytest
from django.contrib.auth.models import User
from django.db import connection

from assessments.models import Round, RoundDimension
from assessments.services import team_start
from retro import services
from retro.models import Ballot, RetroSession, RotiCount
from teams.models import Membership
from tests.factories import make_round

VOTERS = 8
ROUNDS = 3
DOTS = 3

pytestmark = pytest.mark.django_db(transaction=True)


def _rows(sql: str, params: list[object]) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _orders() -> list[str]:
    physical = "ctid" if connection.vendor == "postgresql" else "rowid"
    orders = [physical, "id"]
    if connection.vendor == "postgresql":
        orders.append("xmin::text::bigint")
    return orders


def _tables_pointing_at(table: str) -> list[tuple[str, str]]:
    """Every (table, column) of the schema with a foreign key to ``table``."""
    found = []
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            relations = connection.introspection.get_relations(cursor, name)
            for column, relation in relations.items():
                if relation[1] == table:  # (column, table) it points at
                    found.append((name, column))
    return found


def _dimensions_named(round: Round, order: str) -> list[int]:
    """The round's dimensions as every row of the database that names one gives
    them, in ``order`` (the test's own, never input)."""
    named: list[int] = []
    for table, column in _tables_pointing_at(RoundDimension._meta.db_table):
        sql = (
            f"SELECT {column} FROM {table} WHERE {column} IN "  # noqa: S608
            f"(SELECT id FROM {RoundDimension._meta.db_table} WHERE round_id = %s)"
            f" ORDER BY {order}"
        )
        named += [int(str(r[0])) for r in _rows(sql, [round.pk])]
    return named


def _voting_round() -> tuple[Round, RetroSession, dict[str, int]]:
    n = Round.objects.count()
    members = [User.objects.create_user(f"v{n}-{i}") for i in range(VOTERS)]
    team = team_start(name=f"Votes {n}", description="", creator=members[0])
    for user in members[1:]:
        Membership.objects.create(team=team, user=user)
    round = make_round(team, state=Round.State.CLOSED, dimensions=VOTERS)
    session = services.session_start(round=round)
    services.voting_open(session=session, votes_each=DOTS)
    dims = list(round.dimensions.all())
    random.shuffle(dims)
    chose = {}
    for user, dim in zip(members, dims, strict=True):
        for _ in range(DOTS):
            services.vote_cast(session=session, user=user, dimension=dim)
        chose[user.username] = dim.pk
    return round, session, chose


def test_while_voting_is_open_no_row_names_a_chosen_dimension() -> None:
    round, _session, chose = _voting_round()
    for order in _orders():
        assert _dimensions_named(round, order) == [], order
    assert len(chose) == VOTERS


def test_an_operator_cannot_pair_the_roster_with_the_counts() -> None:
    right = dict.fromkeys(_orders(), 0)
    for _ in range(ROUNDS):
        round, session, chose = _voting_round()
        services.voting_close(session=session)
        who = [
            str(r[0])
            for r in _rows(
                "SELECT u.username FROM assessments_eligibility e"
                " JOIN auth_user u ON u.id = e.user_id"
                " WHERE e.round_id = %s ORDER BY e.id",
                [round.pk],
            )
        ]
        for order in _orders():
            what = [
                int(str(r[0]))
                for r in _rows(
                    "SELECT dimension_id FROM retro_votecount"  # noqa: S608
                    f" WHERE session_id = %s ORDER BY {order}",
                    [session.pk],
                )
            ]
            assert sorted(what) == sorted(chose.values())  # every vote counted
            hits = sum(chose[w] == d for w, d in zip(who, what, strict=True))
            assert hits < VOTERS, order
            right[order] += hits
    for order, hits in right.items():
        assert hits < VOTERS * ROUNDS / 3, (order, hits)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="transaction ids are PostgreSQL's"
)
def test_counts_are_written_in_one_transaction() -> None:
    _round, session, _chose = _voting_round()
    services.voting_close(session=session)
    written = {
        r[0]
        for r in _rows(
            "SELECT xmin::text FROM retro_votecount WHERE session_id = %s",
            [session.pk],
        )
    }
    closed = _rows(
        "SELECT xmin::text FROM retro_retrosession WHERE id = %s", [session.pk]
    )
    assert written == {closed[0][0]}


def test_worth_our_time_is_kept_the_same_way() -> None:
    """ "Was this worth our time?" goes through the same ballots: while it is open
    one sealed ballot per person, all of one size, and no count; at its close the
    counts, written in the closing transaction."""
    round, session, _chose = _voting_round()
    services.voting_close(session=session)
    services.roti_open(session=session)
    roster = User.objects.filter(eligibilities__round=round).order_by("pk")
    for i, user in enumerate(roster):
        services.roti_answer(session=session, user=user, score=1 + i % 5)
    sealed = [
        bytes(b)
        for b in Ballot.objects.filter(kind=Ballot.Kind.ROTI).values_list(
            "sealed", flat=True
        )
    ]
    assert len(sealed) == VOTERS
    assert len({len(b) for b in sealed}) == 1
    assert not RotiCount.objects.exists()
    services.roti_close(session=session)
    assert not Ballot.objects.exists()
    assert sum(RotiCount.objects.values_list("count", flat=True)) == VOTERS
    if connection.vendor == "postgresql":
        written = {
            r[0]
            for r in _rows(
                "SELECT xmin::text FROM retro_roticount WHERE session_id = %s",
                [session.pk],
            )
        }
        closed = _rows(
            "SELECT xmin::text FROM retro_retrosession WHERE id = %s", [session.pk]
        )
        assert written == {closed[0][0]}
