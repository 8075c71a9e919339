"""The API withholds a comparison with the previous round exactly where the report
does (issue 11 item 1): ``previous_round`` is null and ``comparison_withheld`` says
why; ``stakeholder_comparison_withheld`` for the stakeholders' part."""

from __future__ import annotations

from django.contrib.auth.models import User

from assessments.models import Round
from teams.models import Membership, Team
from tests.api.conftest import ApiClient
from tests.conftest import make_user
from tests.factories import add_response, make_round


def _round(
    team: Team, title: str, answers: dict[User, int], stakeholders: int
) -> Round:
    round = make_round(team, title=title, state=Round.State.CLOSED, dimensions=2)
    for user, level in answers.items():
        add_response(round, [level] * 2, by=user)
    for _ in range(stakeholders):
        add_response(round, [2, 2], perspective="stakeholder")
    return round


def _join(team: Team, name: str) -> User:
    user = make_user(name)
    Membership.objects.create(team=team, user=user)
    return user


def test_a_withheld_comparison_is_null_with_its_reason(
    api_client: ApiClient, team: Team, alice: User, bob: User
) -> None:
    dan = _join(team, "dan")
    _round(team, "Q1", {alice: 2, bob: 2, dan: 2}, stakeholders=0)
    erin = _join(team, "erin")
    q2 = _round(team, "Q2", {alice: 2, bob: 2, dan: 2, erin: 3}, stakeholders=0)
    rounds = api_client.get(f"/teams/{team.code}/rounds").json()
    assert rounds[1]["previous_round"] is None
    assert rounds[1]["comparison_withheld"]["code"] == "members_answered_one_round"
    figures = api_client.get(f"/teams/{team.code}/rounds/{q2.code}/figures").json()
    assert figures["round"]["previous_round"] is None
    assert figures["round"]["comparison_withheld"]["reason"].startswith(
        "Not compared with the previous round: 1 member answered"
    )
    assert all(d["changes"] == [] for d in figures["dimensions"])


def test_the_stakeholders_part_alone_can_be_withheld(
    api_client: ApiClient, team: Team, alice: User, bob: User
) -> None:
    dan = _join(team, "dan")
    q1 = _round(team, "Q1", {alice: 1, bob: 1, dan: 1}, stakeholders=3)
    q2 = _round(team, "Q2", {alice: 2, bob: 2, dan: 2}, stakeholders=5)
    summary = api_client.get(f"/teams/{team.code}/rounds/{q2.code}").json()
    assert summary["previous_round"] == str(q1.code)
    assert summary["comparison_withheld"] is None
    assert summary["stakeholder_comparison_withheld"]["code"] == (
        "stakeholder_counts_differ"
    )
    figures = api_client.get(f"/teams/{team.code}/rounds/{q2.code}/figures").json()
    groups = {c["group"] for d in figures["dimensions"] for c in d["changes"]}
    assert groups == {"Team"}


def test_the_schema_documents_the_reason(api_client: ApiClient) -> None:
    schema = api_client.get("/openapi.json").json()
    fields = schema["components"]["schemas"]["RoundOut"]["properties"]
    assert {"comparison_withheld", "stakeholder_comparison_withheld"} <= set(fields)
    assert "WithheldOut" in schema["components"]["schemas"]
