"""A team's whole history as JSON: /teams/<code>/overview/history.json."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Action, Round, RoundMetric
from teams.models import CoachShare, Team
from tests.conftest import client_for
from tests.factories import add_response, make_round
from tests.reports.conftest import Scenario, make_q2

# Sign-in and access, the rounds, their figures (3), the member count, the texts
# (3), the actions and the metrics: the same for any number of rounds.
QUERIES = 14


def url(team: Team) -> str:
    return reverse("reports:history_json", args=[team.code])


def history(client: Client, team: Team) -> dict[str, Any]:
    r = client.get(url(team))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    return json.loads(r.content)


def by_title(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["title"]: r for r in data["rounds"]}


def test_it_holds_every_round_with_hand_computed_figures(
    bob_client: Client, scenario: Scenario
) -> None:
    r = bob_client.get(url(scenario.team))
    assert r["Content-Disposition"] == (
        'attachment; filename="team-mirror-alpha-history.json"'
    )
    data = history(bob_client, scenario.team)
    assert data["format"] == "team-mirror-history/1"
    assert data["team"]["name"] == "Alpha"
    assert [r["title"] for r in data["rounds"]] == ["Q1 retro", "Q2 retro"]
    q2 = by_title(data)["Q2 retro"]
    assert q2["results_shown"] is True
    assert q2["previous_round"] == str(scenario.q1.code)
    assert {(g["group"], g["responses"]) for g in q2["groups"]} == {
        ("Team", 4),
        ("Stakeholders", 3),
    }
    dim1, dim2, dim3 = q2["dimensions"]
    assert dim1["name"] == "Collaboration & Communication"
    team1 = dim1["groups"][0]
    assert team1["group"] == "Team"
    assert team1["levels"] == {"not_meeting": 1, "meeting": 2, "exceeding": 1}
    assert team1["mean"] == 2.0
    assert team1["median"] == 2.0
    assert round(team1["agreement"], 3) == 0.5
    assert round(dim1["groups"][1]["mean"], 3) == 1.333
    assert round(dim1["team_minus_stakeholders"], 3) == 0.667
    assert dim1["gap_kind"] == "blind_spot"
    assert round(dim2["team_minus_stakeholders"], 3) == -0.5
    # dim 3: two levels given by the team, hidden
    team3 = dim3["groups"][0]
    assert (team3["levels"], team3["mean"], team3["dont_know"]) == (None, None, 2)
    assert q2["checkins"][0]["counts"] == {
        "underperforming": 1,
        "performing": 2,
        "high-performing": 1,
        "no_answer": 0,
    }
    assert sorted((n["kind"], n["perspective"], n["text"]) for n in q2["notes"]) == [
        ("keep", "Team", "Pairing on hard bugs"),
        ("start", "Stakeholders", "Share the roadmap earlier"),
        ("start", "Team", "Writing ADRs"),
        ("stop", "Team", "Friday deploys"),
    ]
    assert {c["text"] for c in q2["comments"]} == {"Standups help", "Great demos"}
    assert q2["checkin_reasons"] == [
        {"perspective": "Team", "text": "We ship every week"}
    ]
    assert q2["actions"] == []
    assert q2["metrics"] == []


def test_it_leaves_out_groups_and_rounds_below_the_minimum(
    bob_client: Client, team: Team
) -> None:
    make_q2(team, stakeholders=2)
    small = make_round(team, title="Small", state=Round.State.CLOSED, dimensions=2)
    for _ in range(2):
        add_response(small, [1, 2], notes=[("keep", "Just us two")])
    open_round = make_round(team, title="Open", dimensions=2)
    for _ in range(3):
        add_response(open_round, [3, 3], notes=[("keep", "Still open")])
    content = bob_client.get(url(team)).content.decode()
    for secret in ("Share the roadmap earlier", "Great demos", "Customer"):
        assert secret not in content
    for secret in ("Just us two", "Still open"):
        assert secret not in content
    rounds = by_title(json.loads(content))
    assert {g["group"] for g in rounds["Q2 retro"]["groups"]} == {"Team"}
    assert all(
        g["perspective"] == "team"
        for d in rounds["Q2 retro"]["dimensions"]
        for g in d["groups"]
    )
    for title in ("Small", "Open"):
        assert rounds[title]["results_shown"] is False
        assert rounds[title]["dimensions"] == rounds[title]["notes"] == []
        assert rounds[title]["groups"] == []


def test_it_keeps_unicode_as_written(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=1)
    for _ in range(3):
        add_response(round, [2], notes=[("keep", "שלום 🎉")])
    r = bob_client.get(url(team))
    assert "שלום 🎉".encode() in r.content


def test_it_hides_team_from_outsider(carol_client: Client, scenario: Scenario) -> None:
    assert carol_client.get(url(scenario.team)).status_code == 404


def test_a_coach_gets_404_even_with_a_share(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    CoachShare.objects.create(team=scenario.team, coach=cora, include_notes=True)
    assert cora_client.get(url(scenario.team)).status_code == 404


def test_it_rejects_post(bob_client: Client, scenario: Scenario) -> None:
    assert bob_client.post(url(scenario.team)).status_code == 405


def test_it_holds_actions_and_metrics_with_their_round(
    bob_client: Client, scenario: Scenario
) -> None:
    q2 = scenario.q2
    Action.objects.create(
        team=scenario.team,
        round=q2,
        dimension=q2.dimensions.order_by("position").first(),
        text="Pair on every bug",
    )
    RoundMetric.objects.create(
        round=q2, kind="lead_time", name="Lead time", value=Decimal("3.50"), unit="days"
    )
    rounds = by_title(history(bob_client, scenario.team))
    assert rounds["Q1 retro"]["actions"] == rounds["Q1 retro"]["metrics"] == []
    (action,) = rounds["Q2 retro"]["actions"]
    assert (action["text"], action["dimension"], action["state"]) == (
        "Pair on every bug",
        "Collaboration & Communication",
        "open",
    )
    assert rounds["Q2 retro"]["metrics"] == [
        {
            "kind": "lead_time",
            "name": "Lead time",
            "value": 3.5,
            "unit": "days",
            "note": "",
        }
    ]


def _rounds_with_everything(team: Team, count: int) -> None:
    for i in range(count):
        r = make_round(team, title=f"R{i}", state=Round.State.CLOSED, dimensions=3)
        for _ in range(3):
            add_response(
                r,
                [1, 2, 3],
                checkin="performing",
                checkin_reason="Because",
                comments=["A comment"],
                notes=[("keep", f"Note {i}", 1)],
            )
        Action.objects.create(
            team=team,
            round=r,
            dimension=r.dimensions.order_by("position").first(),
            text=f"Action {i}",
        )
        RoundMetric.objects.create(
            round=r, kind="lead_time", name="Lead time", value=Decimal(i), unit="days"
        )


@pytest.mark.parametrize("rounds", [1, 5])
def test_its_queries_do_not_grow_with_the_rounds(
    bob_client: Client,
    team: Team,
    rounds: int,
    django_assert_max_num_queries: Any,
) -> None:
    _rounds_with_everything(team, rounds)
    with django_assert_max_num_queries(QUERIES):
        data = history(bob_client, team)
    assert len(data["rounds"]) == rounds
    assert all(r["results_shown"] for r in data["rounds"])
    assert {n["text"] for r in data["rounds"] for n in r["notes"]} == {
        f"Note {i}" for i in range(rounds)
    }
    assert all(len(r["actions"]) == len(r["metrics"]) == 1 for r in data["rounds"])


def test_one_round_and_five_cost_the_same_queries(
    bob_client: Client, team: Team, other_team: Team
) -> None:
    counts = []
    for t, rounds in ((team, 1), (other_team, 5)):
        _rounds_with_everything(t, rounds)
        client = bob_client if t == team else client_for(t.memberships.get().user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(t)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
