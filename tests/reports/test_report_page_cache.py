"""The report page's body is assembled and rendered once per version of what it
shows (``reports.views.report_page_key``) and shared by every reader with the same
view: never by a member and a coach, or by a coach with notes and one without, and
never after an answer, a close, a reopen, a closing date passing, an action or a
rename changed what it shows (issue 13, item 4)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Action, Round
from reports import views
from teams.models import CoachShare, Team
from tests.conftest import make_user
from tests.factories import add_response, make_round
from tests.reports.conftest import Scenario


def url(round: Round) -> str:
    return reverse("reports:round", args=[round.code])


@pytest.fixture
def builds() -> Iterator[mock.MagicMock]:
    """Counts the report assemblies behind the page (one per rendered body)."""
    with mock.patch.object(
        views, "build_round_report", wraps=views.build_round_report
    ) as build:
        yield build


def test_a_repeat_view_is_assembled_and_rendered_once(
    bob_client: Client,
    alice_client: Client,
    scenario: Scenario,
    builds: mock.MagicMock,
) -> None:
    first = bob_client.get(url(scenario.q2))
    second = alice_client.get(url(scenario.q2))
    again = bob_client.get(url(scenario.q2))
    assert first.status_code == second.status_code == again.status_code == 200
    assert builds.call_count == 1
    assert "Pairing on hard bugs" in again.text
    # Only the surroundings are the reader's own: each is signed in as themselves.
    assert '<bdi dir="auto">bob</bdi>' in first.text
    assert '<bdi dir="auto">alice</bdi>' in second.text
    assert '<bdi dir="auto">alice</bdi>' not in again.text


def test_member_and_coach_views_never_share_an_entry(
    bob_client: Client,
    cora_client: Client,
    cora: User,
    scenario: Scenario,
    builds: mock.MagicMock,
) -> None:
    dave = make_user("dave")
    dave_client = Client()
    dave_client.force_login(dave)
    CoachShare.objects.create(team=scenario.team, coach=cora, include_notes=True)
    CoachShare.objects.create(team=scenario.team, coach=dave, include_notes=False)
    member = bob_client.get(url(scenario.q2)).text
    with_notes = cora_client.get(url(scenario.q2)).text
    scores_only = dave_client.get(url(scenario.q2)).text
    assert builds.call_count == 3
    assert "Pairing on hard bugs" in member
    assert "The team shares its results with you" not in member
    assert "Pairing on hard bugs" in with_notes
    assert "It is read-only." in with_notes
    assert "Pairing on hard bugs" not in scores_only
    assert "scores only, without notes or comments" in scores_only
    # Each comes back to its own view, from the cache.
    assert "Pairing on hard bugs" not in dave_client.get(url(scenario.q2)).text
    assert "It is read-only." in cora_client.get(url(scenario.q2)).text
    assert "shares its results with you" not in bob_client.get(url(scenario.q2)).text
    assert builds.call_count == 3


def test_the_three_views_have_three_keys(
    bob: User, cora: User, scenario: Scenario
) -> None:
    rounds = [scenario.q1, scenario.q2]
    for r in rounds:
        r.team = scenario.team
    member = scenario.team.memberships.get(user=bob)
    readers = [
        views.Reader(scenario.team, member, None),
        views.Reader(
            scenario.team, None, CoachShare(team=scenario.team, include_notes=True)
        ),
        views.Reader(
            scenario.team, None, CoachShare(team=scenario.team, include_notes=False)
        ),
    ]
    counts = (4, 5, 0, 0, None, (False, False))
    keys = {
        views.report_page_key(scenario.q2, rounds, reader, counts, [])
        for reader in readers
    }
    assert len(keys) == 3


def _answer(round: Round, user: User) -> None:
    ratings = [services.RatingAnswer(d, 2) for d in round.dimensions.all()]
    services.member_response_submit(
        round=round, user=user, answers=services.Answers(ratings=ratings)
    )


def test_a_new_answer_gives_a_new_entry(
    bob_client: Client, alice: User, bob: User, team: Team, builds: mock.MagicMock
) -> None:
    round = make_round(team, state=Round.State.OPEN, dimensions=2)
    assert "Team: 0 of 2 members answered." in bob_client.get(url(round)).text
    # A sealed answer does not change the round's data version; it changes the
    # count the page shows.
    _answer(round, alice)
    assert "Team: 1 of 2 members answered." in bob_client.get(url(round)).text
    _answer(round, bob)
    assert "Team: 2 of 2 members answered." in bob_client.get(url(round)).text
    assert builds.call_count == 3


def test_close_reopen_and_a_closing_date_give_new_entries(
    bob_client: Client, alice: User, team: Team, builds: mock.MagicMock
) -> None:
    round = make_round(team, state=Round.State.OPEN, dimensions=2)
    for _ in range(3):
        add_response(round, [2, 3])
    waiting = "results appear when the round closes"
    assert waiting in bob_client.get(url(round)).text
    services.round_close(round=round, actor=alice)
    assert "Dimension by dimension" in bob_client.get(url(round)).text
    services.round_open(round=round, actor=alice)  # reopened
    # Reopened with the same answers and nothing released since: the page it
    # showed while first open, from the same entry.
    assert waiting in bob_client.get(url(round)).text
    assert builds.call_count == 2
    # Its closing date passes: nothing is written, the results are out.
    Round.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert "Dimension by dimension" in bob_client.get(url(round)).text
    assert builds.call_count == 3


def test_an_action_and_a_rename_give_new_entries(
    bob_client: Client, scenario: Scenario, builds: mock.MagicMock
) -> None:
    q1, q2 = scenario.q1, scenario.q2
    assert "Pair on every bug" not in bob_client.get(url(q2)).text
    action = Action.objects.create(
        team=scenario.team,
        round=q1,
        dimension=q1.dimensions.order_by("position").first(),
        text="Pair on every bug",
    )
    page = bob_client.get(url(q2)).text
    assert "Pair on every bug" in page
    assert ">Open</span>" in page
    Action.objects.filter(pk=action.pk).update(state=Action.State.DROPPED)
    assert ">Dropped</span>" in bob_client.get(url(q2)).text
    Team.objects.filter(pk=scenario.team.pk).update(name="Alpha squad")
    assert "Alpha squad" in bob_client.get(url(q2)).text
    Round.objects.filter(pk=q1.pk).update(title="Q1, renamed")
    assert "Q1, renamed" in bob_client.get(url(q2)).text
    assert builds.call_count == 5


def test_a_repeat_view_makes_few_queries_whatever_the_rounds_and_answers(
    bob_client: Client, scenario: Scenario, django_assert_max_num_queries
) -> None:
    bob_client.get(url(scenario.q2))
    # session, user, the round's team, membership, the team's rounds, the counts
    # (turnout and channels), the actions carried into the round, where the
    # answers came from (two: issue 24 item 5).
    with django_assert_max_num_queries(9) as few:
        assert bob_client.get(url(scenario.q2)).status_code == 200
    counted = len(few.captured_queries)
    for i in range(5):
        more = make_round(scenario.team, title=f"More {i}", state=Round.State.CLOSED)
        for _ in range(8):
            add_response(more, [2] * 12, notes=[("keep", "A note")])
    bob_client.get(url(more))
    with django_assert_max_num_queries(counted):
        assert bob_client.get(url(more)).status_code == 200


def test_a_new_round_with_a_deleted_rounds_id_gets_its_own_entries(
    scenario: Scenario,
) -> None:
    """SQLite may give a deleted round's id to the next one; everything else of
    its version may be the same. The key names the round's code too."""
    rounds = [scenario.q1, scenario.q2]
    for r in rounds:
        r.team = scenario.team
    reader = views.Reader(scenario.team, scenario.team.memberships.first(), None)
    twin = Round(
        pk=scenario.q2.pk,
        team=scenario.team,
        title=scenario.q2.title,
        state=scenario.q2.state,
        min_responses=scenario.q2.min_responses,
        data_version=scenario.q2.data_version,
    )
    counts = (4, 5, 0, 0, None, (False, False))
    assert views.report_page_key(
        scenario.q2, rounds, reader, counts, []
    ) != views.report_page_key(twin, [scenario.q1, twin], reader, counts, [])
    assert views.radar_key(scenario.q2, rounds, "svg") != views.radar_key(
        twin, [scenario.q1, twin], "svg"
    )
