from __future__ import annotations

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from teams.models import Team
from teams.services import coach_share_revoke
from tests.coach.conftest import closed_round, shared_team

URL = "/coach/themes/notes/"
LEVELS = [[2] * 12] * 3
THEME = {"kind": "stop", "dimension": "flow-efficiency", "term": "unplanned work"}


def _teams(coach: User, *, count: int = 3, **kwargs: bool) -> list[Team]:
    teams = []
    for i in range(count):
        team = shared_team(f"Team {Team.objects.count():03d}", coach, **kwargs)
        notes = [
            [("stop", f"Unplanned work from sales ({i})", 6), ("keep", "pairing", 1)],
            [("stop", "unplanned work", 3)],  # another dimension
            [("stop", "meetings", 6)],
        ]
        closed_round(team, LEVELS, notes=notes)
        teams.append(team)
    return teams


def test_it_lists_the_notes_behind_a_theme(cora_client: Client, cora: User) -> None:
    _teams(cora)
    r = cora_client.get(URL, THEME)
    assert r.status_code == 200
    assert "Stop: “unplanned work”" in r.text
    assert "Flow &amp; Efficiency · raised by 3 teams" in r.text
    for i in range(3):
        assert f"Unplanned work from sales ({i})" in r.text
    assert r.text.count('class="list-group-item note-card"') == 3
    assert "meetings" not in r.text
    assert "pairing" not in r.text
    assert "Team 0" not in r.text


def test_across_dimensions_includes_every_tag(cora_client: Client, cora: User) -> None:
    # Tagged with Flow in 3 teams: shown under Flow, so not "across dimensions".
    _teams(cora)
    r = cora_client.get(URL, {**THEME, "dimension": "any"})
    assert r.status_code == 404


def test_it_hides_a_term_fewer_than_three_teams_raised(
    cora_client: Client, cora: User
) -> None:
    _teams(cora, count=2)
    assert cora_client.get(URL, THEME).status_code == 404


def test_it_hides_notes_shared_as_scores_only(cora_client: Client, cora: User) -> None:
    _teams(cora, include_notes=False)
    assert cora_client.get(URL, THEME).status_code == 404


def test_a_revoked_share_gives_404_at_once(cora_client: Client, cora: User) -> None:
    teams = _teams(cora)
    assert cora_client.get(URL, THEME).status_code == 200
    share = teams[0].coach_shares.active().get()
    coach_share_revoke(share=share, actor=teams[0].memberships.get().user)
    assert cora_client.get(URL, THEME).status_code == 404


def test_it_hides_themes_from_someone_without_shares(
    cora: User, carol_client: Client
) -> None:
    _teams(cora)
    assert carol_client.get(URL, THEME).status_code == 404


def test_it_rejects_unknown_parameters(cora_client: Client, cora: User) -> None:
    _teams(cora)
    for bad in (
        {**THEME, "kind": "nope"},
        {**THEME, "dimension": "nope"},
        {**THEME, "term": "nope"},
        {},
    ):
        assert cora_client.get(URL, bad).status_code == 404


def test_the_number_of_queries_does_not_grow_with_teams(
    cora_client: Client, cora: User
) -> None:
    def count_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert cora_client.get(URL, THEME).status_code == 200
        return len(ctx.captured_queries)

    _teams(cora)
    few = count_queries()
    _teams(cora, count=9)
    assert count_queries() == few <= 7


def test_it_rejects_post(cora_client: Client) -> None:
    assert cora_client.post(URL).status_code == 405
