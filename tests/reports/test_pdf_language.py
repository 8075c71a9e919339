"""The PDF in the reader's language with no English left (issue 17): the print
HTML it is laid out from, compared against each catalog's English."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from reports import pdf
from reports.assembly import build_round_report
from reports.selectors import team_rounds
from tests.reports.conftest import Scenario
from tests.test_translations import english_sentences, visible_text


def english_left(html: str, language: str) -> list[str]:
    text = visible_text(html)
    return [piece for piece in english_sentences(language) if piece in text]


def test_the_pdf_is_in_the_readers_language(
    bob_client: Client, scenario: Scenario, printed: list[str]
) -> None:
    r = bob_client.get(
        reverse("reports:pdf", args=[scenario.q2.code]),
        headers={"accept-language": "de"},
    )
    assert r.status_code == 200
    html = printed[-1]
    assert '<html lang="de"' in html
    assert not english_left(html, "de")
    assert "Zusammenarbeit &amp; Kommunikation" in html  # the framework in German
    # The print date in German ("2. Dezember 2026"), not English.
    with translation.override("de"):
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    with translation.override("en"):
        assert formats.date_format(timezone.localdate(), "DATE_FORMAT") != today
    assert today in html


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_print_html_in_french_and_spanish(
    scenario: Scenario, language: str
) -> None:
    round = scenario.q2
    with translation.override(language):
        report = build_round_report(
            round, rounds=team_rounds(round.team), show_notes=True
        )
        html = pdf.print_html(report, b"<svg/>")
    assert f'<html lang="{language}"' in html
    assert not english_left(html, language)
