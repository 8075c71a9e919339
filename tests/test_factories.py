from __future__ import annotations

from assessments.models import Note, Rating, Round
from teams.models import Team
from tests.factories import add_response, make_round


def test_factories_build_a_round_with_answers(team: Team) -> None:
    round = make_round(team, dimensions=3)
    assert list(round.dimensions.values_list("position", flat=True)) == [1, 2, 3]
    add_response(round, [1, 2, None], notes=[("keep", "Pairing", 2), ("stop", "WIP")])
    assert sorted(
        Rating.objects.values_list("level", flat=True), key=lambda v: v or 0
    ) == [None, 1, 2]
    tagged = Note.objects.get(kind="keep")
    assert tagged.dimension is not None
    assert tagged.dimension.position == 2
    round.refresh_from_db()
    assert round.data_version == 1
    assert round.state == Round.State.OPEN
