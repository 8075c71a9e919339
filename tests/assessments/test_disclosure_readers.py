"""One table of small groups, fed to every reader: they all show the same groups.

Readers: the report's figures (``reports.figures``), the turnout on the round
page and the facilitator's stakeholder page, the report page, its CSV and PDF text,
the round page's notes, and the coach's heatmaps. The expected column is written
by hand from the rules in ``docs/anonymity.md``; every reader must agree with it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from assessments.models import Response, Round
from coach import patterns
from coach import selectors as coach_selectors
from reports import figures, pdf
from reports.assembly import build_round_report
from reports.selectors import fetch_response_rows, team_rounds
from stakeholders.services import turnout
from teams.models import Team
from teams.services import coach_share_grant
from tests.factories import add_response, make_round


@dataclass(frozen=True)
class Case:
    name: str
    minimum: int
    team: int
    stakeholders: dict[str, int]  # relationship -> answers; "" = not given
    team_shown: bool
    stakeholders_shown: bool
    groups_shown: frozenset[str]


CASES = [
    Case("4 - 3 = 1", 3, 3, {"Leadership": 3, "Customer": 1}, True, True, frozenset()),
    Case("two full groups", 3, 2, {"Leadership": 3, "Customer": 3}, False, True,
         frozenset({"Leadership", "Customer"})),
    Case("hide the smaller", 3, 4, {"Leadership": 3, "Customer": 4, "Peer": 1},
         True, True, frozenset({"Customer"})),
    Case("unlabelled rest too small", 4, 4, {"Leadership": 4, "": 2}, True, True,
         frozenset()),
    Case("unlabelled rest enough", 3, 3, {"Leadership": 3, "": 3}, True, True,
         frozenset({"Leadership"})),
    Case("below the minimum", 3, 3, {"Leadership": 2}, True, False, frozenset()),
]  # fmt: skip


def _round(team: Team, case: Case) -> Round:
    round = make_round(
        team, state=Round.State.CLOSED, min_responses=case.minimum, dimensions=3
    )
    for _ in range(case.team):
        add_response(round, [2, 3, 1], checkin="performing", notes=[("keep", "K")])
    for relationship, n in case.stakeholders.items():
        for _ in range(n):
            add_response(
                round,
                [1, 2, 3],
                perspective=Response.Perspective.STAKEHOLDER,
                relationship=relationship,
                checkin="performing",
            )
    return round


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_reader_shows_the_same_groups(
    case: Case, team: Team, alice: User, cora: User, alice_client: Client
) -> None:
    round = _round(team, case)
    labelled = {name for name in case.stakeholders if name}

    # The report's figures.
    sizes = figures.group_sizes(
        fetch_response_rows([round.pk]), {round.pk: case.minimum}
    )
    visible = {(p, r) for p, r, v in sizes[["perspective", "relationship", "visible"]]
               .itertuples(index=False) if v}  # fmt: skip
    assert ((figures.TEAM, "") in visible) is case.team_shown
    assert ((figures.STAKEHOLDER, "") in visible) is case.stakeholders_shown
    assert {r for p, r in visible if r} == case.groups_shown

    # Turnout (round page and the facilitator's stakeholder page).
    assert {name for name, _n in turnout(round=round).groups} == case.groups_shown
    for url in (f"/rounds/{round.code}/", f"/rounds/{round.code}/stakeholders/"):
        page = alice_client.get(url).text
        for name in labelled:
            shown = f'><bdi dir="auto">{name}</bdi></th>' in page
            assert shown is (name in case.groups_shown), url

    # The round page's notes come with the team's results.
    page = alice_client.get(f"/rounds/{round.code}/").text
    assert ("In random order, without names." in page) is case.team_shown

    # The report object, its page, its CSV and its PDF text.
    rounds = team_rounds(team)
    report = build_round_report(round, rounds=rounds, show_notes=True)
    assert report.team_visible is case.team_shown
    assert report.stakeholders_visible is case.stakeholders_shown
    page = alice_client.get(f"/rounds/{round.code}/report/").text
    for name in labelled:
        n = case.stakeholders[name]
        line = f'<bdi dir="auto">Stakeholders: {name}</bdi>: {n} answered.'
        assert (line in page) is (name in case.groups_shown)
    assert ("The team's view appears at" not in page) is case.team_shown
    expected_labels = {f"Stakeholders: {name}" for name in case.groups_shown}
    expected_labels |= {"Team"} if case.team_shown else set()
    expected_labels |= {"Stakeholders"} if case.stakeholders_shown else set()
    if report.has_results:
        response = alice_client.get(f"/rounds/{round.code}/report/report.csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert {r[3] for r in rows if r[1] == "responses"} == expected_labels
        html = pdf.print_html(report, b"<svg/>")
        answered = html[html.index('<table id="answered">') :]
        answered = answered[: answered.index("</table>")]
        printed = set(re.findall(r'<th scope="row" dir="auto">([^<]+)</th>', answered))
        assert printed == expected_labels

    # The coach's heatmaps (no relationship groups outside the team).
    coach_share_grant(team=team, coach=cora, include_notes=True, actor=alice)
    dims = coach_selectors.dimensions()
    teams = coach_selectors.shared_teams(cora)
    # What the /coach/ page computes (the figures kept at release).
    rows = coach_selectors.dashboard_rows(cora)
    seen = patterns.dashboard(teams, rows.rounds, rows.checkins, rows.levels, dims)
    for heat, shown in (
        (seen.team_heatmap, case.team_shown),
        (seen.stakeholder_heatmap, case.team_shown and case.stakeholders_shown),
    ):
        assert bool(heat.rows) is shown
