"""The PDF on paper (issue 28 point 10): the radar's texts print at 9 pt or more, and
the radar's table runs the whole width instead of on in a half-empty right column."""

from __future__ import annotations

import re
from typing import Any

import pytest

from assessments.models import Round
from reports import pdf
from reports.assembly import build_round_report
from reports.selectors import team_rounds
from reports.views import radar_bytes
from teams.models import Team
from tests.factories import add_response, make_round
from tests.reports.test_round_pdf import boxes

pytestmark = pytest.mark.django_db


def _twelve_dimensions(team: Team) -> Round:
    round = make_round(team, state=Round.State.CLOSED, dimensions=12)
    for levels in ([1] * 12, [2] * 12, [3] * 12, [2] * 12):
        add_response(round, levels)
    for _ in range(3):
        add_response(
            round, [2] * 12, perspective="stakeholder", relationship="Customer"
        )
    return round


def _document(round: Round) -> tuple[bytes, Any]:
    report = build_round_report(round, rounds=team_rounds(round.team), show_notes=True)
    svg = radar_bytes(report, "svg")
    return svg, pdf.document(pdf.print_html(report, svg))


def _text_boxes(document: Any) -> list[tuple[int, Any]]:
    return [
        (number, b)
        for number, page in enumerate(document.pages)
        for b in boxes(page._page_box)
        if type(b).__name__ == "TextBox"
    ]


def test_the_radar_texts_print_at_9_pt_or_more(team: Team) -> None:
    svg, document = _document(_twelve_dimensions(team))
    width_pt = float(re.search(rb'<svg[^>]* width="([\d.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    sizes = [float(s) for s in re.findall(rb"font(?:-size)?:\s*([\d.]+)px", svg)]
    assert sizes, svg[:2000]
    images = [
        b
        for page in document.pages
        for b in boxes(page._page_box)
        if "Replaced" in type(b).__name__
    ]
    assert len(images) == 1
    printed_pt = images[0].width * 0.75  # CSS px to pt
    smallest = min(sizes) * printed_pt / width_pt
    assert smallest >= 9, smallest


def test_the_radar_table_runs_the_whole_width(team: Team) -> None:
    _svg, document = _document(_twelve_dimensions(team))
    texts = _text_boxes(document)
    left = min(b.position_x for _n, b in texts)
    heading = next(b for _n, b in texts if b.text.startswith("The radar's numbers"))
    assert heading.position_x == pytest.approx(left, abs=1)
    # Whichever page the table runs onto, it starts at the left margin there.
    start = next(i for i, (_n, b) in enumerate(texts) if b is heading)
    table: dict[int, list[float]] = {}
    for n, b in texts[start:]:
        if b.text.startswith(("Overall check-in", "Team and stakeholders compared")):
            break
        table.setdefault(n, []).append(b.position_x)
    assert table
    for xs in table.values():
        assert min(xs) == pytest.approx(left, abs=1)
