"""After a release on SQLite no copy of a sealed answer is left in the database's
files: not in the write-ahead log (``-wal``), in the order the answers came, nor in
a free page of the file (issue 24 item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection

from assessments import services
from assessments.models import Response, SealedAnswer
from assessments.services import Answers, RatingAnswer
from teams.models import Team
from tests.factories import make_round

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the -wal file is SQLite's"
    ),
]


def _files() -> bytes:
    path = Path(connection.settings_dict["NAME"])
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_no_sealed_answer_outlives_its_release_in_the_files(
    team: Team, alice: User
) -> None:
    round = make_round(team, dimensions=2)
    dims = list(round.dimensions.all())
    for level in (1, 2, 3):
        services.response_submit(
            round=round,
            perspective=Response.Perspective.STAKEHOLDER,
            answers=Answers(ratings=[RatingAnswer(d, level, "") for d in dims]),
        )
    # A stretch of each ciphertext (after the version byte and the nonce).
    pieces = [
        bytes(blob)[13:77]
        for blob in SealedAnswer.objects.values_list("sealed", flat=True)
    ]
    assert len(pieces) == 3
    before = _files()
    assert all(piece in before for piece in pieces)  # the test can see them

    services.round_close(round=round, actor=alice)

    assert Response.objects.filter(round=round).count() == 3
    after = _files()
    assert [piece in after for piece in pieces] == [False, False, False]
    path = Path(connection.settings_dict["NAME"])
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
