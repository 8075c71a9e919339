"""The read-only API on hand-computed data (tests/reports/conftest.py): the same
figures, texts and hidden groups as the report, a token reads its own team only."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone

from api.models import ApiToken
from assessments.models import Action, Round, RoundMetric
from teams.models import Team
from tests.api.conftest import ApiClient, Token, make_token
from tests.factories import add_response, make_round
from tests.reports.conftest import Scenario, make_q2


def data(r: object) -> object:
    assert r.status_code == 200, r.content  # type: ignore[attr-defined]
    assert r["Content-Type"].startswith("application/json")  # type: ignore[index]
    return json.loads(r.content)  # type: ignore[attr-defined]


def test_the_team(api_client: ApiClient, team: Team) -> None:
    assert data(api_client.get(f"/teams/{team.code}")) == {
        "code": str(team.code),
        "name": "Alpha",
        "description": "The alpha team",
    }


def test_the_rounds_oldest_first_without_drafts(
    api_client: ApiClient, scenario: Scenario
) -> None:
    make_round(scenario.team, title="Next", state=Round.State.DRAFT)
    rounds = data(api_client.get(f"/teams/{scenario.team.code}/rounds"))
    assert [(r["title"], r["results_shown"]) for r in rounds] == [
        ("Q1 retro", True),
        ("Q2 retro", True),
    ]
    assert rounds[1]["previous_round"] == str(scenario.q1.code)
    assert rounds[1]["min_responses"] == 3


def test_a_rounds_figures_are_the_reports(
    api_client: ApiClient, scenario: Scenario
) -> None:
    q2 = data(
        api_client.get(f"/teams/{scenario.team.code}/rounds/{scenario.q2.code}/figures")
    )
    assert q2["round"]["title"] == "Q2 retro"
    assert {(g["group"], g["responses"]) for g in q2["groups"]} == {
        ("Team", 4),
        ("Stakeholders", 3),
    }
    dim1, dim2, dim3 = q2["dimensions"]
    team1 = dim1["groups"][0]
    assert team1["group"] == "Team"
    assert team1["levels"] == {"not_meeting": 1, "meeting": 2, "exceeding": 1}
    assert (team1["mean"], team1["median"], team1["agreement"]) == (2.0, 2.0, 0.5)
    assert round(dim1["team_minus_stakeholders"], 3) == 0.667
    assert dim1["gap_kind"] == "blind_spot"
    assert round(dim2["team_minus_stakeholders"], 3) == -0.5
    # Two levels given by the team: below the minimum, hidden.
    team3 = dim3["groups"][0]
    assert (team3["levels"], team3["mean"], team3["dont_know"]) == (None, None, 2)
    assert [c["group"] for c in dim1["changes"]] == ["Team"]
    assert q2["checkins"][0]["counts"] == {
        "underperforming": 1,
        "performing": 2,
        "high-performing": 1,
        "no_answer": 0,
    }
    # Customer (2) and Leadership (1) are each below the minimum.
    assert "Customer" not in json.dumps(q2)
    assert "Leadership" not in json.dumps(q2)


def test_a_rounds_notes(api_client: ApiClient, scenario: Scenario) -> None:
    notes = data(
        api_client.get(f"/teams/{scenario.team.code}/rounds/{scenario.q2.code}/notes")
    )
    assert sorted((n["kind"], n["perspective"], n["text"]) for n in notes["notes"]) == [
        ("keep", "Team", "Pairing on hard bugs"),
        ("start", "Stakeholders", "Share the roadmap earlier"),
        ("start", "Team", "Writing ADRs"),
        ("stop", "Team", "Friday deploys"),
    ]
    assert {c["text"] for c in notes["comments"]} == {"Standups help", "Great demos"}
    assert notes["checkin_reasons"] == [
        {"perspective": "Team", "text": "We ship every week"}
    ]


def test_a_rounds_actions_and_metrics(
    api_client: ApiClient, scenario: Scenario
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
    base = f"/teams/{scenario.team.code}/rounds"
    assert data(api_client.get(f"{base}/{scenario.q1.code}/actions"))["actions"] == []
    got = data(api_client.get(f"{base}/{q2.code}/actions"))
    (action,) = got["actions"]
    assert (action["text"], action["dimension"], action["state"]) == (
        "Pair on every bug",
        "Collaboration & Communication",
        "open",
    )
    assert got["metrics"] == [
        {
            "kind": "lead_time",
            "name": "Lead time",
            "value": 3.5,
            "unit": "days",
            "note": "",
        }
    ]


def test_below_the_minimum_and_while_open_nothing_shows(
    api_client: ApiClient, team: Team
) -> None:
    make_q2(team, stakeholders=2)
    small = make_round(team, title="Small", state=Round.State.CLOSED, dimensions=2)
    for _ in range(2):
        add_response(small, [1, 2], notes=[("keep", "Just us two")])
    open_round = make_round(team, title="Open", dimensions=2)
    for _ in range(3):
        add_response(open_round, [3, 3], notes=[("keep", "Still open")])
    base = f"/teams/{team.code}/rounds"
    everything = (
        "".join(
            api_client.get(f"{base}/{r.code}/{part}").content.decode()
            for r in Round.objects.filter(team=team)
            for part in ("figures", "notes", "actions")
        )
        + api_client.get(base).content.decode()
    )
    for secret in ("Share the roadmap earlier", "Great demos", "Customer"):
        assert secret not in everything
    for secret in ("Just us two", "Still open"):
        assert secret not in everything
    for r in (small, open_round):
        figures = data(api_client.get(f"{base}/{r.code}/figures"))
        assert figures["round"]["results_shown"] is False
        assert figures["dimensions"] == figures["groups"] == []
        assert data(api_client.get(f"{base}/{r.code}/notes"))["notes"] == []


@pytest.mark.parametrize("header", [None, "Bearer tm_wrong", "Bearer ", "Basic x"])
def test_a_missing_or_wrong_token_is_401(team: Team, header: str | None) -> None:
    client = ApiClient(None)
    headers = {"Authorization": header} if header else {}
    r = client.client.get(f"/api/teams/{team.code}", headers=headers)
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == "Bearer"
    assert json.loads(r.content) == {"detail": "A valid API token is needed."}


def test_a_revoked_token_looks_like_a_wrong_one(token: Token, team: Team) -> None:
    ApiToken.objects.filter(pk=token.token.pk).update(revoked_at=timezone.now())
    revoked = ApiClient(token.secret).get(f"/teams/{team.code}")
    wrong = ApiClient("tm_" + "x" * 43).get(f"/teams/{team.code}")
    assert revoked.status_code == wrong.status_code == 401
    assert revoked.content == wrong.content


def test_another_teams_code_looks_like_an_unknown_one(
    api_client: ApiClient, scenario: Scenario, other_team: Team, carol: User
) -> None:
    theirs = make_round(other_team, title="Theirs", state=Round.State.CLOSED)
    for _ in range(3):
        add_response(theirs, [2] * theirs.dimensions.count())
    unknown = "00000000-0000-4000-8000-000000000000"
    for path, known in [
        ("/teams/{}", other_team.code),
        ("/teams/{}/rounds", other_team.code),
        (f"/teams/{scenario.team.code}/rounds/{{}}/figures", theirs.code),
        (f"/teams/{scenario.team.code}/rounds/{{}}/notes", theirs.code),
    ]:
        real = api_client.get(path.format(known))
        made_up = api_client.get(path.format(unknown))
        assert real.status_code == made_up.status_code == 404
        assert real.content == made_up.content
        assert b"Other" not in real.content
    # Carol's own token does not read Alpha either.
    carols = ApiClient(make_token(other_team, carol).secret)
    assert carols.get(f"/teams/{scenario.team.code}").status_code == 404


def test_a_draft_round_is_not_found(api_client: ApiClient, team: Team) -> None:
    draft = make_round(team, title="Draft", state=Round.State.DRAFT)
    r = api_client.get(f"/teams/{team.code}/rounds/{draft.code}/figures")
    assert r.status_code == 404


def test_a_round_past_its_closing_date_shows_without_being_saved(
    api_client: ApiClient, team: Team
) -> None:
    due = make_round(team, title="Due", dimensions=1)
    for _ in range(3):
        add_response(due, [2])
    Round.objects.filter(pk=due.pk).update(closes_at=timezone.now() - timedelta(1))
    figures = data(api_client.get(f"/teams/{team.code}/rounds/{due.code}/figures"))
    assert figures["round"]["results_shown"] is True
    stored = Round.objects.filter(pk=due.pk).values_list("state", flat=True).get()
    assert stored == Round.State.OPEN


@override_settings(RATELIMIT_API="3/60")
def test_it_is_rate_limited(api_client: ApiClient, team: Team) -> None:
    for _ in range(3):
        assert api_client.get(f"/teams/{team.code}").status_code == 200
    r = api_client.get(f"/teams/{team.code}")
    assert r.status_code == 429
    assert 0 < int(r["Retry-After"]) <= 60
    # Wrong tokens count too: guessing is as slow as reading.
    assert ApiClient("tm_guess").get(f"/teams/{team.code}").status_code == 429


def test_it_is_read_only(api_client: ApiClient, team: Team) -> None:
    r = api_client.client.post(
        f"/api/teams/{team.code}",
        headers={"Authorization": f"Bearer {api_client.secret}"},
    )
    assert r.status_code == 405


@pytest.mark.parametrize("count", [1, 5])
def test_the_rounds_cost_the_same_queries_for_any_number(
    api_client: ApiClient, team: Team, count: int, django_assert_max_num_queries: Any
) -> None:
    for i in range(count):
        r = make_round(team, title=f"R{i}", state=Round.State.CLOSED, dimensions=2)
        for _ in range(3):
            add_response(r, [1, 2])
    # The token and its team, the rounds, their figures (3), the turnout from the
    # rounds' rosters (2: their sizes, and who answered each for the comparisons).
    with django_assert_max_num_queries(7):
        rounds = data(api_client.get(f"/teams/{team.code}/rounds"))
    assert [r["title"] for r in rounds] == [f"R{i}" for i in range(count)]
    assert all(r["results_shown"] for r in rounds)
