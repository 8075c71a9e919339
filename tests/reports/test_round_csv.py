"""The figures of a round as CSV: /rounds/<code>/report/report.csv."""

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
    return reverse("reports:csv", args=[round.code])


def rows(client: Client, round: Round) -> list[dict[str, str]]:
    r = client.get(url(round))
    assert r.status_code == 200
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))


def value(rows: list[dict[str, str]], **where: str) -> str:
    found = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, where
    return found[0]["value"]


def test_it_downloads_csv(bob_client: Client, scenario: Scenario) -> None:
    r = bob_client.get(url(scenario.q2))
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r["Content-Disposition"] == (
        'attachment; filename="team-mirror-alpha-q2-retro.csv"'
    )
    assert (
        r.content.decode("utf-8-sig").splitlines()[0]
        == "round,section,dimension,group,measure,value"
    )


def test_it_holds_the_hand_computed_figures(
    bob_client: Client, scenario: Scenario
) -> None:
    data = rows(bob_client, scenario.q2)
    dim1 = {"section": "dimension", "dimension": "Collaboration & Communication"}
    assert value(data, section="responses", group="Team") == "4"
    assert value(data, section="responses", group="Stakeholders") == "3"
    assert value(data, **dim1, group="Team", measure="mean") == "2.000"
    assert value(data, **dim1, group="Team", measure="median") == "2.000"
    assert value(data, **dim1, group="Team", measure="not_meeting") == "1"
    assert value(data, **dim1, group="Team", measure="meeting") == "2"
    assert value(data, **dim1, group="Team", measure="agreement") == "0.500"
    assert value(data, **dim1, group="Team", measure="spread") == "0.707"
    assert value(data, **dim1, group="Stakeholders", measure="mean") == "1.333"
    dim3 = {"section": "dimension", "dimension": "Data-Driven Improvement"}
    assert value(data, **dim3, group="Team", measure="dont_know") == "2"
    # two levels given: no level figure at all
    assert {
        r["measure"]
        for r in data
        if r["group"] == "Team" and r["dimension"] == dim3["dimension"]
    } == {"answers", "dont_know", "rated"}
    gap = {"section": "gap"}
    assert (
        value(data, **gap, dimension="Collaboration & Communication", measure="kind")
        == "blind_spot"
    )
    assert (
        value(
            data,
            **gap,
            dimension="Planning & Execution",
            measure="team_minus_stakeholders",
        )
        == "-0.500"
    )
    assert (
        value(data, section="change", dimension="Planning & Execution", group="Team")
        == "1.167"
    )
    assert value(data, section="checkin", group="Team", measure="performing") == "2"
    # no stakeholder gave a check-in: no row for them
    assert not [r for r in data if r["section"] == "checkin" and r["group"] != "Team"]


def test_it_has_no_row_per_person_and_no_text(
    bob_client: Client, scenario: Scenario
) -> None:
    data = rows(bob_client, scenario.q2)
    assert {r["section"] for r in data} == {
        "responses",
        "dimension",
        "gap",
        "change",
        "checkin",
    }
    content = bob_client.get(url(scenario.q2)).content.decode("utf-8-sig")
    for text in ("Pairing on hard bugs", "Standups help", "We ship every week"):
        assert text not in content


def test_it_has_no_row_for_a_group_below_the_minimum(
    bob_client: Client, team: Team
) -> None:
    q2 = make_q2(team, stakeholders=2)
    data = rows(bob_client, q2)
    assert {r["group"] for r in data} == {"Team"}
    assert not [r for r in data if "Stakeholders" in r["group"]]
    assert not [r for r in data if r["section"] == "gap"]
    assert "Customer" not in bob_client.get(url(q2)).content.decode("utf-8-sig")


def test_it_never_lists_relationship_groups_below_the_minimum(
    bob_client: Client, scenario: Scenario
) -> None:
    content = bob_client.get(url(scenario.q2)).content.decode("utf-8-sig")
    assert "Customer" not in content
    assert "Leadership" not in content


def test_it_is_not_found_below_the_minimum(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=2)
    add_response(round, [1, 2])
    assert bob_client.get(url(round)).status_code == 404


def test_it_hides_team_from_outsider(carol_client: Client, scenario: Scenario) -> None:
    assert carol_client.get(url(scenario.q2)).status_code == 404


def test_it_hides_csv_from_coach_without_share(
    cora_client: Client, scenario: Scenario
) -> None:
    assert cora_client.get(url(scenario.q2)).status_code == 404


def test_a_coach_with_a_share_gets_it(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    CoachShare.objects.create(team=scenario.team, coach=cora)
    assert rows(cora_client, scenario.q2)


def test_it_starts_with_a_byte_order_mark(
    bob_client: Client, scenario: Scenario
) -> None:
    assert bob_client.get(url(scenario.q2)).content.startswith(b"\xef\xbb\xbfround,")
