from __future__ import annotations

from typing import Any

from django.test import Client

from assessments.models import BuiltinDimension, Round, TeamDimension
from teams.models import Team
from tests.factories import make_round


def _url(team: Team, dim: TeamDimension) -> str:
    return f"/teams/{team.code}/dimensions/{dim.code}/edit/"


def _first(team: Team) -> TeamDimension:
    return team.dimensions.get(position=1)


def _data(dim: TeamDimension, **extra: Any) -> dict[str, Any]:
    data = {**dim.texts(), "position": dim.position}
    data.update(extra)
    return data


def test_it_rewords_only_this_teams_copy(
    alice_client: Client, team: Team, other_team: Team
) -> None:
    dim = _first(team)
    builtin_name = dim.name
    r = alice_client.post(
        _url(team, dim), _data(dim, name="Teamwork", level_2="We help each other.")
    )
    assert r.status_code == 302
    dim.refresh_from_db()
    assert (dim.name, dim.level_2) == ("Teamwork", "We help each other.")
    assert BuiltinDimension.objects.get(position=1).name == builtin_name
    assert _first(other_team).name == builtin_name


def test_rounds_keep_the_wording_they_were_answered_with(
    alice_client: Client, team: Team
) -> None:
    round = make_round(team, dimensions=1)
    closed = make_round(team, dimensions=1, state=Round.State.CLOSED)
    dim = _first(team)
    alice_client.post(_url(team, dim), _data(dim, name="Teamwork", prompt="New?"))
    for r in (round, closed):
        snapshot = r.dimensions.get()
        assert snapshot.name == BuiltinDimension.objects.get(position=1).name
        assert snapshot.prompt != "New?"
    # A new round takes the new wording.
    draft = make_round(team, dimensions=1, state=Round.State.DRAFT)
    assert draft.dimensions.get().name == "Teamwork"


def test_it_keeps_input_on_error(alice_client: Client, team: Team) -> None:
    dim = _first(team)
    r = alice_client.post(_url(team, dim), _data(dim, name="  ", prompt="Typed"))
    assert r.status_code == 200
    assert "This field is required." in r.text
    assert "Typed" in r.text


def test_it_hides_other_teams_dimension(
    alice_client: Client, team: Team, other_team: Team
) -> None:
    theirs = _first(other_team)
    r = alice_client.post(_url(team, theirs), _data(theirs, name="Hijacked"))
    assert r.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "Hijacked"


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    dim = _first(team)
    assert bob_client.get(_url(team, dim)).status_code == 403
    assert bob_client.post(_url(team, dim), _data(dim, name="X")).status_code == 403


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    dim = _first(team)
    assert carol_client.get(_url(team, dim)).status_code == 404
    assert carol_client.post(_url(team, dim), _data(dim, name="X")).status_code == 404
    dim.refresh_from_db()
    assert dim.name != "X"


def test_the_page_names_the_dimension_in_the_readers_language(
    alice_client: Client, team: Team
) -> None:
    """The heading as every other page names it; the form edits the stored
    wording, the original English, as it is (docs/languages.md)."""
    dim = _first(team)
    r = alice_client.get(_url(team, dim), headers={"accept-language": "de"})
    assert r.status_code == 200
    heading = '<bdi dir="auto">Zusammenarbeit &amp; Kommunikation</bdi> bearbeiten'
    assert heading in r.text
    assert "Collaboration &amp; Communication bearbeiten" not in r.text
    assert 'value="Collaboration &amp; Communication"' in r.text
