"""The report page of a round: /rounds/<code>/report/."""

from __future__ import annotations

import math
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments import disclosure
from assessments.models import Round
from teams.models import CoachShare, Team
from tests.factories import add_response, make_round
from tests.reports.conftest import STAKEHOLDER, Scenario, make_q2


def url(round: Round) -> str:
    return reverse("reports:round", args=[round.code])


def test_it_shows_hand_computed_figures(bob_client: Client, scenario: Scenario) -> None:
    r = bob_client.get(url(scenario.q2))
    assert r.status_code == 200
    report = r.context["report"]
    assert report.previous == scenario.q1
    assert [(s.label, s.responses) for s in report.visible_groups] == [
        ("Team", 4),
        ("Stakeholders", 3),
    ]
    dim1, dim2, dim3 = report.dimensions
    assert dim1.team.levels == [1, 2, 1]
    assert dim1.team.percents == [25.0, 50.0, 25.0]
    assert (dim1.team.mean, dim1.team.median) == (2.0, 2.0)
    assert dim1.team.agreement == pytest.approx(0.5)
    assert dim1.team.spread == pytest.approx(math.sqrt(0.5))
    assert dim2.team.levels == [0, 2, 2]
    assert (dim2.team.mean, dim2.team.median) == (2.5, 2.5)
    # 1 + 2 * 0.5 * log2(1 - 0.5 / 2)
    assert dim2.team.agreement == pytest.approx(1 + math.log2(0.75))
    assert dim1.stakeholders.mean == pytest.approx(4 / 3)
    assert dim2.stakeholders.mean == 3.0
    # Team on dimension 3: two levels and two "don't know": hidden.
    assert not dim3.team.shown
    assert (dim3.team.rated, dim3.team.dont_know, dim3.team.mean) == (2, 2, None)
    assert (dim1.gap_kind, dim2.gap_kind, dim3.gap_kind) == (
        "blind_spot",
        "hidden_strength",
        "",
    )
    assert dim1.gap == pytest.approx(2 / 3)
    assert dim2.gap == pytest.approx(-0.5)
    changes = [(d.label, c.perspective_label, c.change) for d, c in report.changes]
    assert changes == [
        ("Planning & Execution", "Team", pytest.approx(2.5 - 4 / 3)),
        ("Collaboration & Communication", "Team", pytest.approx(2 - 4 / 3)),
    ]
    # No stakeholder gave a check-in: their row is left out.
    (team_checkin,) = report.checkins
    assert (team_checkin.label, team_checkin.responses) == ("Team", 4)
    assert [c for _, c, _ in team_checkin.counts] == [1, 2, 1, 0]


def test_it_renders_the_figures(bob_client: Client, scenario: Scenario) -> None:
    r = bob_client.get(url(scenario.q2))
    html = r.content.decode()
    assert "Team: 4 of 5 members answered." in html
    assert "Stakeholders: 3 answered." in html
    assert reverse("reports:radar_svg", args=[scenario.q2.code]) in html
    assert "Possible blind spot" in html
    assert "Possible hidden strength" in html
    assert "+0.67" in html  # the blind spot, and the change of dimension 1
    assert "+1.17" in html  # the change of dimension 2
    assert "2 gave a level: too few to show." in html
    assert "(25%)" in html
    assert "(50%)" in html
    assert "mixed views (0.50)" in html
    assert 'Compared with “<bdi dir="auto">Q1 retro</bdi>”' in html


def test_the_radar_table_has_the_charts_numbers(
    bob_client: Client, scenario: Scenario
) -> None:
    radar = bob_client.get(url(scenario.q2)).context["radar"]
    assert radar.headers == [
        "Team: Q2 retro",
        "Stakeholders: Q2 retro",
        "Team: Q1 retro",
    ]
    assert radar.rows == [
        (
            "Collaboration & Communication",
            [2.0, pytest.approx(4 / 3), pytest.approx(4 / 3)],
        ),
        ("Planning & Execution", [2.5, 3.0, pytest.approx(4 / 3)]),
        ("Data-Driven Improvement", [None, 3.0, None]),
    ]


def test_it_shows_notes_comments_and_reasons(
    bob_client: Client, scenario: Scenario
) -> None:
    html = bob_client.get(url(scenario.q2)).content.decode()
    for text in (
        "Pairing on hard bugs",
        "Friday deploys",
        "Writing ADRs",
        "Share the roadmap earlier",
        "Standups help",
        "Great demos",
        "We ship every week",
    ):
        assert text in html


def test_notes_are_shuffled(bob_client: Client, scenario: Scenario) -> None:
    with mock.patch.object(
        disclosure._random, "shuffle", side_effect=lambda items: items.reverse()
    ) as shuffle:
        report = bob_client.get(url(scenario.q2)).context["report"]
    assert shuffle.called
    forward = list(scenario.q2.notes.values_list("text", flat=True).order_by("pk"))
    shown = [n.text for n in report.notes]
    assert sorted(shown) == sorted(forward)


def test_it_hides_a_stakeholder_group_below_the_minimum(
    bob_client: Client, team: Team
) -> None:
    q2 = make_q2(team, stakeholders=2)
    r = bob_client.get(url(q2))
    html = r.content.decode()
    report = r.context["report"]
    assert not report.stakeholders_visible
    assert [s.label for s in report.visible_groups] == ["Team"]
    assert all(d.stakeholders is None and d.gap is None for d in report.dimensions)
    assert r.context["radar"].headers == ["Team: Q2 retro"]
    assert "Share the roadmap earlier" not in html
    assert "Great demos" not in html
    assert "Their view appears at 3 answers, so it is not shown." in html
    assert "Customer" not in html


def test_it_never_shows_relationship_groups_whose_rest_is_too_small(
    bob_client: Client, team: Team
) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=2)
    for _ in range(3):
        add_response(round, [2, 2])
    for relationship in ["Customer"] * 3 + ["Leadership"]:
        add_response(round, [1, 3], perspective=STAKEHOLDER, relationship=relationship)
    report = bob_client.get(url(round)).context["report"]
    # Customer has 3, but all stakeholders (4) minus Customer would be 1 person.
    assert [s.label for s in report.visible_groups] == ["Team", "Stakeholders"]


def test_it_shows_relationship_groups_that_meet_the_minimum(
    bob_client: Client, team: Team
) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=1)
    for relationship in ["Customer"] * 3 + ["Leadership"] * 3:
        level = 1 if relationship == "Customer" else 3
        add_response(round, [level], perspective=STAKEHOLDER, relationship=relationship)
    r = bob_client.get(url(round))
    groups = r.context["report"].dimensions[0].groups
    assert [(g.label, g.mean) for g in groups] == [
        ("Stakeholders", 2.0),
        ("Stakeholders: Customer", 1.0),
        ("Stakeholders: Leadership", 3.0),
    ]
    line = '<bdi dir="auto">Stakeholders: Customer</bdi>: 3 answered.'
    assert line in r.content.decode()


def test_a_closed_round_below_the_minimum_shows_nothing(
    bob_client: Client, team: Team
) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=2, min_responses=4)
    members = list(User.objects.filter(memberships__team=team))
    for user in [*members, None]:
        add_response(round, [1, 2], notes=[("keep", "Secret note")], by=user)
    r = bob_client.get(url(round))
    html = r.content.decode()
    # Two members answered (and one answer without a member, as a stakeholder-free
    # fixture): the count comes from the roster, never from the answers.
    assert "2 of 2 answered; results appear at 4 answers." in html
    assert "Secret note" not in html
    assert "radar.svg" not in html
    assert "report.csv" not in html
    assert r.context["report"].dimensions == []


def test_an_open_round_shows_progress_only(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.OPEN, dimensions=2)
    for user in User.objects.filter(memberships__team=team):
        add_response(round, [1, 2], notes=[("keep", "Early note")], by=user)
    html = bob_client.get(url(round)).content.decode()
    assert "2 of 2 answered; results appear when the round closes" in html
    assert "Early note" not in html
    assert "radar.svg" not in html


def test_a_draft_round_says_so(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT, dimensions=2)
    assert "has not opened yet" in bob_client.get(url(round)).content.decode()


def test_the_first_round_has_nothing_to_compare(bob_client: Client, team: Team) -> None:
    q2 = make_q2(team)
    r = bob_client.get(url(q2))
    assert r.context["report"].previous is None
    assert "first round with results" in r.content.decode()


def test_it_links_earlier_rounds(bob_client: Client, scenario: Scenario) -> None:
    html = bob_client.get(url(scenario.q2)).content.decode()
    assert url(scenario.q1) in html


def test_it_hides_team_from_outsider(carol_client: Client, scenario: Scenario) -> None:
    assert carol_client.get(url(scenario.q2)).status_code == 404


def test_it_hides_unknown_round(bob_client: Client) -> None:
    r = bob_client.get(
        reverse("reports:round", args=["00000000-0000-4000-8000-000000000000"])
    )
    assert r.status_code == 404


def test_it_hides_report_from_coach_without_share(
    cora_client: Client, scenario: Scenario
) -> None:
    assert cora_client.get(url(scenario.q2)).status_code == 404


def test_it_hides_report_from_coach_with_revoked_share(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    from django.utils import timezone

    CoachShare.objects.create(team=scenario.team, coach=cora, revoked_at=timezone.now())
    assert cora_client.get(url(scenario.q2)).status_code == 404


def test_it_requires_login(client: Client, scenario: Scenario) -> None:
    r = client.get(url(scenario.q2))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login"))


def test_a_coach_sees_scores_without_notes(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    CoachShare.objects.create(team=scenario.team, coach=cora, include_notes=False)
    r = cora_client.get(url(scenario.q2))
    html = r.content.decode()
    assert r.status_code == 200
    # 1 / 2 / 1 has cells of one: outside the team only the median is shown.
    team_view = r.context["report"].dimensions[0].team
    assert team_view.mean is None
    assert team_view.median == 2
    assert "scores only, without notes or comments" in html
    for text in ("Pairing on hard bugs", "Great demos", "We ship every week"):
        assert text not in html
    round_page = reverse("assessments:round", args=[scenario.q2.code])
    assert f'href="{round_page}"' not in html


def test_a_coach_sees_notes_when_shared(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    CoachShare.objects.create(team=scenario.team, coach=cora, include_notes=True)
    html = cora_client.get(url(scenario.q2)).content.decode()
    assert "Pairing on hard bugs" in html
    assert "Round settings" not in html
    assert "Close round" not in html


def _add_round(team: Team, title: str, responses: int) -> Round:
    round = make_round(team, title=title, state=Round.State.CLOSED)
    for i in range(responses):
        add_response(
            round,
            [1 + (i + d) % 3 for d in range(12)],
            checkin="performing",
            comments=["a comment"] * 12,
            notes=[("keep", f"note {i}", 1)],
        )
    for i in range(responses):
        add_response(round, [2] * 12, perspective=STAKEHOLDER, relationship=f"G{i % 2}")
    return round


def test_its_query_count_does_not_grow_with_answers_or_rounds(
    bob_client: Client, team: Team, django_assert_max_num_queries
) -> None:
    first = _add_round(team, "R1", 3)
    second = _add_round(team, "R2", 3)
    # 16: the report also follows up the actions agreed before the round,
    # counts the stakeholder answers by channel (one query), and shows members
    # where the answers came from (two queries, not cached: issue 24 item 5).
    with django_assert_max_num_queries(16) as small:
        bob_client.get(url(second))
    for i in range(6):
        _add_round(team, f"More {i}", 8)
    last = _add_round(team, "Last", 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = bob_client.get(url(last))
    assert r.context["report"].team_responses == 12
    assert first != last


def test_identical_notes_are_shown_once_with_their_count(
    bob_client: Client, team: Team
) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=1)
    for note in ("Pairing", "Pairing ", "Pairing", "Mob on Fridays"):
        add_response(round, [2], notes=[("keep", note)])
    r = bob_client.get(url(round))
    notes = sorted((n.text, n.count) for n in r.context["report"].notes)
    assert notes == [("Mob on Fridays", 1), ("Pairing", 3)]
    assert "3 people" in r.content.decode()


def test_it_rejects_post(bob_client: Client, scenario: Scenario) -> None:
    assert bob_client.post(url(scenario.q2)).status_code == 405


def test_it_hides_check_ins_that_fewer_than_the_minimum_gave(
    bob_client: Client, team: Team
) -> None:
    # Three answers, one with a check-in: its distribution and reason would be hers.
    round = make_round(team, state=Round.State.CLOSED, dimensions=3)
    add_response(
        round, [2, 2, 2], checkin="underperforming", checkin_reason="Too many fires"
    )
    add_response(round, [2, 2, 2], notes=[("keep", "Pairing on hard bugs")])
    add_response(round, [2, 2, 2])
    r = bob_client.get(url(round))
    report = r.context["report"]
    assert report.team_visible
    assert report.checkins == []
    assert report.checkin_reasons == []
    assert "Pairing on hard bugs" in r.text
    assert "Overall check-in" not in r.text
    assert "Too many fires" not in r.text
    csv = bob_client.get(reverse("reports:csv", args=[round.code])).text
    assert ",checkin," not in csv
