"""Release once, then freeze, for every aggregate (issue 11 item 2,
``reports.frozen``): a reopen's batch holds at least the minimum of answers, but a
smaller aggregate inside it (a relationship group, a dimension some answered
"don't know" to, a check-in some skipped) must not move by fewer than the minimum.
Each attack below changed a published figure by one answer before."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import Response, Round
from assessments.services import Answers, RatingAnswer
from reports.assembly import RoundReport, build_round_report
from reports.history import round_data
from reports.selectors import team_rounds
from teams.models import Membership, Team
from tests.conftest import make_user
from tests.factories import make_round


def _answers(round: Round, *levels: int | None, checkin: str = "") -> Answers:
    dims = list(round.dimensions.order_by("position"))
    return Answers(
        ratings=[RatingAnswer(d, level) for d, level in zip(dims, levels, strict=True)],
        checkin=checkin,
    )


def _stakeholder(round: Round, relationship: str, level: int) -> None:
    services.response_submit(
        round=round,
        perspective=Response.Perspective.STAKEHOLDER,
        relationship=relationship,
        answers=_answers(round, level, level),
    )


def _report(round: Round) -> RoundReport:
    return build_round_report(round, rounds=team_rounds(round.team), show_notes=True)


def _members(team: Team, n: int) -> list[User]:
    for i in range(n):
        Membership.objects.create(team=team, user=make_user(f"member{i}"))
    return list(User.objects.filter(memberships__team=team).order_by("username"))


def test_one_new_stakeholder_in_a_group_is_not_its_change(
    team: Team, alice: User, bob_client: Client
) -> None:
    round = make_round(team, dimensions=2)
    for relationship in ("Leadership", "Customer"):
        for _ in range(3):
            _stakeholder(round, relationship, 2)
    services.round_close(round=round, actor=alice)
    before = _report(round)
    assert {g.label for g in before.visible_groups} == {
        "Stakeholders",
        "Stakeholders: Leadership",
        "Stakeholders: Customer",
    }
    # The attack: reopen, the new boss and two customers answer, close.
    services.round_open(round=round, actor=alice)
    _stakeholder(round, "Leadership", 3)
    _stakeholder(round, "Customer", 1)
    _stakeholder(round, "Customer", 1)
    services.round_close(round=round, actor=alice)
    after = _report(round)
    assert after.stakeholder_responses == 9  # the batch of three is in
    assert [g.label for g in after.visible_groups] == ["Stakeholders"]
    assert all(not g.relationship for d in after.dimensions for g in d.groups)
    assert all(not row.relationship for row in after.checkins)
    assert after.regrouped
    page = bob_client.get(reverse("reports:round", args=[round.code])).content
    assert b"no longer shown by relationship" in page
    assert b"Leadership" not in page
    round_page = bob_client.get(reverse("assessments:round", args=[round.code]))
    assert b"Leadership" not in round_page.content
    assert b"no longer shown by relationship" in round_page.content
    groups = {g["group"] for g in round_data(after)["groups"]}
    assert groups == {"Stakeholders"}


def test_a_dimension_two_of_three_did_not_rate_stays_as_published(
    team: Team, alice: User
) -> None:
    members = _members(team, 4)  # alice, bob and four more
    round = make_round(team, dimensions=2)
    for user in members[:3]:
        services.member_response_submit(
            round=round, user=user, answers=_answers(round, 2, 2)
        )
    services.round_close(round=round, actor=alice)
    before = _report(round)
    services.round_open(round=round, actor=alice)
    # Two of the three new members say "don't know" to the first dimension: its
    # mean over 4 would be (2+2+2+x)/4, telling the third one's x.
    services.member_response_submit(
        round=round, user=members[3], answers=_answers(round, None, 3)
    )
    services.member_response_submit(
        round=round, user=members[4], answers=_answers(round, None, 3)
    )
    services.member_response_submit(
        round=round, user=members[5], answers=_answers(round, 3, 3)
    )
    services.round_close(round=round, actor=alice)
    after = _report(round)
    assert after.team_responses == 6
    first, second = after.dimensions
    assert first.team is not None
    assert second.team is not None
    assert (first.team.rated, first.team.answers, first.team.mean) == (3, 3, 2.0)
    assert first.team.levels == before.dimensions[0].team.levels  # type: ignore[union-attr]
    assert (second.team.rated, second.team.mean) == (6, 2.5)  # three more: shown


def test_a_check_in_one_of_three_gave_is_not_counted(team: Team, alice: User) -> None:
    members = _members(team, 4)
    round = make_round(team, dimensions=2)
    for user in members[:3]:
        services.member_response_submit(
            round=round, user=user, answers=_answers(round, 2, 2, checkin="performing")
        )
    services.round_close(round=round, actor=alice)
    (before,) = [r for r in _report(round).checkins if r.perspective == "team"]
    services.round_open(round=round, actor=alice)
    services.member_response_submit(
        round=round,
        user=members[3],
        answers=_answers(round, 2, 2, checkin="underperforming"),
    )
    for user in members[4:6]:
        services.member_response_submit(
            round=round, user=user, answers=_answers(round, 2, 2)
        )
    services.round_close(round=round, actor=alice)
    (after,) = [r for r in _report(round).checkins if r.perspective == "team"]
    counts = {label: n for label, n, _pct in after.counts}
    assert counts == {
        "Underperforming": 0,
        "Performing": 3,
        "High-performing": 0,
        "No answer": 3,
    }
    assert [n for _l, n, _p in before.counts][:3] == [0, 3, 0]


def test_the_coach_sees_the_same_frozen_figures(cora: User) -> None:
    """The coach's pages count in the database; they follow the same rule."""
    from assessments.packed import unpack_levels
    from coach import selectors as coach_selectors
    from tests.coach.conftest import shared_team
    from tests.factories import add_response

    team = shared_team("Beta", cora)
    round = make_round(team, state=Round.State.CLOSED, dimensions=2)
    for _ in range(3):
        add_response(round, [2, 2], checkin="performing")
    add_response(round, [None, 3], checkin="underperforming", release=2)
    add_response(round, [None, 3], release=2)
    add_response(round, [3, 3], release=2)
    rows = coach_selectors.dashboard_rows(cora)
    # (builtin, level 1, level 2, level 3): the first batch only for the first
    # dimension (its later answers were "don't know"), all six for the second.
    tallies = sorted(unpack_levels(rows.levels["team"][round.pk]))
    assert [levels[1:] for levels in tallies] == [(0, 3, 0), (0, 3, 3)]
    assert rows.checkins[round.pk] == (0, 3, 0)


def test_the_batch_rule() -> None:
    from assessments import disclosure

    assert disclosure.batches_taken({1: 3}, 3) == 1
    assert disclosure.batches_taken({1: 3, 2: 1}, 3) == 1  # one more: frozen
    assert disclosure.batches_taken({1: 3, 2: 1, 3: 2}, 3) == 3  # three more
    assert disclosure.batches_taken({1: 3, 2: 0}, 3) == 2  # none more: the same
    assert disclosure.batches_taken({1: 2, 2: 1}, 3) == 2  # shown first at three
    assert disclosure.batches_taken({1: 4, 2: 3}, 4) == 1  # the round's minimum
