from __future__ import annotations

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.models import Response
from teams.models import Team
from teams.services import coach_share_revoke
from tests.coach.conftest import closed_round, days_ago, shared_team
from tests.factories import add_response

URL = "/coach/themes/"
LEVELS = [[2] * 12] * 3


def _team_with_notes(
    name: str, coach: User, texts: list[tuple[str, str, int]], **kwargs: bool
) -> Team:
    team = shared_team(name, coach, **kwargs)
    closed_round(team, LEVELS, notes=[texts, [], []])
    return team


def test_it_shows_a_theme_three_teams_raised(cora_client: Client, cora: User) -> None:
    _team_with_notes("Alpha", cora, [("stop", "Merging with flaky tests", 4)])
    _team_with_notes("Bravo", cora, [("stop", "flaky tests!", 4)])
    _team_with_notes("Charlie", cora, [("stop", "The flaky tests again", 4)])
    r = cora_client.get(URL)
    assert r.status_code == 200
    assert "Code Quality &amp; Technical Health" in r.text
    assert ">flaky tests</a>" in r.text
    assert "3 teams · 3 notes" in r.text
    assert (
        "/coach/themes/notes/?kind=stop&amp;dimension=code-quality-technical-health"
        "&amp;term=flaky+test" in r.text
    )
    assert "From the latest round of the 3 teams that share their notes" in r.text


def test_it_hides_a_theme_fewer_than_three_teams_raised(
    cora_client: Client, cora: User
) -> None:
    _team_with_notes("Alpha", cora, [("stop", "flaky tests", 4)])
    _team_with_notes(
        "Bravo", cora, [("stop", "flaky tests", 4), ("stop", "flaky tests", 4)]
    )
    page = cora_client.get(URL).text
    assert "flaky" not in page
    assert "No theme recurs in the notes of 3 or more teams yet." in page


def test_it_ignores_notes_of_teams_sharing_scores_only(
    cora_client: Client, cora: User
) -> None:
    _team_with_notes("Alpha", cora, [("keep", "pairing", 1)])
    _team_with_notes("Bravo", cora, [("keep", "pairing", 1)])
    _team_with_notes("Charlie", cora, [("keep", "pairing", 1)], include_notes=False)
    page = cora_client.get(URL).text
    assert "pairing" not in page
    assert "the 2 teams that share their notes" in page


def test_it_says_when_no_team_shares_notes(cora_client: Client, cora: User) -> None:
    _team_with_notes("Alpha", cora, [("keep", "pairing", 1)], include_notes=False)
    page = cora_client.get(URL).text
    assert "No team shares its notes with you" in page
    assert "pairing" not in page


def test_it_uses_only_each_teams_latest_qualifying_round(
    cora_client: Client, cora: User
) -> None:
    teams = [shared_team(name, cora) for name in ("Alpha", "Bravo", "Charlie")]
    old = [[("start", "WIP limits", 6)], [], []]
    for team in teams:
        closed_round(team, LEVELS, notes=old, closed_at=days_ago(90))
    # Charlie's newer round had two answers: its older round is its latest shown.
    closed_round(teams[0], LEVELS, notes=[[("start", "demos", 7)]])
    closed_round(teams[2], LEVELS[:2], notes=[[("start", "retro actions", 3)]])
    page = cora_client.get(URL).text
    assert "WIP limits" not in page  # Alpha's latest round no longer says it
    assert "retro" not in page


def test_it_ignores_stakeholder_notes_below_the_minimum(
    cora_client: Client, cora: User
) -> None:
    for name in ("Alpha", "Bravo", "Charlie"):
        team = shared_team(name, cora)
        round = closed_round(team, LEVELS)
        add_response(
            round,
            [2] * 12,
            perspective=Response.Perspective.STAKEHOLDER,
            notes=[("start", "release notes", 7)],
        )
    assert "release notes" not in cora_client.get(URL).text


def test_it_uses_stakeholder_notes_meeting_the_minimum(
    cora_client: Client, cora: User
) -> None:
    for name in ("Alpha", "Bravo", "Charlie"):
        team = shared_team(name, cora)
        round = closed_round(team, LEVELS, stakeholders=[[2] * 12] * 2)
        add_response(
            round,
            [2] * 12,
            perspective=Response.Perspective.STAKEHOLDER,
            notes=[("start", "release notes", 7)],
        )
    assert ">release notes</a>" in cora_client.get(URL).text


def test_a_revoked_share_stops_counting_at_once(
    cora_client: Client, cora: User
) -> None:
    teams = [
        _team_with_notes(name, cora, [("keep", "pairing", 1)])
        for name in ("Alpha", "Bravo", "Charlie")
    ]
    assert ">pairing</a>" in cora_client.get(URL).text
    share = teams[0].coach_shares.active().get()
    coach_share_revoke(share=share, actor=teams[0].memberships.get().user)
    assert "pairing" not in cora_client.get(URL).text


def test_it_never_names_a_team(cora_client: Client, cora: User) -> None:
    for name in ("Alpha", "Bravo", "Charlie"):
        _team_with_notes(name, cora, [("keep", "pairing", 1)])
    page = cora_client.get(URL).text
    for name in ("Alpha", "Bravo", "Charlie"):
        assert name not in page


def test_the_number_of_queries_does_not_grow_with_teams(
    cora_client: Client, cora: User
) -> None:
    def build(count: int) -> None:
        for _ in range(count):
            name = f"Team {Team.objects.count():03d}"
            _team_with_notes(name, cora, [("keep", "pairing", 1), ("stop", "WIP", 6)])

    def count_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert ">pairing</a>" in cora_client.get(URL).text
        return len(ctx.captured_queries)

    build(3)
    few = count_queries()
    build(9)
    assert count_queries() == few <= 7


def test_it_rejects_post(cora_client: Client) -> None:
    assert cora_client.post(URL).status_code == 405
