"""The coach's recurring themes: confirmed themes of at least three teams."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.models import Note, Round
from assessments.services import ThemeDraft, themes_confirm
from teams.models import Team
from teams.services import coach_share_revoke
from tests.coach.conftest import closed_round, days_ago, shared_team

URL = "/coach/themes/"
LEVELS = [[2] * 12] * 3


def confirm_all(round: Round, label: str) -> None:
    """Confirm every note of the round as one theme per dimension."""
    by_dimension: dict[int | None, list[str]] = {}
    for pk, dimension_id in Note.objects.filter(round=round).values_list(
        "pk", "dimension_id"
    ):
        by_dimension.setdefault(dimension_id, []).append(str(pk))
    themes_confirm(
        round=round,
        drafts=[ThemeDraft(d, label, ids) for d, ids in by_dimension.items()],
    )


def team_with_theme(
    name: str,
    coach: User,
    texts: list[tuple[str, str, int]],
    label: str,
    *,
    confirm: bool = True,
    **kwargs: bool,
) -> Team:
    team = shared_team(name, coach, **kwargs)
    round = closed_round(team, LEVELS, notes=[texts, [], []])
    if confirm:
        confirm_all(round, label)
    return team


def flaky(coach: User, names: tuple[str, ...] = ("Alpha", "Bravo", "Charlie")) -> None:
    wording = [
        ("Flaky tests", [("stop", "Merging with flaky tests", 4)]),
        ("Tests flaky", [("stop", "flaky tests!", 4)]),
        ("Instabile Tests", [("stop", "Die flaky Tests schon wieder", 4)]),
        ("Flaky test suite", [("stop", "flaky tests on main", 4)]),
    ]
    for name, (label, notes) in zip(names, wording, strict=False):
        team_with_theme(name, coach, notes, label)


def test_it_shows_a_theme_three_teams_confirmed(
    cora_client: Client, cora: User
) -> None:
    flaky(cora)
    r = cora_client.get(URL)
    assert r.status_code == 200
    assert "Code Quality &amp; Technical Health" in r.text
    assert "flaky" in r.text
    assert "at least 3 teams" in r.text
    assert "/coach/themes/notes/?theme=" in r.text
    assert "the 3 teams sharing their notes with you confirmed" in r.text


def test_counts_are_coarsened(cora_client: Client, cora: User) -> None:
    flaky(cora, ("Alpha", "Bravo", "Charlie", "Delta"))
    page = cora_client.get(URL).text
    assert "at least 3 teams" in page  # four teams: rounded down, never exact
    assert "at least 4 teams" not in page


def test_it_hides_a_theme_fewer_than_three_teams_raised(
    cora_client: Client, cora: User
) -> None:
    flaky(cora, ("Alpha", "Bravo"))
    page = cora_client.get(URL).text
    assert "flaky" not in page
    assert "No confirmed theme recurs in 3 or more teams yet." in page


def test_unconfirmed_groups_never_reach_the_coach(
    cora_client: Client, cora: User
) -> None:
    for name in ("Alpha", "Bravo", "Charlie"):
        team_with_theme(name, cora, [("keep", "pairing", 1)], "", confirm=False)
    assert "pairing" not in cora_client.get(URL).text


def test_it_ignores_teams_sharing_scores_only(cora_client: Client, cora: User) -> None:
    team_with_theme("Alpha", cora, [("keep", "pairing", 1)], "Pairing")
    team_with_theme("Bravo", cora, [("keep", "pairing", 1)], "Pairing")
    team_with_theme(
        "Charlie", cora, [("keep", "pairing", 1)], "Pairing", include_notes=False
    )
    page = cora_client.get(URL).text
    assert "pairing" not in page.lower().replace("pairing sessions", "")
    assert "the 2 teams sharing their notes" in page


def test_it_says_when_no_team_shares_notes(cora_client: Client, cora: User) -> None:
    team_with_theme(
        "Alpha", cora, [("keep", "pairing", 1)], "Pairing", include_notes=False
    )
    page = cora_client.get(URL).text
    assert "No team shares its notes with you" in page


def test_it_shows_how_a_theme_moves_over_time(cora_client: Client, cora: User) -> None:
    teams = [shared_team(name, cora) for name in ("Alpha", "Bravo", "Charlie")]
    for team in teams:
        old = closed_round(
            team, LEVELS, notes=[[("start", "WIP limits", 6)]], closed_at=days_ago(200)
        )
        confirm_all(old, "WIP limits")
    new = closed_round(teams[0], LEVELS, notes=[[("start", "WIP limits please", 6)]])
    confirm_all(new, "WIP")
    page = cora_client.get(URL).text
    assert "Over time:" in page
    assert "fewer than 3 teams" in page  # the newest quarter: one team only
    assert page.count("at least 3 teams") >= 2  # the theme, and its older quarter


def test_a_revoked_share_stops_counting_at_once(
    cora_client: Client, cora: User
) -> None:
    flaky(cora)
    assert "flaky" in cora_client.get(URL).text
    share = Team.objects.get(name="Alpha").coach_shares.get(coach=cora)
    coach_share_revoke(share=share, actor=share.team.memberships.first().user)  # type: ignore[union-attr]
    assert "flaky" not in cora_client.get(URL).text


def test_it_needs_sign_in(client: Client) -> None:
    assert client.get(URL).status_code == 302


def test_the_number_of_queries_does_not_grow_with_teams(
    cora_client: Client, cora: User
) -> None:
    flaky(cora)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        cora_client.get(URL)
    flaky(cora, ("Delta", "Echo", "Foxtrot"))
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        cora_client.get(URL)
    assert len(many) == len(few)
