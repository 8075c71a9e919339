from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from assessments.models import Round
from teams.models import Team
from tests.factories import add_response, make_round


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/edit/"


def _data(round: Round, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"title": "Renamed", "min_responses": "4"}
    data.update(extra)
    return data


def test_it_changes_an_open_round(alice_client: Client, open_round: Round) -> None:
    day = timezone.localdate() + timedelta(days=3)
    r = alice_client.post(_url(open_round), _data(open_round, closes_on=day))
    assert r.status_code == 302
    open_round.refresh_from_db()
    assert (open_round.title, open_round.min_responses) == ("Renamed", 4)
    assert open_round.closes_at is not None
    # The dimensions of an open round are fixed.
    assert open_round.dimensions.count() == 3


def test_it_shows_current_settings(alice_client: Client, open_round: Round) -> None:
    day = timezone.localdate() + timedelta(days=3)
    alice_client.post(_url(open_round), _data(open_round, closes_on=day))
    r = alice_client.get(_url(open_round))
    assert f'value="{day.isoformat()}"' in r.text
    assert 'value="Renamed"' in r.text
    assert 'type="checkbox"' not in r.text


def test_it_locks_minimum_once_answers_are_in(
    alice_client: Client, open_round: Round
) -> None:
    add_response(open_round, [2, 2, 2])
    r = alice_client.get(_url(open_round))
    assert re.search(r'<input [^>]*name="min_responses"[^>]* disabled', r.text)
    alice_client.post(_url(open_round), _data(open_round, min_responses="9"))
    open_round.refresh_from_db()
    assert open_round.title == "Renamed"
    assert open_round.min_responses == 3


def test_it_changes_dimensions_of_a_draft(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT, dimensions=2)
    dims = list(team.dimensions.order_by("position"))
    r = alice_client.get(_url(round))
    assert r.text.count(" checked") == 2
    data = _data(round)
    data[f"dim_{dims[5].code.hex}_include"] = "on"
    data[f"dim_{dims[5].code.hex}_position"] = "1"
    data[f"dim_{dims[0].code.hex}_include"] = "on"
    data[f"dim_{dims[0].code.hex}_position"] = "2"
    for dim in dims[1:5] + dims[6:]:
        data[f"dim_{dim.code.hex}_position"] = "5"
    assert alice_client.post(_url(round), data).status_code == 302
    chosen = [d.team_dimension for d in round.dimensions.order_by("position")]
    assert chosen == [dims[5], dims[0]]


def test_it_keeps_input_on_error(alice_client: Client, open_round: Round) -> None:
    r = alice_client.post(_url(open_round), _data(open_round, title=""))
    assert r.status_code == 200
    assert "This field is required." in r.text
    open_round.refresh_from_db()
    assert open_round.title == "Q1 2027 check-in"


def test_it_requires_facilitator(bob_client: Client, open_round: Round) -> None:
    assert bob_client.get(_url(open_round)).status_code == 403
    assert bob_client.post(_url(open_round), _data(open_round)).status_code == 403
    open_round.refresh_from_db()
    assert open_round.title == "Q1 2027 check-in"


def test_it_hides_round_from_outsider(carol_client: Client, open_round: Round) -> None:
    assert carol_client.get(_url(open_round)).status_code == 404
    assert carol_client.post(_url(open_round), _data(open_round)).status_code == 404
