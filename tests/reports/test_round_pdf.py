"""The report of a round as PDF: /rounds/<code>/report/report.pdf (WeasyPrint)."""

from __future__ import annotations

import datetime as dt
import logging
import re
import ssl
import zlib
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assessments import services
from assessments.models import Action, Round, RoundMetric
from reports import pdf
from reports.assembly import build_round_report
from reports.glyphs import printable
from reports.selectors import team_rounds
from reports.templatetags.report_tags import rtl
from reports.views import radar_bytes
from teams.models import CoachShare, Team
from tests.factories import add_response, make_round
from tests.reports.conftest import Scenario, make_q2

A4_LANDSCAPE = b"/MediaBox [0 0 841.889764 595.275591]"


def url(round: Round) -> str:
    return reverse("reports:pdf", args=[round.code])


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for structure."""
    parts = [data]
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(raw))
        except zlib.error:
            continue
    return b"\n".join(parts)


def boxes(box: Any) -> list[Any]:
    found = [box]
    for child in getattr(box, "children", []):
        found += boxes(child)
    return found


def laid_out(round: Round, *, show_notes: bool = True) -> tuple[str, Any]:
    """The text WeasyPrint laid out on the pages, one text box a line, and the
    document."""
    report = build_round_report(
        round, rounds=team_rounds(round.team), show_notes=show_notes
    )
    html = pdf.print_html(report, radar_bytes(report, "svg"))
    document = pdf.document(html)
    lines = [
        b.text
        for page in document.pages
        for b in boxes(page._page_box)
        if type(b).__name__ == "TextBox"
    ]
    # The isolates around user text (FSI ... PDI) are invisible: not part of what
    # a reader sees.
    return "\n".join(lines).replace("\u2068", "").replace("\u2069", ""), document


def text_box(document: Any, starting: str) -> Any:
    """The first text box on the pages whose text (without isolates) starts so."""
    for page in document.pages:
        for b in boxes(page._page_box):
            if type(b).__name__ == "TextBox" and b.text.lstrip("\u2068").startswith(
                starting
            ):
                return b
    raise AssertionError(starting)


def test_it_downloads_a_tagged_a4_landscape_pdf(
    bob_client: Client, scenario: Scenario
) -> None:
    r = bob_client.get(url(scenario.q2))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == (
        'attachment; filename="team-mirror-alpha-q2-retro.pdf"'
    )
    assert r.content.startswith(b"%PDF")
    data = pdf_objects(r.content)
    pages = data.count(b"/Type /Page\n") + data.count(b"/Type /Page/")
    media = re.findall(rb"/MediaBox \[[^\]]*\]", data)
    assert len(media) >= 2
    assert set(media) == {A4_LANDSCAPE}  # one size and orientation throughout
    assert pages in (0, len(media)) or pages >= 2
    assert b"/StructTreeRoot" in data  # tagged
    assert b"pdfuaid" in data  # PDF/UA-1 claimed in the metadata
    assert b"DejaVu-Sans" in data  # the fonts are embedded


def test_it_holds_the_header_tables_and_labelled_notes(scenario: Scenario) -> None:
    text, _doc = laid_out(scenario.q2)
    assert "Alpha" in text
    assert "Q2 retro" in text
    assert "As of" in text  # the running header's date
    # the dimension table has real columns: one cell per figure
    lines = text.splitlines()
    assert "Collaboration & Communication" in lines
    assert "1 (25%)" in lines  # team, dim 1: 1 of 4 at Not Meeting
    assert "2 (50%)" in lines
    assert "2.00" in lines
    assert "0.50" in "\n".join(lines)
    assert "1.33" in lines  # stakeholders' mean on dim 1
    assert "2 gave a level: too few to show." in text
    # check-in, comparison, changes
    assert "Overall check-in" in text
    assert "Possible blind spot" in text
    assert "+0.67" in lines
    assert "What changed since the last round" in text
    # notes with their perspective, comments and reasons
    for note in ("Pairing on hard bugs", "Share the roadmap earlier", "Standups help"):
        assert note in text
    assert "We ship every week" in text
    assert "Stakeholders" in text
    assert "Pairing on hard bugs \nTeam · Collaboration & Communication" in text
    assert "Share the roadmap earlier \nStakeholders" in text
    # each label on its note's line
    note, label = text_box(_doc, "Pairing on hard bugs"), text_box(_doc, "Team · ")
    assert abs(note.position_y - label.position_y) < 3
    assert label.position_x > note.position_x + note.width - 1


def test_nothing_runs_off_the_page(team: Team) -> None:
    round = make_round(
        team, title=("A very long round title " * 6)[:120], state=Round.State.CLOSED
    )
    for _ in range(3):
        add_response(round, [2] * 12, notes=[("keep", "x" * 400)])
    _text, document = laid_out(round)
    for page in document.pages:
        right = page.width
        for b in boxes(page._page_box):
            if type(b).__name__ == "TextBox":
                assert b.position_x + b.width <= right + 0.5, b.text[:40]


def test_it_leaves_out_a_group_below_the_minimum(team: Team) -> None:
    q2 = make_q2(team, stakeholders=2)
    text, _doc = laid_out(q2)
    assert "Pairing on hard bugs" in text
    assert "Stakeholders: Q2 retro" not in text
    assert "Customer" not in text
    assert "Share the roadmap earlier" not in text
    assert "Great demos" not in text
    assert "1.33" not in text.splitlines()


def test_it_leaves_out_check_ins_that_fewer_than_the_minimum_gave(
    team: Team,
) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=3)
    add_response(
        round, [2, 2, 2], checkin="underperforming", checkin_reason="Too many fires"
    )
    for _ in range(2):
        add_response(round, [2, 2, 2], notes=[("keep", "Pairing on hard bugs")])
    text, _doc = laid_out(round)
    assert "Pairing on hard bugs" in text
    assert "Overall check-in" not in text
    assert "Too many fires" not in text
    assert "Underperforming" not in text


def test_it_sets_right_to_left_text_and_replaces_emoji(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on a server without a colour emoji font, whatever this machine has installed.
    from reports import glyphs

    without_emoji = frozenset(p for p in glyphs.covered() if p < 0x1F000)
    monkeypatch.setattr(glyphs, "covered", lambda: without_emoji)
    round = make_round(team, state=Round.State.CLOSED, dimensions=2)
    notes = [("keep", "שלום לכולם"), ("stop", "مرحبا بالفريق"), ("start", "Demos 🎉")]
    for i in range(3):
        add_response(round, [2, 3], notes=[notes[i]])
    report = build_round_report(round, rounds=team_rounds(team), show_notes=True)
    html = pdf.print_html(report, radar_bytes(report, "svg"))
    hebrew_note = notes[0][1]
    assert f'<li dir="rtl">\u2068{hebrew_note}\u2069 <span class="who">' in html
    arabic_note = notes[1][1]
    assert f'<li dir="rtl">\u2068{arabic_note}\u2069 <span class="who">' in html
    assert "<li>\u2068Demos [party popper]\u2069" in html
    text, document = laid_out(round)
    # the Hebrew note reads right to left: set against the right edge
    hebrew, english = text_box(document, "שלום"), text_box(document, "Demos")
    page_right = document.pages[0].width - 14 * 96 / 25.4  # CSS px: 14 mm margin
    assert hebrew.position_x + hebrew.width > page_right - 20
    assert english.position_x < 100
    assert "🎉" not in text
    assert "Demos [party popper]" in text
    assert "مرحبا" in text or "ابحرم" in text  # shaped, in visual order or not


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u05e9\u05dc\u05d5\u05dd", True),  # Hebrew
        ("12. \u0645\u0631\u062d\u0628\u0627 ok", True),  # digits first, then Arabic
        ("Demos \u05e9\u05dc\u05d5\u05dd", False),  # the first letter is Latin
        ("123 !", False),
        ("", False),
    ],
)
def test_a_text_reads_right_to_left_by_its_first_strong_letter(
    text: str, expected: bool
) -> None:
    assert rtl(text) is expected


def test_printable_keeps_covered_text_and_names_the_rest() -> None:
    fonts = frozenset(map(ord, "abc "))
    assert printable("abc", fonts) == "abc"
    assert printable("a👍🏽 b", fonts) == "a[thumbs up sign] b"
    assert printable("👨‍👩‍👧", fonts) == "[man] [woman] [girl]"
    assert printable("x\ny", fonts) == "[latin small letter x]\n[latin small letter y]"


def test_it_writes_no_log_lines(
    bob_client: Client, scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        assert bob_client.get(url(scenario.q2)).status_code == 200
    noisy = [
        r for r in caplog.records if r.name.split(".")[0] in ("fontTools", "weasyprint")
    ]
    assert noisy == []


def test_a_coach_without_notes_gets_scores_only(scenario: Scenario) -> None:
    text, _doc = laid_out(scenario.q2, show_notes=False)
    assert "2.00" in text.splitlines()
    for note in ("Pairing on hard bugs", "Standups help", "We ship every week"):
        assert note not in text


def test_a_coach_with_a_share_gets_the_pdf(
    cora_client: Client, cora: User, scenario: Scenario
) -> None:
    CoachShare.objects.create(team=scenario.team, coach=cora, include_notes=False)
    assert cora_client.get(url(scenario.q2)).status_code == 200


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


def test_members_get_actions_and_metrics_coaches_do_not(
    bob_client: Client,
    cora_client: Client,
    cora: User,
    scenario: Scenario,
    printed: list[str],
) -> None:
    q2 = scenario.q2
    Action.objects.create(
        team=scenario.team,
        round=q2,
        dimension=q2.dimensions.order_by("position").first(),
        text="Pair on every bug",
    )
    RoundMetric.objects.create(
        round=q2, kind="lead_time", name="Lead time", value=Decimal("3.50"), unit="days"
    )
    CoachShare.objects.create(team=scenario.team, coach=cora, include_notes=True)
    assert bob_client.get(url(q2)).status_code == 200
    assert cora_client.get(url(q2)).status_code == 200
    member, coach = printed
    assert "Pair on every bug" in member
    assert "3.50" in member
    assert "Lead time" in member
    assert "Pair on every bug" not in coach
    assert "Lead time" not in coach


def test_a_repeat_download_is_laid_out_once_per_version(
    bob_client: Client,
    alice_client: Client,
    scenario: Scenario,
    printed: list[str],
) -> None:
    first = bob_client.get(url(scenario.q2)).content
    assert alice_client.get(url(scenario.q2)).content == first
    assert len(printed) == 1
    # What the PDF shows changes: it is laid out again.
    q2 = scenario.q2
    Action.objects.create(
        team=scenario.team,
        round=q2,
        dimension=q2.dimensions.order_by("position").first(),
        text="Pair on every bug",
    )
    assert bob_client.get(url(q2)).status_code == 200
    assert len(printed) == 2
    assert "Pair on every bug" in printed[-1]
    Round.objects.filter(pk=q2.pk).update(title="Q2 retro, renamed")
    assert bob_client.get(url(q2)).status_code == 200
    assert len(printed) == 3
    assert "Q2 retro, renamed" in printed[-1]
    Team.objects.filter(pk=scenario.team.pk).update(name="Alpha squad")
    assert bob_client.get(url(q2)).status_code == 200
    assert "Alpha squad" in printed[-1]
    assert len(printed) == 4


def test_a_close_without_new_answers_is_laid_out_with_its_date(
    bob_client: Client,
    alice: User,
    scenario: Scenario,
    printed: list[str],
) -> None:
    # Reopened and closed again weeks later without an answer: nothing is released
    # and the counts stay, but the header's "closed" date is the new one.
    q2 = scenario.q2
    assert bob_client.get(url(q2)).status_code == 200
    services.round_open(round=q2, actor=alice)
    services.round_close(round=q2, actor=alice)
    later = timezone.now() + dt.timedelta(days=40)
    Round.objects.filter(pk=q2.pk).update(closed_at=later)
    assert bob_client.get(url(q2)).status_code == 200
    assert len(printed) == 2
    assert date_format(timezone.localtime(later), "DATE_FORMAT") in printed[-1]


def test_each_view_of_the_round_has_its_own_pdf(
    bob_client: Client,
    cora_client: Client,
    cora: User,
    scenario: Scenario,
    printed: list[str],
) -> None:
    share = CoachShare.objects.create(
        team=scenario.team, coach=cora, include_notes=False
    )
    assert bob_client.get(url(scenario.q2)).status_code == 200
    assert cora_client.get(url(scenario.q2)).status_code == 200
    member, coach = printed
    assert "Pairing on hard bugs" in member
    assert "Pairing on hard bugs" not in coach
    share.include_notes = True
    share.save()
    assert cora_client.get(url(scenario.q2)).status_code == 200
    assert len(printed) == 3
    assert "Pairing on hard bugs" in printed[-1]


def test_a_pdf_laid_out_one_day_is_served_the_next_dated_by_its_layout(
    bob_client: Client,
    scenario: Scenario,
    printed: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The worker lays a version out at release; a reader comes the next morning.
    first = bob_client.get(url(scenario.q2)).content
    laid_out_at = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: laid_out_at + dt.timedelta(days=1))
    assert bob_client.get(url(scenario.q2)).content == first
    assert len(printed) == 1
    day = date_format(laid_out_at, "DATE_FORMAT")
    assert f"As of {day}" in printed[0]


def test_a_new_round_leaves_the_pdf_of_the_last_one_as_it_is(
    bob_client: Client, scenario: Scenario, printed: list[str]
) -> None:
    first = bob_client.get(url(scenario.q2)).content
    make_round(scenario.team, title="Q3 retro", state=Round.State.DRAFT)
    assert bob_client.get(url(scenario.q2)).content == first
    assert len(printed) == 1


def test_the_layout_loads_no_certificates(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only data: URIs are ever fetched; the system's certificates are not needed.
    loaded: list[object] = []
    monkeypatch.setattr(
        ssl.SSLContext, "load_default_certs", lambda *a, **k: loaded.append(a)
    )
    text, _document = laid_out(scenario.q2)
    assert "Q2 retro" in text
    assert loaded == []
