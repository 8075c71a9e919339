"""The CSV files' header row is in the reader's language (issue 17); the codes in
the rows and the JSON keys stay English, and formulas stay neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Round
from teams.models import Team
from tests.factories import add_response, make_round
from tests.reports.conftest import Scenario

GERMAN = {"accept-language": "de"}


def table(client: Client, name: str, round: Round, **headers: str) -> list[list[str]]:
    r = client.get(reverse(f"reports:{name}", args=[round.code]), headers=headers)
    assert r.status_code == 200
    assert r["Content-Language"] == headers.get("accept-language", "en")
    assert r.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))


def test_the_figures_header_is_in_german(
    bob_client: Client, scenario: Scenario
) -> None:
    rows = table(bob_client, "csv", scenario.q2, **GERMAN)
    assert rows[0] == ["Runde", "Abschnitt", "Dimension", "Gruppe", "Kennzahl", "Wert"]
    # The codes stay the file's format: the same in every language.
    assert {row[1] for row in rows[1:]} == {
        "responses",
        "dimension",
        "gap",
        "change",
        "checkin",
    }
    assert "mean" in {row[4] for row in rows[1:]}
    # The values a person reads follow the language.
    assert {row[3] for row in rows[1:] if row[1] == "responses"} == {
        "Team",
        "Stakeholder",
    }


def test_the_notes_header_is_in_german(bob_client: Client, scenario: Scenario) -> None:
    rows = table(bob_client, "notes_csv", scenario.q2, **GERMAN)
    assert rows[0] == ["Runde", "Art", "Dimension", "Perspektive", "Text", "Anzahl"]
    assert {row[1] for row in rows[1:]} >= {"keep", "comment", "checkin_reason"}


@pytest.mark.parametrize(
    ("language", "figures", "notes"),
    [
        (
            "fr",
            ["cycle", "section", "dimension", "groupe", "mesure", "valeur"],
            ["cycle", "type", "dimension", "perspective", "texte", "nombre"],
        ),
        (
            "es",
            ["ronda", "sección", "dimensión", "grupo", "medida", "valor"],
            ["ronda", "tipo", "dimensión", "perspectiva", "texto", "cantidad"],
        ),
        (
            "en",
            ["round", "section", "dimension", "group", "measure", "value"],
            ["round", "kind", "dimension", "perspective", "text", "count"],
        ),
    ],
)
def test_the_headers_follow_each_language(
    bob_client: Client,
    scenario: Scenario,
    language: str,
    figures: list[str],
    notes: list[str],
) -> None:
    lang = {"accept-language": language}
    assert table(bob_client, "csv", scenario.q2, **lang)[0] == figures
    assert table(bob_client, "notes_csv", scenario.q2, **lang)[0] == notes


def test_a_german_csv_still_neutralises_formulas(
    bob_client: Client, team: Team, alice: User
) -> None:
    round = make_round(team, title='=HYPERLINK("http://evil.example","x")')
    for _ in range(3):
        add_response(round, [2] * round.dimensions.count())
    round.state = Round.State.CLOSED
    round.save()
    rows = table(bob_client, "csv", round, **GERMAN)
    assert rows[0][0] == "Runde"
    assert {row[0] for row in rows[1:]} == {'\'=HYPERLINK("http://evil.example","x")'}
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_the_json_history_keeps_its_english_keys(
    bob_client: Client, scenario: Scenario
) -> None:
    url = reverse("reports:history_json", args=[scenario.team.code])
    data = bob_client.get(url, headers=GERMAN).json()
    round = next(r for r in data["rounds"] if r["results_shown"])
    assert {"code", "title", "groups", "dimensions", "notes"} <= set(round)
    assert {"group", "answers", "levels", "mean"} <= set(
        round["dimensions"][0]["groups"][0]
    )
