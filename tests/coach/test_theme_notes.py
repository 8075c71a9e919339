"""The notes behind a recurring theme, for the coach."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.test import Client

from teams.models import Team
from teams.services import coach_share_revoke
from tests.coach.conftest import closed_round, shared_team
from tests.coach.test_themes import LEVELS, confirm_all

URL = "/coach/themes/notes/"


def _teams(coach: User, count: int = 3) -> list[Team]:
    teams = []
    for i in range(count):
        team = shared_team(f"Team {Team.objects.count():03d}", coach)
        notes = [[("stop", f"Unplanned work from sales ({i})", 6)], [], []]
        confirm_all(closed_round(team, LEVELS, notes=notes), "Unplanned work")
        teams.append(team)
    return teams


def _theme_url(client: Client) -> str:
    found = re.search(
        r'href="(/coach/themes/notes/\?theme=[0-9a-f]+)"',
        client.get("/coach/themes/").text,
    )
    assert found is not None
    return found.group(1)


def test_it_lists_the_notes_behind_a_theme(cora_client: Client, cora: User) -> None:
    _teams(cora)
    r = cora_client.get(_theme_url(cora_client))
    assert r.status_code == 200
    assert "Flow &amp; Efficiency · raised by at least 3 teams" in r.text
    for i in range(3):
        assert f"Unplanned work from sales ({i})" in r.text
    assert r.text.count('class="list-group-item note-card"') == 3
    assert "Team 0" not in r.text


def test_an_unknown_theme_is_404(cora_client: Client, cora: User) -> None:
    _teams(cora)
    assert cora_client.get(URL, {"theme": "0" * 16}).status_code == 404
    assert cora_client.get(URL).status_code == 404


def test_a_revoked_share_gives_404_at_once(cora_client: Client, cora: User) -> None:
    teams = _teams(cora)
    url = _theme_url(cora_client)
    share = teams[0].coach_shares.get(coach=cora)
    coach_share_revoke(share=share, actor=teams[0].memberships.first().user)  # type: ignore[union-attr]
    assert cora_client.get(url).status_code == 404


def test_another_user_sees_nothing(carol_client: Client, cora: User) -> None:
    _teams(cora)
    url = (
        _theme_url(carol_client)
        if "theme=" in carol_client.get("/coach/themes/").text
        else URL + "?theme=x"
    )
    assert carol_client.get(url).status_code == 404
