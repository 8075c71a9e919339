"""CSV cells that a spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from reports.exports import csv_safe, write_safe_rows
from teams.models import Team
from tests.factories import add_response, make_round


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-0.250", "-0.250"),
        ("-3", "-3"),
        ("2.000", "2.000"),
        ("Keep pairing", "Keep pairing"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (4, "4"),
    ],
)
def test_it_neutralises_formula_starts(cell: object, expected: str) -> None:
    assert csv_safe(cell) == expected


def test_it_writes_every_cell_safely() -> None:
    out = io.StringIO()
    write_safe_rows(out, [["=1+1", "-1.5", "@x"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1+1", "-1.5", "'@x"]]


def test_the_report_csv_neutralises_a_round_title(
    bob_client: Client, team: Team, alice: User
) -> None:
    round = make_round(team, title='=HYPERLINK("http://evil.example","x")')
    for _ in range(3):
        add_response(round, [2] * round.dimensions.count())
    round.state = "closed"
    round.save()
    r = bob_client.get(reverse("reports:csv", args=[round.code]))
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))[1:]
    assert rows
    assert {row[0] for row in rows} == {'\'=HYPERLINK("http://evil.example","x")'}
    assert not any(cell.startswith("=") for row in rows for cell in row)
