"""A round's notes in themes: proposed by ``reports.grouping``, confirmed by the team.

Only notes the report itself shows are grouped: those of the perspectives that meet
the round's minimum, once its results are out (``RoundReport.visible``). A proposal
is computed on each view (the same notes always give the same groups); confirming
stores it, and from then on the team's own merges, splits and names are what count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assessments.models import Note, NoteKind, NoteTheme, Round
from assessments.services import ThemeDraft
from reports.assembly import PERSPECTIVE_LABELS, RoundReport
from reports.figures import STAKEHOLDER, TEAM
from reports.grouping import NoteText, group_notes


@dataclass(frozen=True)
class ThemeNote:
    id: str
    kind_label: str
    text: str
    perspective_label: str


@dataclass
class ThemeView:
    label: str
    notes: list[ThemeNote]
    theme: NoteTheme | None = None  # None for a proposal


@dataclass
class DimensionThemes:
    dimension_id: int | None
    label: str
    themes: list[ThemeView] = field(default_factory=list)


@dataclass
class RoundThemes:
    confirmed: bool
    dimensions: list[DimensionThemes]

    @property
    def count(self) -> int:
        return sum(len(d.themes) for d in self.dimensions)


def _visible_perspectives(report: RoundReport) -> list[str]:
    if not report.has_results:
        return []
    return [p for p in (TEAM, STAKEHOLDER) if report.visible(p)]


def _notes(round: Round, perspectives: Sequence[str]) -> list[dict[str, Any]]:
    """The visible notes of the round, in a stable order that says nothing of who
    wrote them or when (by text, then random id). One query."""
    rows = (
        Note.objects.filter(round=round, response__perspective__in=perspectives)
        .order_by("text", "id")
        .values(
            "id", "kind", "text", "dimension_id", "theme_id", "response__perspective"
        )
    )
    return [dict(row) for row in rows]


def _note_view(row: dict[str, Any]) -> ThemeNote:
    kinds = dict(NoteKind.choices)
    return ThemeNote(
        id=str(row["id"]),
        kind_label=str(kinds.get(str(row["kind"]), row["kind"])),
        text=str(row["text"]),
        perspective_label=str(PERSPECTIVE_LABELS[str(row["response__perspective"])]),
    )


def _dimension_labels(report: RoundReport) -> dict[int | None, str]:
    labels: dict[int | None, str] = {d.dimension_id: d.label for d in report.dimensions}
    return labels


def proposals(rows: Sequence[dict[str, Any]]) -> list[ThemeDraft]:
    """The groups ``reports.grouping`` proposes for these note rows."""
    groups = group_notes(
        NoteText(str(r["id"]), r["dimension_id"], str(r["text"])) for r in rows
    )
    return [ThemeDraft(g.dimension, g.label, g.keys) for g in groups]  # type: ignore[arg-type]


def round_themes(report: RoundReport) -> RoundThemes:
    """The round's themes as the team sees them: confirmed ones if any, otherwise the
    proposal. Two queries."""
    rows = _notes(report.round, _visible_perspectives(report))
    by_id = {str(r["id"]): r for r in rows}
    labels = _dimension_labels(report)
    confirmed = list(NoteTheme.objects.filter(round=report.round))
    views: list[tuple[int | None, ThemeView]] = []
    if confirmed:
        for theme in confirmed:
            notes = [_note_view(r) for r in rows if r["theme_id"] == theme.pk]
            if notes:
                views.append((theme.dimension_id, ThemeView(theme.label, notes, theme)))
    else:
        for draft in proposals(rows):
            notes = [_note_view(by_id[str(k)]) for k in draft.note_ids]
            views.append((draft.dimension_id, ThemeView(draft.label, notes)))
    order = [d.dimension_id for d in report.dimensions] + [None]
    dimensions = []
    for dimension_id in order:
        found = [v for d, v in views if d == dimension_id]
        if found:
            label = labels.get(dimension_id) or ""
            dimensions.append(DimensionThemes(dimension_id, label, found))
    return RoundThemes(confirmed=bool(confirmed), dimensions=dimensions)


def drafts_to_confirm(report: RoundReport) -> list[ThemeDraft]:
    return proposals(_notes(report.round, _visible_perspectives(report)))
