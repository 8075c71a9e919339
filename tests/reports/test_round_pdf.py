"""The report of a round as PDF: /rounds/<code>/report/report.pdf."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Round
from reports.exports import pdf_sections
from reports.report import build_round_report, team_rounds
from teams.models import CoachShare, Team
from tests.factories import add_response, make_round
from tests.reports.conftest import Scenario, make_q2, pdf_text


def url(round: Round) -> str:
    return reverse("reports:pdf", args=[round.code])


def text_of(client: Client, round: Round) -> str:
    r = client.get(url(round))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    return pdf_text(r.content)


def test_it_downloads_a_pdf(bob_client: Client, scenario: Scenario) -> None:
    r = bob_client.get(url(scenario.q2))
    assert r["Content-Disposition"] == (
        'attachment; filename="team-mirror-alpha-q2-retro.pdf"'
    )
    assert r.content.count(b"/Type /Page\n") + r.content.count(b"/Type /Page ") >= 2


def test_it_holds_the_radar_the_tables_and_the_notes(
    bob_client: Client, scenario: Scenario
) -> None:
    text = text_of(bob_client, scenario.q2)
    # the radar's legend and axes
    assert "Team: Q2 retro" in text
    assert "Stakeholders: Q2 retro" in text
    assert "Team: Q1 retro" in text
    # the tables
    assert "Alpha: Q2 retro" in text
    assert "Team: 4 responses" in text
    assert "Team  4  0  1/2/1  2.00  2.00  0.50 mixed views" in text
    assert "Stakeholders  3  0  2/1/0  1.33  1.00" in text
    assert "Team  4  2  -  -  -  fewer than 3 rated" in text
    assert (
        "Team (4): Underperforming 1, Performing 2, High-performing 1, No answer 0"
        in text
    )
    # the notes, comments and reasons
    for note in ("Pairing on hard bugs", "Share the roadmap earlier", "Standups help"):
        assert note in text
    assert "We ship every week" in text


def test_it_leaves_out_a_group_below_the_minimum(
    bob_client: Client, team: Team
) -> None:
    q2 = make_q2(team, stakeholders=2)
    text = text_of(bob_client, q2)
    assert "Team: Q2 retro" in text
    assert "Stakeholders" not in text
    assert "Customer" not in text
    assert "Share the roadmap earlier" not in text
    assert "Great demos" not in text


def test_sections_leave_out_a_group_below_the_minimum(team: Team) -> None:
    q2 = make_q2(team, stakeholders=2)
    report = build_round_report(q2, rounds=team_rounds(team), show_notes=True)
    lines = [line for s in pdf_sections(report) for line in [s.title, *s.lines]]
    assert any("Pairing on hard bugs" in line for line in lines)
    assert not any("Stakeholder" in line for line in lines)
    assert not any("roadmap" in line for line in lines)


def test_a_coach_without_notes_gets_scores_only(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    CoachShare.objects.create(team=scenario.team, coach=cora, include_notes=False)
    text = text_of(cora_client, scenario.q2)
    assert "Team  4  0  1/2/1  2.00  2.00  0.50 mixed views" in text
    for note in ("Pairing on hard bugs", "Standups help", "We ship every week"):
        assert note not in text


def test_a_coach_with_notes_gets_them(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    CoachShare.objects.create(team=scenario.team, coach=cora, include_notes=True)
    assert "Pairing on hard bugs" in text_of(cora_client, scenario.q2)


def test_it_is_not_found_below_the_minimum(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=2)
    add_response(round, [1, 2])
    assert bob_client.get(url(round)).status_code == 404


def test_it_hides_team_from_outsider(carol_client: Client, scenario: Scenario) -> None:
    assert carol_client.get(url(scenario.q2)).status_code == 404


def test_it_hides_pdf_from_coach_without_share(
    cora_client: Client, scenario: Scenario
) -> None:
    assert cora_client.get(url(scenario.q2)).status_code == 404


def test_sections_leave_out_check_ins_that_fewer_than_the_minimum_gave(
    team: Team,
) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=3)
    add_response(
        round, [2, 2, 2], checkin="underperforming", checkin_reason="Too many fires"
    )
    for _ in range(2):
        add_response(round, [2, 2, 2], notes=[("keep", "Pairing on hard bugs")])
    report = build_round_report(round, rounds=team_rounds(team), show_notes=True)
    lines = [line for s in pdf_sections(report) for line in [s.title, *s.lines]]
    assert any("Pairing on hard bugs" in line for line in lines)
    assert "Overall check-in" not in lines
    assert not any("Too many fires" in line for line in lines)
    assert not any("Underperforming" in line for line in lines)
