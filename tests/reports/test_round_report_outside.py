"""A coach reads a team's report from outside the team: tallies that would tell
people's answers are masked (disclosure rule 4); the team keeps its own."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from assessments.models import Round
from teams.models import Team
from teams.services import coach_share_grant
from tests.factories import add_response, make_round


def _round(team: Team) -> Round:
    round = make_round(team, state=Round.State.CLOSED, dimensions=2)
    # dimension 1: 3 / 3 / 0 may be shown; dimension 2: 5 at 3 and 1 at 1 may not.
    for levels, checkin in [([1, 3], "performing")] * 3 + [([2, 3], "performing")] * 2:
        add_response(round, levels, checkin=checkin)
    add_response(round, [2, 1], checkin="underperforming")
    return round


def test_coach_sees_the_median_instead_of_a_telling_tally(
    team: Team, alice: User, cora: User, cora_client: Client, bob_client: Client
) -> None:
    round = _round(team)
    coach_share_grant(team=team, coach=cora, include_notes=False, actor=alice)
    url = f"/rounds/{round.code}/report/"
    coach = cora_client.get(url)
    assert coach.status_code == 200
    dims = coach.context["report"].dimensions
    first, second = (d.team for d in dims)
    assert first is not None
    assert second is not None
    assert first.levels == [3, 3, 0]
    assert not first.masked
    assert second.masked
    assert second.levels is None
    assert second.mean is None
    assert second.median == 3
    assert "Not shown outside the team" in coach.text
    # The check-in tally 1 / 5 / 0 tells the one "underperforming": not shown.
    assert coach.context["report"].checkins == []
    member = bob_client.get(url)
    team_view = member.context["report"].dimensions[1].team
    assert team_view.levels == [1, 0, 5]
    assert not team_view.masked
    assert "Not shown outside the team" not in member.text
    assert member.context["report"].checkins


def test_coach_csv_has_no_telling_tally(
    team: Team, alice: User, cora: User, cora_client: Client
) -> None:
    round = _round(team)
    coach_share_grant(team=team, coach=cora, include_notes=False, actor=alice)
    csv = cora_client.get(f"/rounds/{round.code}/report/report.csv").content.decode()
    second = [line for line in csv.splitlines() if ",dimension," in line]
    assert any(",not_meeting,3" in line for line in second)  # dimension 1 shown
    assert ",checkin," not in csv
    assert sum(",exceeding," in line for line in second) == 1
