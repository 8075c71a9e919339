from __future__ import annotations

from typing import Any

import pytest

from assessments.models import Round
from teams.models import Team
from tests.factories import make_round


@pytest.fixture
def open_round(team: Team) -> Round:
    return make_round(team, title="Q1 2027 check-in", dimensions=3)


def answer_data(round: Round, **extra: Any) -> dict[str, Any]:
    """A complete, valid answer to every dimension of the round."""
    data: dict[str, Any] = {"checkin": "performing", "checkin_reason": "We ship"}
    for number in range(1, round.dimensions.count() + 1):
        data[f"d{number}_level"] = "2"
    data.update(extra)
    return data
