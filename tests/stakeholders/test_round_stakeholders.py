"""The stakeholder part of the round page (_round_stakeholders.html)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import Channel, Response, Round
from assessments.services import Answers, RatingAnswer
from teams.models import Team
from tests.factories import add_response, make_round


def _stakeholders(round: Round, *relationships: str) -> None:
    for relationship in relationships:
        add_response(
            round,
            [2, 2, 2],
            perspective=Response.Perspective.STAKEHOLDER,
            relationship=relationship,
        )


def test_members_see_participation_per_group(bob_client: Client, round: Round) -> None:
    _stakeholders(round, *["Leadership"] * 3, *["Customer"] * 4, "Adjacent team")
    add_response(round, [1, 1, 1])  # a team member's answer is not a stakeholder's
    r = bob_client.get(f"/rounds/{round.code}/")
    assert r.status_code == 200
    assert "8 stakeholders have answered." in r.text
    assert (
        '<th scope="row" class="fw-normal"><bdi dir="auto">Customer</bdi></th>'
        '<td class="text-end">4</td>' in (r.text)
    )
    # Leadership has 3, but 8 - 4 - 3 would leave the one "Adjacent team" answer:
    # the smaller group is hidden too, and the page says why.
    assert "Leadership" not in r.text
    assert "Adjacent team" not in r.text  # one answer: not shown, not merged
    assert "Some relationships are not shown although they have enough" in r.text
    assert "/stakeholders/" not in r.text  # no management link for members


def test_turnout_attack_fails(bob_client: Client, round: Round) -> None:
    """Issue 11: with 3 from Leadership and 1 Customer the page said "Leadership 3"
    next to "4 stakeholders have answered": 4 - 3 = 1."""
    _stakeholders(round, *["Leadership"] * 3, "Customer")
    r = bob_client.get(f"/rounds/{round.code}/")
    assert "4 stakeholders have answered." in r.text
    assert "Leadership" not in r.text
    assert "the total minus them would tell how fewer than 3" in r.text


def test_groups_follow_the_round_minimum(bob_client: Client, team: Team) -> None:
    round = make_round(team, min_responses=5, dimensions=3)
    _stakeholders(round, *["Customer"] * 4)
    r = bob_client.get(f"/rounds/{round.code}/")
    assert "4 stakeholders have answered." in r.text
    assert "Customer" not in r.text
    # No group is shown, so there is no "other" group either.
    assert "Per relationship: fewer than 5 answers each, not shown." in r.text
    assert "Other groups" not in r.text


def test_no_hidden_group_note_when_all_are_shown(
    bob_client: Client, round: Round
) -> None:
    _stakeholders(round, *["Customer"] * 3)
    r = bob_client.get(f"/rounds/{round.code}/")
    assert "Other groups" not in r.text


def test_facilitators_get_the_management_link(
    alice_client: Client, round: Round
) -> None:
    r = alice_client.get(f"/rounds/{round.code}/")
    assert "0 stakeholders have answered." in r.text
    assert f'href="/rounds/{round.code}/stakeholders/">Invite stakeholders' in r.text


def test_draft_round_has_only_a_hint_for_facilitators(
    alice_client: Client, bob_client: Client, team: Team
) -> None:
    draft = make_round(team, state=Round.State.DRAFT)
    r = alice_client.get(f"/rounds/{draft.code}/")
    assert "Once the round is open you can invite stakeholders" in r.text
    assert "stakeholders have answered" not in r.text
    r = bob_client.get(f"/rounds/{draft.code}/")
    assert "invite stakeholders" not in r.text


def test_query_count_does_not_grow_with_answers(
    bob_client: Client, round: Round
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert bob_client.get(f"/rounds/{round.code}/").status_code == 200
        return len(captured)

    _stakeholders(round, "Customer")
    few = queries()
    _stakeholders(round, *[f"Group {n % 7}" for n in range(40)])
    assert queries() == few


def test_sealed_answers_of_an_open_round_count_in_the_turnout(
    bob_client: Client, round: Round
) -> None:
    """While the round is open every answer is still sealed; the page counts them."""
    dims = list(round.dimensions.all())
    for channel in (Channel.LINK, Channel.LINK, Channel.INVITATION):
        services.response_submit(
            round=round,
            perspective=Response.Perspective.STAKEHOLDER,
            relationship="Customer",
            channel=channel,
            answers=Answers(ratings=[RatingAnswer(d, 2, "") for d in dims]),
        )
    assert round.responses.count() == 0  # nothing released yet
    r = bob_client.get(f"/rounds/{round.code}/")
    assert "3 stakeholders have answered." in r.text
    assert "Customer" not in r.text  # relationships only with the results
