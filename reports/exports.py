"""A round's report as CSV (aggregates only) and as PDF (radar, tables, notes).

Both are written from a ``RoundReport``, so they hold exactly what the page shows:
no group below the minimum, never one row per person, notes only for readers who
may see them.
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import matplotlib as mpl
from django.utils.translation import gettext as _
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from reports import aggregation as agg
from reports import charts
from reports.report import RoundReport

CSV_COLUMNS = ["round", "section", "dimension", "group", "measure", "value"]
LEVEL_MEASURES = ("not_meeting", "meeting", "exceeding")
CHECKIN_MEASURES = (*agg.CHECKINS, "no_answer")


class Writable(Protocol):
    def write(self, s: str, /) -> object: ...


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def csv_rows(report: RoundReport) -> Iterator[list[str]]:
    """One row per figure: (round, section, dimension, group, measure, value)."""
    title = report.round.title
    for size in report.visible_groups:
        yield [title, "responses", "", size.label, "responses", str(size.responses)]
    for d in report.dimensions:
        for g in d.groups:
            counts: list[tuple[str, str]] = [
                ("answers", str(g.answers)),
                ("dont_know", str(g.dont_know)),
                ("rated", str(g.rated)),
            ]
            if g.shown and g.levels is not None:
                counts += [
                    (m, str(v)) for m, v in zip(LEVEL_MEASURES, g.levels, strict=True)
                ]
                counts += [
                    ("mean", _figure(g.mean)),
                    ("median", _figure(g.median)),
                    ("spread", _figure(g.spread)),
                    ("agreement", _figure(g.agreement)),
                ]
            for measure, value in counts:
                yield [title, "dimension", d.label, g.label, measure, value]
        if d.gap is not None:
            yield [title, "gap", d.label, "", "team_minus_stakeholders", _figure(d.gap)]
            yield [title, "gap", d.label, "", "kind", d.gap_kind]
        for c in d.changes:
            yield [
                title,
                "change",
                d.label,
                c.perspective_label,
                "change_since_previous",
                _figure(c.change),
            ]
    for row in report.checkins:
        for key, (_label, count, _percent) in zip(
            CHECKIN_MEASURES, row.counts, strict=True
        ):
            yield [title, "checkin", "", row.label, key, str(count)]


# A spreadsheet reads a cell starting with one of these as a formula (or, for tab
# and carriage return, strips them and then reads what follows as one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def csv_safe(value: object) -> str:
    """The cell as text that no spreadsheet runs: a cell starting with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return gets a leading apostrophe (OWASP's advice),
    so a team, round, dimension or note text like ``=HYPERLINK(...)`` shows as
    typed. Plain numbers such as ``-0.250`` stay numbers."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_safe_rows(out: Writable, rows: Iterable[Iterable[object]]) -> None:
    """Write CSV rows with every cell through ``csv_safe``: use it for any export."""
    writer = csv.writer(out)
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)


def write_csv(report: RoundReport, out: Writable) -> None:
    write_safe_rows(out, [CSV_COLUMNS, *csv_rows(report)])


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)


NONE = "-"


def _mean(value: float | None) -> str:
    return NONE if value is None else f"{value:.2f}"


def pdf_sections(report: RoundReport) -> list[Section]:
    """The PDF's text, section by section: what goes into the PDF is decided here
    (the radar is the first page)."""
    sections = [_summary(report), _dimension_table(report)]
    if report.checkins:
        sections.append(_checkins(report))
    changes = Section(_("What changed since the previous round"))
    for d, c in report.changes:
        changes.lines.append(
            f"{d.label} — {c.perspective_label}: {_mean(c.previous_mean)} → "
            f"{_mean(c.mean)} ({c.change:+.2f})"
        )
    if changes.lines:
        sections.append(changes)
    if report.show_notes:
        sections += _texts(report)
    return sections


def _summary(report: RoundReport) -> Section:
    section = Section(f"{report.team.name}: {report.round.title}")
    for size in report.visible_groups:
        section.lines.append(
            _("%(group)s: %(count)d responses")
            % {
                "group": size.label,
                "count": size.responses,
            }
        )
    section.lines.append(
        _(
            "Groups with fewer than %(minimum)d responses are not shown. "
            "Levels: 1 Not Meeting, 2 Meeting, 3 Exceeding Expectations."
        )
        % {"minimum": report.round.min_responses}
    )
    for d in report.gaps:
        section.lines.append(f"{d.gap_label}: {d.label} ({d.gap:+.2f})")
    return section


def _dimension_table(report: RoundReport) -> Section:
    section = Section(_("Dimensions"))
    header = _("group  answers  don't know  1/2/3  mean  median  agreement")
    for d in report.dimensions:
        section.lines.append(f"## {d.label}")
        section.lines.append(header)
        for g in d.groups:
            levels = "/".join(str(v) for v in g.levels) if g.levels else NONE
            agreement = (
                f"{g.agreement:.2f} {g.agreement_label}"
                if g.agreement is not None
                else _("fewer than %(minimum)d rated")
                % {"minimum": report.round.min_responses}
            )
            section.lines.append(
                f"{g.label}  {g.answers}  {g.dont_know}  {levels}  "
                f"{_mean(g.mean)}  {_mean(g.median)}  {agreement}"
            )
    return section


def _checkins(report: RoundReport) -> Section:
    section = Section(_("Overall check-in"))
    for row in report.checkins:
        counts = ", ".join(f"{label} {count}" for label, count, _p in row.counts)
        section.lines.append(f"{row.label} ({row.responses}): {counts}")
    return section


def _texts(report: RoundReport) -> list[Section]:
    sections = []
    for kind_label, notes in report.notes_by_kind():
        section = Section(kind_label)
        for note in notes:
            tag = f" [{note.dimension_label}]" if note.dimension_label else ""
            times = f" (x{note.count})" if note.count > 1 else ""
            section.lines.append(f"• {note.text}{tag}{times}")
        if section.lines:
            sections.append(section)
    comments = Section(_("Comments on dimensions"))
    for d in report.dimensions:
        if d.comments:
            comments.lines.append(f"## {d.label}")
            comments.lines += [f"• {text} ({who})" for who, text in d.comments]
    if comments.lines:
        sections.append(comments)
    if report.checkin_reasons:
        reasons = Section(_("What makes us feel that way?"))
        reasons.lines = [f"• {text} ({who})" for who, text in report.checkin_reasons]
        sections.append(reasons)
    return sections


PAGE = (8.27, 11.69)  # A4 portrait, inches
LINES_PER_PAGE = 58
WRAP = 95


def _page_lines(sections: list[Section]) -> Iterator[list[tuple[str, str]]]:
    """(style, text) lines, cut into pages."""
    page: list[tuple[str, str]] = []
    for section in sections:
        lines = [("title", section.title)]
        for raw in section.lines:
            style = "subtitle" if raw.startswith("## ") else "text"
            text = raw.removeprefix("## ")
            lines += [(style, part) for part in textwrap.wrap(text, WRAP) or [""]]
        if len(page) + min(len(lines), 4) > LINES_PER_PAGE:
            yield page
            page = []
        for line in lines:
            if len(page) >= LINES_PER_PAGE:
                yield page
                page = []
            page.append(line)
        page.append(("text", ""))
    if page:
        yield page


def _text_page(lines: list[tuple[str, str]]) -> Figure:
    fig = Figure(figsize=PAGE)
    sizes = {"title": 13, "subtitle": 10.5, "text": 9}
    weights = {"title": "bold", "subtitle": "bold", "text": "normal"}
    y = 0.95
    for style, text in lines:
        fig.text(
            0.07,
            y,
            text,
            fontsize=sizes[style],
            fontweight=weights[style],
            va="top",
        )
        y -= 0.0155 if style == "text" else 0.02
    return fig


def pdf(report: RoundReport, radar: Figure) -> bytes:
    """The radar on the first page, then the sections of ``pdf_sections``."""
    buffer = io.BytesIO()
    radar.suptitle(f"{report.team.name}: {report.round.title}", fontsize=13)
    with (
        mpl.rc_context(charts.PDF_RC),
        PdfPages(buffer, metadata=charts.PDF_METADATA) as pages,
    ):
        pages.savefig(radar)
        for lines in _page_lines(pdf_sections(report)):
            pages.savefig(_text_page(lines))
    return buffer.getvalue()
