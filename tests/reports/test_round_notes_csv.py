"""Notes and comments of a round as CSV: /rounds/<code>/report/notes.csv."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Round
from teams.models import CoachShare, Team
from tests.factories import add_response, make_round
from tests.reports.conftest import Scenario, make_q2


def url(round: Round) -> str:
    return reverse("reports:notes_csv", args=[round.code])


def rows(client: Client, round: Round) -> list[tuple[str, ...]]:
    r = client.get(url(round))
    assert r.status_code == 200
    assert r.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    reader = csv.reader(io.StringIO(r.content.decode("utf-8-sig")))
    assert next(reader) == [
        "round",
        "kind",
        "dimension",
        "perspective",
        "text",
        "count",
    ]
    return sorted(tuple(row) for row in reader)


def test_it_holds_every_note_comment_and_reason(
    bob_client: Client, scenario: Scenario
) -> None:
    r = bob_client.get(url(scenario.q2))
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r["Content-Disposition"] == (
        'attachment; filename="team-mirror-alpha-q2-retro.notes.csv"'
    )
    dim1, dim2 = "Collaboration & Communication", "Planning & Execution"
    assert rows(bob_client, scenario.q2) == sorted(
        [
            ("Q2 retro", "keep", dim1, "Team", "Pairing on hard bugs", "1"),
            ("Q2 retro", "stop", "", "Team", "Friday deploys", "1"),
            ("Q2 retro", "start", dim2, "Team", "Writing ADRs", "1"),
            ("Q2 retro", "start", "", "Stakeholders", "Share the roadmap earlier", "1"),
            ("Q2 retro", "comment", dim1, "Team", "Standups help", "1"),
            ("Q2 retro", "comment", dim2, "Stakeholders", "Great demos", "1"),
            ("Q2 retro", "checkin_reason", "", "Team", "We ship every week", "1"),
        ]
    )


def test_it_leaves_out_a_group_below_the_minimum(
    bob_client: Client, team: Team
) -> None:
    q2 = make_q2(team, stakeholders=2)
    data = rows(bob_client, q2)
    assert {row[3] for row in data} == {"Team"}
    content = bob_client.get(url(q2)).content.decode("utf-8-sig")
    assert "Share the roadmap earlier" not in content
    assert "Great demos" not in content


def test_identical_notes_are_one_row_with_a_count(
    bob_client: Client, team: Team
) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=1)
    for _ in range(3):
        add_response(round, [2], notes=[("keep", "Demos")])
    assert rows(bob_client, round) == [
        ("Q1 check-in", "keep", "", "Team", "Demos", "3")
    ]


def test_it_neutralises_formulas_and_keeps_unicode(
    bob_client: Client, team: Team
) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=1)
    texts = ['=HYPERLINK("http://evil.example")', "שלום 🎉", "-Stop friday deploys"]
    for text in texts:
        add_response(round, [2], notes=[("stop", text)])
    assert {row[4] for row in rows(bob_client, round)} == {
        '\'=HYPERLINK("http://evil.example")',
        "שלום 🎉",
        "'-Stop friday deploys",
    }


def test_it_is_not_found_below_the_minimum(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=2)
    add_response(round, [1, 2], notes=[("keep", "Alone")])
    assert bob_client.get(url(round)).status_code == 404


def test_it_hides_team_from_outsider(carol_client: Client, scenario: Scenario) -> None:
    assert carol_client.get(url(scenario.q2)).status_code == 404


def test_it_hides_notes_from_a_scores_only_coach(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    CoachShare.objects.create(team=scenario.team, coach=cora, include_notes=False)
    assert cora_client.get(url(scenario.q2)).status_code == 404


def test_a_coach_with_notes_gets_them(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    CoachShare.objects.create(team=scenario.team, coach=cora, include_notes=True)
    assert ("Q2 retro", "stop", "", "Team", "Friday deploys", "1") in rows(
        cora_client, scenario.q2
    )


def test_it_rejects_post(bob_client: Client, scenario: Scenario) -> None:
    assert bob_client.post(url(scenario.q2)).status_code == 405


def _decide(round: Round) -> None:
    from assessments.services import action_create

    action_create(
        round=round, text="Deploy on Thursdays", dimension=round.dimensions.first()
    )
    Round.objects.filter(pk=round.pk).update(retro_summary="We agreed on one thing.")


def test_it_holds_the_retros_decisions_for_members(
    bob_client: Client, scenario: Scenario
) -> None:
    _decide(scenario.q2)
    found = rows(bob_client, scenario.q2)
    label = scenario.q2.dimensions.first().label  # type: ignore[union-attr]
    assert ("Q2 retro", "action", label, "open", "Deploy on Thursdays", "1") in found
    assert (
        "Q2 retro",
        "retro_summary",
        "",
        "",
        "We agreed on one thing.",
        "1",
    ) in found


def test_a_coach_gets_no_decisions(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    _decide(scenario.q2)
    CoachShare.objects.create(team=scenario.team, coach=cora, include_notes=True)
    kinds = {row[1] for row in rows(cora_client, scenario.q2)}
    assert "action" not in kinds
    assert "retro_summary" not in kinds
