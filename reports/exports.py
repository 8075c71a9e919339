"""A round's report as CSV: its figures (aggregates only) and its notes and comments.

Both are written from a ``RoundReport``, so they hold exactly what the page shows:
no group below the minimum, never one row per person, notes only for readers who
may see them. The PDF is ``reports.pdf``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from assessments.models import Action
from reports.assembly import RoundReport
from reports.figures import CHECKINS

CSV_COLUMNS = ["round", "section", "dimension", "group", "measure", "value"]
# The column names a person reads in the header row, in the request's language.
# ``CSV_COLUMNS`` and ``TEXT_COLUMNS`` stay the stable English keys (the JSON
# history and the API use the same words); the codes in the ``section``,
# ``measure`` and ``kind`` columns stay English too (docs/exports.md).
COLUMN_NAMES: dict[str, Promise] = {
    "round": pgettext_lazy("CSV column", "round"),
    "section": pgettext_lazy("CSV column", "section"),
    "dimension": pgettext_lazy("CSV column", "dimension"),
    "group": pgettext_lazy("CSV column", "group"),
    "measure": pgettext_lazy("CSV column", "measure"),
    "value": pgettext_lazy("CSV column", "value"),
    "kind": pgettext_lazy("CSV column", "kind"),
    "perspective": pgettext_lazy("CSV column", "perspective"),
    "text": pgettext_lazy("CSV column", "text"),
    "count": pgettext_lazy("CSV column", "count"),
}
LEVEL_MEASURES = ("not_meeting", "meeting", "exceeding")
CHECKIN_MEASURES = (*CHECKINS, "no_answer")


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


# A byte order mark first: without it Excel reads UTF-8 as the local code page and
# turns "Zusammenarbeit & Qualität" or any Arabic note into mojibake.
BOM = "\ufeff"


def header_row(columns: Sequence[str]) -> list[str]:
    """The header row of a CSV file in the active language: each column's name
    as a person reads it (``COLUMN_NAMES``)."""
    return [str(COLUMN_NAMES[column]) for column in columns]


def write_csv(report: RoundReport, out: Writable) -> None:
    out.write(BOM)
    write_safe_rows(out, [header_row(CSV_COLUMNS), *csv_rows(report)])


TEXT_COLUMNS = ["round", "kind", "dimension", "perspective", "text", "count"]


def text_rows(report: RoundReport) -> Iterator[list[str]]:
    """One row per note (identical notes once, with how many wrote them), comment
    and check-in reason that the report shows, in the report's random order:
    (round, kind, dimension, perspective, text, count). ``kind`` is keep, stop,
    start, comment or checkin_reason; ``perspective`` is Team or Stakeholders,
    never a relationship group."""
    title = report.round.title
    for note in report.notes:
        yield [
            title,
            note.kind,
            note.dimension_label,
            note.perspective_label,
            note.text,
            str(note.count),
        ]
    for d in report.dimensions:
        for who, text in d.comments:
            yield [title, "comment", d.label, who, text, "1"]
    for who, text in report.checkin_reasons:
        yield [title, "checkin_reason", "", who, text, "1"]


def decision_rows(
    report: RoundReport, actions: Sequence[Action], summary: str
) -> Iterator[list[str]]:
    """The retro's decisions, for the team's own export: one row per agreed action
    (kind ``action``, its dimension, its state in ``perspective``) and the summary
    (kind ``retro_summary``). Decisions of the team, not anyone's answer."""
    title = report.round.title
    for action in actions:
        yield [title, "action", action.dimension_label, action.state, action.text, "1"]
    if summary:
        yield [title, "retro_summary", "", "", summary, "1"]


def write_text_csv(
    report: RoundReport,
    out: Writable,
    *,
    actions: Sequence[Action] = (),
    summary: str = "",
) -> None:
    out.write(BOM)
    rows = [*text_rows(report), *decision_rows(report, actions, summary)]
    write_safe_rows(out, [header_row(TEXT_COLUMNS), *rows])
