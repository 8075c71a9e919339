from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Round, TeamDimension
from assessments.packed import unpack_levels
from coach import patterns
from coach import selectors as coach_selectors
from coach import views as coach_views
from teams.models import Team
from teams.services import coach_share_revoke
from tests.coach.conftest import closed_round, days_ago, share, shared_team
from tests.factories import add_response, make_round

URL = "/coach/"
DASH = "\u2013"  # an empty heatmap cell


def _row(page: str, team_name: str) -> str:
    """The heatmap row of a team (in the first, team-view, table)."""
    match = re.search(
        rf"<tr>\s*<th scope=\"row\">[^<]*(?:<a [^>]*>)?(?:<bdi[^>]*>)?"
        rf"{team_name}.*?</tr>",
        page,
        re.S,
    )
    assert match is not None, team_name
    return match.group()


def _cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", c).replace("not shown", "").strip()
        for c in re.findall(r"<td class=\"heat-[^\"]+ text-center\">(.*?)</td>", row)
    ]


def test_it_shows_an_empty_state_without_shares(cora_client: Client) -> None:
    r = cora_client.get(URL)
    assert r.status_code == 200
    assert "No team shares its results with you." in r.text


def test_it_shows_the_latest_round_means(cora_client: Client, cora: User) -> None:
    team = shared_team("Alpha", cora)
    closed_round(team, [[1] * 12, [1] * 12, [1] * 12], closed_at=days_ago(100))
    closed_round(
        team,
        [[3, 2, 1] + [2] * 9, [3, 2, 1] + [2] * 9, [2, 2, 2] + [2] * 9],
        title="Latest",
        closed_at=days_ago(5),
    )
    page = cora_client.get(URL).text
    row = _row(page, "Alpha")
    assert "Latest" in row
    assert "3 members answered" in row
    # Three answers: every tally has a cell of one or is unanimous, so outside the
    # team the median stands in for the mean.
    assert _cells(row) == ["~3", "~2", "~1"] + ["~2"] * 9
    assert 'class="heat-3 text-center">~3' in row
    assert 'class="heat-1 text-center">~1' in row


def test_it_shows_means_where_the_tally_may_be_shown(
    cora_client: Client, cora: User
) -> None:
    team = shared_team("Alpha", cora)
    closed_round(team, [[1] * 12] * 3 + [[2] * 12] * 3)
    row = _row(cora_client.get(URL).text, "Alpha")
    assert _cells(row) == ["1.5"] * 12


def test_nearly_unanimous_tallies_show_the_median(
    cora_client: Client, cora: User
) -> None:
    """Issue 11, outside the team: 5 of 6 at one level and one at another tells
    that one person's level; the coach sees the median."""
    team = shared_team("Alpha", cora)
    closed_round(team, [[3] * 12] * 5 + [[1] * 12])
    page = cora_client.get(URL).text
    assert _cells(_row(page, "Alpha")) == ["~3"] * 12
    assert "2.7" not in page
    assert "the median level" in page


def test_it_leaves_out_teams_that_do_not_share(
    cora_client: Client, cora: User, other_team: Team
) -> None:
    shared_team("Alpha", cora)
    closed_round(other_team, [[2] * 12] * 3)
    page = cora_client.get(URL).text
    assert "Alpha" in page
    assert "Other" not in page


def test_a_revoked_share_disappears_at_once(cora_client: Client, cora: User) -> None:
    team = shared_team("Alpha", cora)
    closed_round(team, [[2] * 12] * 3)
    assert "Alpha" in cora_client.get(URL).text
    active = team.coach_shares.active().get()
    coach_share_revoke(share=active, actor=team.memberships.get().user)
    page = cora_client.get(URL).text
    assert "Alpha" not in page
    assert "No team shares its results with you." in page


def test_it_hides_a_round_below_its_minimum(cora_client: Client, cora: User) -> None:
    team = shared_team("Alpha", cora)
    closed_round(team, [[3] * 12] * 2)
    page = cora_client.get(URL).text
    assert (
        "Not shown, no closed round with enough answers yet:\n"
        '<bdi dir="auto">Alpha</bdi>' in page
    )
    assert "3.0" not in page


def test_it_ignores_open_and_draft_rounds(cora_client: Client, cora: User) -> None:
    team = shared_team("Alpha", cora)
    for state in (Round.State.OPEN, Round.State.DRAFT):
        r = make_round(team, state=state, title=f"{state} round")
        for _ in range(3):
            add_response(r, [3] * 12)
    page = cora_client.get(URL).text
    assert (
        "Not shown, no closed round with enough answers yet:\n"
        '<bdi dir="auto">Alpha</bdi>' in page
    )
    assert "open round" not in page


def test_it_hides_a_mean_fewer_than_the_minimum_rated(
    cora_client: Client, cora: User
) -> None:
    team = shared_team("Alpha", cora)
    closed_round(team, [[3] + [2] * 11, [3] + [2] * 11, [None] + [2] * 11])
    cells = _cells(_row(cora_client.get(URL).text, "Alpha"))
    assert cells[0] == DASH
    assert cells[1] == "~2"


def test_stakeholder_view_needs_enough_stakeholders(
    cora_client: Client, cora: User
) -> None:
    alpha = shared_team("Alpha", cora)
    closed_round(alpha, [[2] * 12] * 3, stakeholders=[[1] * 12] * 2)
    bravo = shared_team("Bravo", cora)
    closed_round(bravo, [[2] * 12] * 3, stakeholders=[[3] * 12, [3] * 12, [2] * 12])
    page = cora_client.get(URL).text
    stakeholder_part = page[page.index('id="stakeholder-heatmap"') :]
    stakeholder_part = stakeholder_part[: stakeholder_part.index("</section>")]
    assert _cells(_row(stakeholder_part, "Bravo")) == ["~3"] * 12
    assert "3 stakeholders answered" in stakeholder_part
    assert "1.0" not in page
    assert "fewer stakeholders than the round's minimum (or no round yet):\n" + (
        '<bdi dir="auto">Alpha</bdi>'
    ) in (stakeholder_part)


def test_it_lines_up_renamed_dimensions_and_leaves_out_custom_ones(
    cora_client: Client, cora: User
) -> None:
    team = shared_team("Alpha", cora)
    flow = team.dimensions.get(builtin__slug="flow-efficiency")
    flow.name = flow.short_name = "Getting stuff done"
    flow.save()
    custom = TeamDimension.objects.create(
        team=team,
        name="Snack quality",
        prompt="?",
        level_1="a",
        level_2="b",
        level_3="c",
    )
    dims = [flow, custom]
    r = make_round(team, state=Round.State.CLOSED, dimensions=dims)
    for _ in range(3):
        add_response(r, [1, 3])
    page = cora_client.get(URL).text
    assert "Snack quality" not in page
    assert "Getting stuff done" not in page
    cells = _cells(_row(page, "Alpha"))
    assert cells[5] == "~1"  # Flow & Efficiency is the framework's 6th dimension
    assert [c for i, c in enumerate(cells) if i != 5] == [DASH] * 11


def test_teams_are_listed_by_name_whatever_their_scores(
    cora_client: Client, cora: User
) -> None:
    for name, level in (("Zulu", 3), ("alpha", 1), ("Mike", 2)):
        closed_round(shared_team(name, cora), [[level] * 12] * 3)
    page = cora_client.get(URL).text
    heat = page[: page.index('id="stakeholder-heatmap"')]
    assert heat.index("alpha") < heat.index("Mike") < heat.index("Zulu")


def test_it_counts_weak_and_declining_dimensions(
    cora_client: Client, cora: User
) -> None:
    for name in ("Alpha", "Bravo", "Charlie"):
        team = shared_team(name, cora)
        closed_round(team, [[2] * 12] * 3, closed_at=days_ago(100))
    alpha, bravo, charlie = Team.objects.order_by("name")
    # Alpha: Flow weak (1.33) and declining; Bravo: Flow declined 2.0 -> 1.75 only.
    closed_round(alpha, [[2] * 5 + [1] + [2] * 6] * 2 + [[2] * 5 + [2] + [2] * 6])
    closed_round(bravo, [[2] * 5 + [1] + [2] * 6] + [[2] * 12] * 3)
    closed_round(charlie, [[2] * 12] * 3)
    page = cora_client.get(URL).text
    section = page[
        page.index('id="patterns-heading"') : page.index('id="checkins-heading"')
    ]
    assert re.search(
        r"Flow &amp; Efficiency</bdi></th>\s*<td>1 of 3 teams</td>\s*<td>2 teams</td>",
        section,
    )
    assert "Collaboration" not in section


def test_it_shows_the_checkin_distribution(cora_client: Client, cora: User) -> None:
    closed_round(
        shared_team("Alpha", cora),
        [[2] * 12] * 3,
        checkins=["performing", "performing", "underperforming"],
    )
    closed_round(
        shared_team("Bravo", cora),
        [[2] * 12] * 4,
        checkins=["high-performing", "high-performing", "performing", "performing"],
    )
    closed_round(
        shared_team("Charlie", cora), [[2] * 12] * 3, checkins=["performing"] * 2
    )
    page = cora_client.get(URL).text
    section = page[
        page.index('id="checkins-heading"') : page.index('id="movement-heading"')
    ]
    cells = re.findall(
        r"</th>\s*<td>(?:<meter[^>]*></meter> )?(\d+)</td>\s*"
        r"<td>(?:<meter[^>]*></meter> )?(\d*)",
        section,
    )
    # All answers together would be 1 / 4 / 2: a cell of one, not shown.
    assert cells == [("0", ""), ("1", ""), ("0", ""), ("1", "")]
    assert "All answers together are not shown" in section
    assert "1 team is left out: fewer than its minimum gave a check-in." in section


def test_it_shows_movement_over_quarters(cora_client: Client, cora: User) -> None:
    team = shared_team("Alpha", cora)
    closed_round(team, [[1] * 12] * 3, closed_at=days_ago(200))
    closed_round(team, [[2] * 12] * 3, closed_at=days_ago(1))
    page = cora_client.get(URL).text
    section = page[page.index('id="movement-heading"') :]
    assert section.count('<th scope="col">20') == 2
    assert re.search(
        r"Collaboration &amp; Communication</bdi></th>\s*<td>1.00 <span", section
    )
    assert "up 1.00" in section


def test_it_never_shows_an_individual_answer(cora_client: Client, cora: User) -> None:
    team = shared_team("Alpha", cora)
    r = closed_round(team, [[2] * 12] * 2)
    add_response(
        r,
        [2] * 12,
        checkin="performing",
        checkin_reason="secret-reason-text",
        comments=["secret-comment-text"],
        notes=[("stop", "secret-note-text")],
    )
    page = cora_client.get(URL).text
    for secret in ("secret-reason-text", "secret-comment-text", "secret-note-text"):
        assert secret not in page


def test_the_number_of_queries_does_not_grow_with_teams(
    cora_client: Client, cora: User, django_assert_max_num_queries
) -> None:
    def build(count: int) -> None:
        for _ in range(count):
            team = shared_team(f"Team {Team.objects.count():03d}", cora)
            closed_round(team, [[1] * 12, [2] * 12, [3] * 12], closed_at=days_ago(100))
            closed_round(
                team,
                [[2] * 12] * 3,
                stakeholders=[[2] * 12] * 3,
                checkins=["performing"] * 3,
                notes=[[("keep", "pairing")]] * 3,
            )

    def count_queries() -> int:
        cache.clear()  # the figures are cached: count the first view
        with CaptureQueriesContext(connection) as ctx:
            assert cora_client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    build(3)
    few = count_queries()
    build(9)
    assert "Team 011" in cora_client.get(URL).text
    assert count_queries() == few
    cache.clear()
    with django_assert_max_num_queries(6):
        cora_client.get(URL)


def test_it_rejects_post(cora_client: Client) -> None:
    assert cora_client.post(URL).status_code == 405


def test_it_requires_sign_in(client: Client) -> None:
    r = client.get(URL)
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_a_member_who_is_also_a_coach_sees_only_shared_teams(
    alice_client: Client, alice: User, team: Team, other_team: Team
) -> None:
    closed_round(team, [[2] * 12] * 3)
    page = alice_client.get(URL).text
    assert "No team shares its results with you." in page
    share(other_team, alice)
    closed_round(other_team, [[2] * 12] * 3)
    page = alice_client.get(URL).text
    assert "Other" in page
    assert "Alpha" not in page


def test_cached_figures_follow_new_answers(cora_client: Client, cora: User) -> None:
    team = shared_team("Alpha", cora)
    round = closed_round(team, [[3] * 12] * 3 + [[1] * 12] * 3)
    assert _cells(_row(cora_client.get(URL).text, "Alpha"))[0] == "2.0"
    for _ in range(3):  # e.g. a round reopened and answered again
        add_response(round, [2] * 12)
    assert _cells(_row(cora_client.get(URL).text, "Alpha"))[0] == "2.0"
    add_response(round, [3] * 12)
    assert _cells(_row(cora_client.get(URL).text, "Alpha"))[0] == "2.1"


def test_a_repeated_view_is_served_from_the_cache(
    cora_client: Client, cora: User, django_assert_max_num_queries
) -> None:
    closed_round(shared_team("Alpha", cora), [[2] * 12] * 3)
    cora_client.get(URL)
    with django_assert_max_num_queries(4):
        assert "~2" in cora_client.get(URL).text


def test_a_round_closed_without_a_closing_time_counts_from_its_creation(
    cora_client: Client, cora: User
) -> None:
    team = shared_team("Alpha", cora)
    round = closed_round(team, [[2] * 12] * 3, title="Closed by hand")
    Round.objects.filter(pk=round.pk).update(closed_at=None)
    page = cora_client.get(URL).text
    assert "Closed by hand" in _row(page, "Alpha")
    assert "1970" not in page


def test_a_round_past_its_closing_date_counts_from_that_date(
    cora_client: Client, cora: User
) -> None:
    # Still stored as open (run_schedule has not run): the coach sees it as closed
    # on its closing date, as the team's report does, and nothing is written.
    team = shared_team("Alpha", cora)
    round = closed_round(team, [[2] * 12] * 3, title="Closed by date")
    closes_at = days_ago(400)
    Round.objects.filter(pk=round.pk).update(
        state=Round.State.OPEN, closed_at=None, closes_at=closes_at
    )
    row = _row(cora_client.get(URL).text, "Alpha")
    assert "Closed by date" in row
    assert f"{closes_at:%Y}" in row
    assert Round.objects.filter(pk=round.pk, state=Round.State.OPEN).exists()


def _heat_section(page: str, heading_id: str = "team-heatmap") -> str:
    part = page[page.index(f'id="{heading_id}"') :]
    return part[: part.index("</section>")]


def test_the_heatmaps_show_a_page_of_teams_with_a_summary_of_all(
    cora_client: Client, cora: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coach_views, "TEAMS_PER_PAGE", 2)
    for name, level in (("Alpha", 1), ("Bravo", 2), ("Charlie", 3), ("Delta", 3)):
        closed_round(shared_team(name, cora), [[level] * 12] * 3)
    shared_team("Echo", cora)  # no round yet
    first = _heat_section(cora_client.get(URL).text)
    assert "Alpha" in first
    assert "Bravo" in first
    assert "Charlie" not in first
    assert "Delta" not in first
    assert "Teams 1 to 2 of 5, by name" in first
    assert 'aria-current="page"' in first
    assert 'href="?page=2#team-heatmap"' in first
    # The summary counts every team, whatever the page: one weak, one in the
    # middle, two strong on each dimension; Echo has no round.
    summary = first[: first.index("<nav")]
    assert "All 4 teams at a glance" in summary
    assert "1 more team has no round with enough answers to show." in summary
    assert re.search(
        r"Collaboration &amp; Communication</bdi></th>\s*"
        r'<td class="text-center">1</td><td class="text-center">1</td>'
        r'<td class="text-center">2</td><td class="text-center">0</td>',
        summary,
    )
    third = _heat_section(cora_client.get(URL, {"page": 3}).text)
    assert "Teams 5 to 5 of 5, by name" in third
    assert "Not shown, no closed round with enough answers yet:" in third
    assert "Echo" in third
    assert "Alpha" not in third.split("<nav")[1]
    assert "No team on this page has a round with enough answers to show." in third
    # Out of range or not a number: a page that exists, no error.
    assert "Teams 5 to 5 of 5" in cora_client.get(URL, {"page": 99}).text
    assert "Teams 1 to 2 of 5" in cora_client.get(URL, {"page": "x"}).text
    assert "Teams 5 to 5 of 5" in cora_client.get(URL, {"page": "last"}).text


def test_one_page_of_teams_needs_no_page_links(cora_client: Client, cora: User) -> None:
    closed_round(shared_team("Alpha", cora), [[2] * 12] * 3)
    page = cora_client.get(URL).text
    assert "All 1 team at a glance" in page
    assert "<nav aria-labelledby" not in page


def test_queries_are_constant_in_teams_rounds_and_pages(
    cora_client: Client,
    cora: User,
    django_assert_num_queries: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(coach_views, "TEAMS_PER_PAGE", 2)

    def build(teams: int, rounds: int) -> None:
        for _ in range(teams):
            team = shared_team(f"Team {Team.objects.count():03d}", cora)
            for r in range(rounds):
                closed_round(
                    team,
                    [[1 + r % 3] * 12] * 3,
                    stakeholders=[[2] * 12] * 3,
                    checkins=["performing"] * 3,
                    closed_at=days_ago(100 * (rounds - r)),
                )

    def views() -> None:
        for page in ("1", "2", "last"):
            cache.clear()
            # Cold: session, user, shares, the rounds (and their versions), the
            # dimensions, the rounds' figures kept at release (the dimensions'
            # tallies packed in them).
            with django_assert_num_queries(6):
                assert cora_client.get(URL, {"page": page}).status_code == 200
            # Warm: session, user, shares, the rounds' versions; the page's figures
            # rendered once, from the cache.
            with django_assert_num_queries(4):
                assert cora_client.get(URL, {"page": page}).status_code == 200

    build(3, 1)
    views()
    build(4, 3)
    assert "Team 006" in cora_client.get(URL, {"page": "last"}).text
    views()


def test_a_newly_released_round_replaces_the_cached_figures(
    cora_client: Client, cora: User
) -> None:
    team = shared_team("Alpha", cora)
    closed_round(team, [[1] * 12] * 3 + [[2] * 12] * 3, title="First")
    assert _cells(_row(cora_client.get(URL).text, "Alpha"))[0] == "1.5"
    assert "First" in _row(cora_client.get(URL).text, "Alpha")  # from the cache
    closed_round(team, [[3] * 12] * 3 + [[2] * 12] * 3, title="Second")
    row = _row(cora_client.get(URL).text, "Alpha")
    assert "Second" in row
    assert _cells(row)[0] == "2.5"


def test_a_change_of_sharing_replaces_the_cached_figures(
    cora_client: Client, cora: User
) -> None:
    alpha = shared_team("Alpha", cora)
    closed_round(alpha, [[1] * 12] * 3 + [[2] * 12] * 3)
    page = cora_client.get(URL).text
    assert "All 1 team at a glance" in page
    bravo = shared_team("Bravo", cora)
    closed_round(bravo, [[3] * 12] * 3 + [[2] * 12] * 3)
    page = cora_client.get(URL).text
    assert "All 2 teams at a glance" in page
    assert _cells(_row(page, "Bravo"))[0] == "2.5"
    # Alpha stops sharing: its row and its part of every count are gone at once,
    # although the figures of both teams were cached a moment before.
    active = alpha.coach_shares.active().get()
    coach_share_revoke(share=active, actor=alpha.memberships.get().user)
    page = cora_client.get(URL).text
    assert "Alpha" not in page
    assert "All 1 team at a glance" in page
    assert _cells(_row(page, "Bravo"))[0] == "2.5"
    assert 'text-center">1.5</td>' not in page


def test_a_renamed_team_is_shown_by_its_new_name(
    cora_client: Client, cora: User
) -> None:
    team = shared_team("Alpha", cora)
    closed_round(team, [[2] * 12] * 3)
    assert "Alpha" in cora_client.get(URL).text
    Team.objects.filter(pk=team.pk).update(name="Zebra")
    page = cora_client.get(URL).text
    assert "Alpha" not in page
    assert "Zebra" in page


def test_a_round_closed_again_without_answers_is_the_latest_at_once(
    cora_client: Client, cora: User
) -> None:
    # The first round reopened and closed again after the second, without a new
    # answer: nothing is released, but it is now the team's latest round.
    team = shared_team("Alpha", cora)
    first = closed_round(team, [[1] * 12] * 3 + [[2] * 12] * 3, title="Spring")
    closed_round(team, [[3] * 12] * 3 + [[2] * 12] * 3, title="Summer")
    assert _cells(_row(cora_client.get(URL).text, "Alpha"))[0] == "2.5"
    Round.objects.filter(pk=first.pk).update(
        closed_at=timezone.now() + dt.timedelta(days=1)
    )
    assert _cells(_row(cora_client.get(URL).text, "Alpha"))[0] == "1.5"


def test_the_cached_figures_are_in_the_readers_language(
    cora_client: Client, cora: User
) -> None:
    closed_round(shared_team("Alpha", cora), [[2] * 12] * 3)
    english = cora_client.get(URL).text
    assert "members answered" in english
    german = cora_client.get(URL, HTTP_ACCEPT_LANGUAGE="de").text
    assert "members answered" not in german
    assert "Mitglieder haben geantwortet" in german


def test_the_rows_read_for_the_dashboard_are_the_answers_released(cora: User) -> None:
    """``dashboard_rows`` reads the rounds and their figures without Django's
    converters and with the tallies packed: the counts of the answers given."""
    expected_rounds = set()
    expected_checkins = {}
    expected_levels = set()
    for i in range(3):
        team = shared_team(f"Team {i}", cora)
        for r in range(3):
            answers = [[1 + (i + r) % 3] * 12, [2] * 12, [None] + [3] * 11]
            team_answers = [*answers[: 2 + r % 2], [2] * 12]
            stakeholders = [[3] * 12] * i
            round = closed_round(
                team,
                team_answers,
                stakeholders=stakeholders,
                checkins=["performing", "high-performing"],
                closed_at=days_ago(30 * r + i),
            )
            round.refresh_from_db()
            assert round.closed_at is not None
            expected_rounds.add(
                (
                    round.pk,
                    team.pk,
                    round.title,
                    round.closed_at,
                    3,
                    len(team_answers),
                    len(stakeholders),
                )
            )
            expected_checkins[round.pk] = (0, 1, 1)
            builtins = round.dimensions.order_by("position").values_list(
                "builtin_id", flat=True
            )
            for perspective, given in (
                (patterns.TEAM, team_answers),
                (patterns.STAKEHOLDER, stakeholders),
            ):
                for column, builtin_id in enumerate(builtins):
                    levels = [row[column] for row in given]
                    if any(level is not None for level in levels):
                        expected_levels.add(
                            (
                                round.pk,
                                perspective,
                                builtin_id,
                                *(levels.count(level) for level in (1, 2, 3)),
                            )
                        )
    ready = coach_selectors.ready_rounds(cora)
    rows = coach_selectors.dashboard_rows(cora, ready)
    assert {tuple(r) for r in rows.rounds} == expected_rounds
    assert sorted(version[0] for version in ready.versions) == sorted(
        r[0] for r in expected_rounds
    )
    assert rows.checkins == expected_checkins
    assert {
        (round_id, perspective, *levels)
        for perspective, packed in rows.levels.items()
        for round_id, text in packed.items()
        for levels in unpack_levels(text)
    } == expected_levels


def test_another_page_size_is_not_served_from_the_cache(
    cora_client: Client, cora: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("Alpha", "Bravo", "Charlie"):
        closed_round(shared_team(name, cora), [[2] * 12] * 3)
    assert "Charlie" in _heat_section(cora_client.get(URL).text)
    monkeypatch.setattr(coach_views, "TEAMS_PER_PAGE", 2)
    first = _heat_section(cora_client.get(URL).text)
    assert "Teams 1 to 2 of 3, by name" in first
    assert "Charlie" not in first
