"""A round's report and a team's overview, assembled for pages, charts and exports.

The conductor, as in the coach pipeline: the rows come from ``reports.selectors``
(every query), once; the figures from ``reports.figures`` (pure), once, with the
minimum rule applied; this module assembles them. Everything shown anywhere (page,
chart, CSV, PDF) comes from ``RoundReport`` or ``TeamOverview``: what is hidden here
is hidden everywhere.

Results of a round appear once it has closed (or its closing date has passed), and
only for groups that meet the round's minimum. Not while it is open: every new
answer would change the figures, and the change would be that one person's answer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from assessments import disclosure
from assessments.caching import cache_key, compute_once
from assessments.models import Checkin, Level, NoteKind, Response, Round
from assessments.selectors import Channels, Held, Turnout, still_needed, still_pending
from reports import agenda, frozen, selectors
from reports.figures import (
    ALL,
    LEVEL_COLUMNS,
    STAKEHOLDER,
    TEAM,
    Figures,
    agreement_label,
    changes,
    compute,
    group_sizes,
    trend_direction,
    trends,
)
from teams.models import Team

PERSPECTIVE_LABELS = dict(Response.Perspective.choices)
AGREEMENT_LABELS = {
    "agreement": gettext_lazy("broad agreement"),
    "mixed": gettext_lazy("mixed views"),
    "divided": gettext_lazy("divided"),
}
GAP_LABELS = {
    "blind_spot": gettext_lazy("Possible blind spot"),
    "hidden_strength": gettext_lazy("Possible hidden strength"),
    "aligned": gettext_lazy("Aligned"),
}
DIRECTION_LABELS = {
    "improving": gettext_lazy("improving"),
    "declining": gettext_lazy("declining"),
    "steady": gettext_lazy("steady"),
    "": "",
}


def _number(value: object) -> float | None:
    """A figure for display: None for a hidden (missing) one."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return float(value)  # type: ignore[arg-type]


def results_ready(round: Round) -> bool:
    """Whether a round's answers are final, so that its results may be shown."""
    return round.results_ready()


def figures_for_rounds(
    rounds: Sequence[Round],
    responses: pd.DataFrame | None = None,
    sizes: pd.DataFrame | None = None,
) -> Figures:
    """Every figure of the rounds in three queries, whatever their number or size
    (two if the caller already has ``selectors.fetch_response_rows`` of at least
    these rounds, and their ``figures.group_sizes``, which are then not computed
    again). The rows are first made those that stay published after a reopen
    (``reports.frozen``)."""
    round_ids = [r.pk for r in rounds]
    minimums = {r.pk: r.min_responses for r in rounds}
    if responses is None:
        fetched = selectors.fetch_response_rows(round_ids)
        responses = frozen.responses(fetched, minimums)
    ratings = frozen.ratings(
        selectors.fetch_rating_rows(round_ids), responses, minimums
    )
    figures = compute(
        dimensions=selectors.fetch_dimension_rows(round_ids),
        ratings=ratings,
        responses=responses,
        minimums=minimums,
        sizes=sizes,
    )
    return replace(figures, regrouped=frozenset(frozen.regrouped(responses)))


@dataclass
class GroupFigures:
    """One visible group's answers to one dimension."""

    label: str
    perspective: str
    relationship: str
    answers: int
    dont_know: int
    rated: int
    levels: list[int] | None
    percents: list[float] | None
    mean: float | None
    median: float | None
    spread: float | None
    agreement: float | None
    agreement_label: str
    shown: bool
    # Outside the team the tally may not be shown (disclosure rule 4): only the
    # median is, and ``levels``, ``mean``, ``spread`` and ``agreement`` are None.
    masked: bool = False

    @property
    def distribution(self) -> list[tuple[str, int, float]]:
        """(level label, count, percent) from Not Meeting to Exceeding."""
        if self.levels is None or self.percents is None:
            return []
        labels = [str(label) for _value, label in Level.choices]
        return list(zip(labels, self.levels, self.percents, strict=True))


@dataclass
class Change:
    perspective_label: str
    previous_mean: float
    mean: float
    change: float
    perspective: str = ""


@dataclass
class NoteView:
    kind: str
    kind_label: str
    text: str
    dimension_label: str
    perspective_label: str
    count: int = 1  # identical notes are shown once, with how many wrote them


@dataclass
class DimensionReport:
    dimension_id: int
    key: str
    name: str
    label: str
    prompt: str
    groups: list[GroupFigures] = field(default_factory=list)
    gap: float | None = None
    gap_kind: str = ""
    gap_label: str = ""
    changes: list[Change] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)

    def group(self, perspective: str, relationship: str = "") -> GroupFigures | None:
        for g in self.groups:
            if (g.perspective, g.relationship) == (perspective, relationship):
                return g
        return None

    @property
    def team(self) -> GroupFigures | None:
        return self.group(TEAM)

    @property
    def stakeholders(self) -> GroupFigures | None:
        return self.group(STAKEHOLDER)

    def mean_of(self, perspective: str) -> float | None:
        group = self.group(perspective)
        return group.mean if group is not None else None


@dataclass
class CheckinRow:
    label: str
    responses: int
    counts: list[tuple[str, int, float]]  # (choice label, count, percent)
    perspective: str = ""
    relationship: str = ""


@dataclass
class GroupSize:
    label: str
    perspective: str
    relationship: str
    responses: int
    visible: bool


@dataclass
class RoundReport:
    round: Round
    team: Team
    rounds: list[Round]
    previous: Round | None
    # "n of m members answered", from the round's roster (``selectors.turnout``).
    answered: int
    eligible: int
    ready: bool
    sizes: list[GroupSize]
    dimensions: list[DimensionReport]
    previous_dimensions: list[DimensionReport]
    checkins: list[CheckinRow]
    show_notes: bool
    checkin_reasons: list[tuple[str, str]] = field(default_factory=list)
    notes: list[NoteView] = field(default_factory=list)
    outside: bool = False  # read from outside the team: see ``mask_for_outside``
    # Members who answered only this round or only the previous one, when that is
    # too few to compare the two (``disclosure.rounds_comparable``): 0 otherwise.
    not_compared: int = 0
    # After a reopen: how many more new team / stakeholder answers the published
    # results wait for before they change, all at once (``still_needed``;
    # 0: nothing waits). The report says so, as the round page does.
    team_needed: int = 0
    stakeholder_needed: int = 0
    # While reopened: the minimum of new team / stakeholder answers is in, and the
    # published results take it in when the round closes (``still_pending``).
    team_pending: bool = False
    stakeholder_pending: bool = False
    # The stakeholders who answered the previous round, when their figures are
    # not set against it: how many answered there and here differ by fewer than
    # the minimum (``disclosure.stakeholder_rounds_comparable``); None otherwise.
    stakeholders_then: int | None = None
    # Stakeholder answers by personal invitation and by the shared link, sealed or
    # released (``assessments.selectors.stakeholder_channels``): set by the report
    # page and the PDF only, counts and never figures.
    channels: Channels | None = None
    # Stakeholders answered in more than one batch: relationship groups are no
    # longer shown on their own (``reports.frozen``), and the report says so.
    regrouped: bool = False

    def size(self, perspective: str) -> int:
        for s in self.sizes:
            if s.perspective == perspective and s.relationship == "":
                return s.responses
        return 0

    @property
    def team_responses(self) -> int:
        return self.size(TEAM)

    @property
    def stakeholder_responses(self) -> int:
        return self.size(STAKEHOLDER)

    @property
    def stakeholders_answered(self) -> int:
        """Every stakeholder answer when the channels are counted (sealed ones
        too, as "n of m members answered" counts them), else the released ones."""
        if self.channels is not None:
            return self.channels.total
        return self.stakeholder_responses

    def visible(self, perspective: str) -> bool:
        return self.ready and any(
            s.visible and s.perspective == perspective and s.relationship == ""
            for s in self.sizes
        )

    @property
    def team_visible(self) -> bool:
        return self.visible(TEAM)

    @property
    def stakeholders_visible(self) -> bool:
        return self.visible(STAKEHOLDER)

    @property
    def has_results(self) -> bool:
        return self.team_visible or self.stakeholders_visible

    @property
    def visible_groups(self) -> list[GroupSize]:
        return [s for s in self.sizes if s.visible] if self.ready else []

    @property
    def hidden_relationship_count(self) -> int:
        return sum(1 for s in self.sizes if s.relationship and not s.visible)

    @property
    def earlier_rounds(self) -> list[Round]:
        return [r for r in reversed(self.rounds) if r.pk != self.round.pk]

    @property
    def changes(self) -> list[tuple[DimensionReport, Change]]:
        """Every change since the previous round, biggest first."""
        pairs = [(d, c) for d in self.dimensions for c in d.changes]
        return sorted(pairs, key=lambda pair: -abs(pair[1].change))

    def notes_by_kind(self) -> list[tuple[str, list[NoteView]]]:
        return [
            (str(label), [n for n in self.notes if n.kind == kind])
            for kind, label in NoteKind.choices
        ]

    def notes_by_dimension(self) -> list[tuple[str, list[NoteView]]]:
        tagged = [
            (d.label, [n for n in self.notes if n.dimension_label == d.label])
            for d in self.dimensions
        ]
        return [(label, notes) for label, notes in tagged if notes]

    @property
    def gaps(self) -> list[DimensionReport]:
        return [d for d in self.dimensions if d.gap is not None]


def group_label(perspective: str, relationship: str) -> str:
    base = str(PERSPECTIVE_LABELS.get(perspective, perspective))
    return f"{base}: {relationship}" if relationship else base


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict("records")  # type: ignore[return-value]


def _sizes(figures: Figures, round_id: int) -> list[GroupSize]:
    rows = _records(figures.sizes[figures.sizes["round_id"] == round_id])
    return [
        GroupSize(
            label=group_label(r["perspective"], r["relationship"]),
            perspective=r["perspective"],
            relationship=r["relationship"],
            responses=int(r["responses"]),
            visible=bool(r["visible"]),
        )
        for r in rows
    ]


def _group_figures(r: dict[str, Any]) -> GroupFigures:
    shown = bool(r["shown"])
    levels = percents = None
    if shown:
        levels = [int(r[c]) for c in LEVEL_COLUMNS]
        percents = [100 * v / sum(levels) for v in levels]
    agreement = _number(r["agreement"])
    label = agreement_label(agreement if agreement is not None else math.nan)
    return GroupFigures(
        label=group_label(r["perspective"], r["relationship"]),
        perspective=r["perspective"],
        relationship=r["relationship"],
        answers=int(r["answers"]),
        dont_know=int(r["dont_know"]),
        rated=int(r["rated"]),
        levels=levels,
        percents=percents,
        mean=_number(r["mean"]),
        median=_number(r["median"]),
        spread=_number(r["spread"]),
        agreement=agreement,
        agreement_label=str(AGREEMENT_LABELS.get(label, "")),
        shown=shown,
    )


def _dimension_reports(figures: Figures, round_id: int) -> list[DimensionReport]:
    dims = _records(figures.dimensions[figures.dimensions["round_id"] == round_id])
    groups: dict[int, list[GroupFigures]] = {}
    for r in _records(figures.stats[figures.stats["round_id"] == round_id]):
        groups.setdefault(int(r["dimension_id"]), []).append(_group_figures(r))
    gaps = {
        int(r["dimension_id"]): r
        for r in _records(figures.gaps[figures.gaps["round_id"] == round_id])
    }
    reports = []
    for d in dims:
        dimension_id = int(d["dimension_id"])
        report = DimensionReport(
            dimension_id=dimension_id,
            key=str(d["key"]),
            name=str(d["name"]),
            label=str(d["label"]),
            prompt=str(d["prompt"]),
            groups=sorted(
                groups.get(dimension_id, []),
                key=lambda g: (g.perspective != TEAM, g.relationship),
            ),
        )
        if dimension_id in gaps:
            report.gap = float(gaps[dimension_id]["gap"])
            report.gap_kind = str(gaps[dimension_id]["kind"])
            report.gap_label = str(GAP_LABELS[report.gap_kind])
        reports.append(report)
    return reports


def _checkins(figures: Figures, round_id: int) -> list[CheckinRow]:
    rows = figures.checkins[figures.checkins["round_id"] == round_id]
    choices: list[tuple[str, str]] = [
        *((str(value), str(label)) for value, label in Checkin.choices),
        ("no_answer", _("No answer")),
    ]
    result = []
    for r in _records(rows):
        total = int(r["responses"])
        if r["no_answer"] == total:
            continue  # nobody in the group was asked, or nobody answered
        counts = [
            (label, int(r[column]), 100 * int(r[column]) / total if total else 0.0)
            for column, label in choices
        ]
        label = group_label(r["perspective"], r["relationship"])
        result.append(
            CheckinRow(
                label=label,
                responses=total,
                counts=counts,
                perspective=r["perspective"],
                relationship=r["relationship"],
            )
        )
    return result


def previous_round(
    round: Round, rounds: Sequence[Round], sizes: pd.DataFrame
) -> Round | None:
    """The latest earlier round whose results are out (some group visible), given
    ``figures.group_sizes`` of the rounds."""
    visible = set(sizes.loc[sizes["visible"], "round_id"])
    earlier = [
        r
        for r in rounds
        if (r.created, r.pk) < (round.created, round.pk)
        and results_ready(r)
        and r.pk in visible
    ]
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class RoundContext:
    """What a round's report needs before its figures: the responses of the team's
    rounds, the groups of this round, and the round to compare with."""

    responses: pd.DataFrame
    sizes: pd.DataFrame
    previous: Round | None
    has_results: bool


def round_context(round: Round, rounds: Sequence[Round]) -> RoundContext:
    """One query: the response counts of this round and of the team's earlier
    rounds whose results are out."""
    candidates = [r for r in rounds if results_ready(r) and r.pk != round.pk]
    minimums = {r.pk: r.min_responses for r in [round, *candidates]}
    responses = frozen.responses(
        selectors.fetch_response_rows([round.pk, *(r.pk for r in candidates)]),
        minimums,
    )
    sizes = group_sizes(responses, minimums)
    own = sizes[(sizes["round_id"] == round.pk) & (sizes["relationship"] == ALL)]
    return RoundContext(
        responses=responses,
        sizes=sizes,
        previous=previous_round(round, candidates, sizes),
        has_results=results_ready(round) and bool(own["visible"].any()),
    )


# Figures are keyed on the data's version, so a cached one is never stale; the
# timeout only frees memory.
FIGURES_TIMEOUT = 60 * 60 * 24 * 7


@dataclass(frozen=True)
class CachedFigures:
    previous_id: int | None
    figures: Figures


def report_rounds(round: Round, rounds: Sequence[Round]) -> list[Round]:
    """The rounds whose data a report of ``round`` is made of: itself and the
    team's other rounds whose results are out (the one to compare with is among
    them). Their versions key everything cached of the report."""
    return [round, *(r for r in rounds if results_ready(r) and r.pk != round.pk)]


def figures_key(round: Round, rounds: Sequence[Round]) -> str:
    """The figures of ``round`` depend on its answers and on those of the team's
    earlier rounds whose results are out (the one to compare with is among them)."""
    # The dimensions' texts are in the reader's language (docs/languages.md).
    # A database may give a deleted round's id to a new one: its code never.
    return cache_key(
        "reports:figures",
        report_rounds(round, rounds),
        round.pk,
        str(round.code),
        get_language() or "",
    )


def round_figures(
    round: Round, rounds: Sequence[Round]
) -> tuple[Round | None, Figures]:
    """The round to compare with and the figures of both, computed once per data
    version (three queries then, none after) and shared by page, chart and exports."""

    def compute_both() -> CachedFigures:
        context = round_context(round, rounds)
        previous = context.previous
        compared = [round] if previous is None else [round, previous]
        figures = figures_for_rounds(compared, context.responses, context.sizes)
        return CachedFigures(previous.pk if previous else None, figures)

    cached = compute_once(figures_key(round, rounds), compute_both, FIGURES_TIMEOUT)
    previous = next((r for r in rounds if r.pk == cached.previous_id), None)
    return previous, cached.figures


def held_of(round: Round, turnout: Turnout) -> Held:
    """What waits sealed after a reopen, from the turnout's counts (the report
    and its page say how many more answers the published results wait for)."""
    return Held(
        team=turnout.held_team,
        stakeholder=turnout.held_stakeholder,
        minimum=round.min_responses,
        team_new=turnout.new_team,
        stakeholder_new=turnout.new_stakeholder,
    )


def build_round_report(
    round: Round,
    *,
    rounds: Sequence[Round],
    show_notes: bool,
    texts: bool = True,
    context: RoundContext | None = None,
    outside: bool = False,
) -> RoundReport:
    """Everything about one round, in a fixed number of queries: the response
    counts (unless ``context`` is given), ratings and dimensions of this round and
    the previous one, the turnout, then notes, comments and check-in reasons
    if ``texts`` and ``show_notes``."""
    if context is None:
        previous, figures = round_figures(round, rounds)
    else:
        previous = context.previous
        compared = [round] if previous is None else [round, previous]
        figures = figures_for_rounds(compared, context.responses, context.sizes)
    report = report_from_figures(
        round, rounds=rounds, figures=figures, previous=previous, show_notes=show_notes
    )
    if texts and report.has_results and show_notes:
        _add_texts(report)
    if outside:
        mask_for_outside(report)
    return report


def build_team_reports(
    rounds: Sequence[Round], *, show_notes: bool, texts: bool = True
) -> list[RoundReport]:
    """The report of every round of ``rounds`` (a team's, oldest first) that has
    opened, exactly as ``build_round_report`` makes each one, in a fixed number of
    queries whatever the number of rounds: three for the figures of all of them,
    one for the member count, three for the texts (if ``texts`` and
    ``show_notes``). For the JSON history and the API's list of rounds."""
    listed = [r for r in rounds if r.state != Round.State.DRAFT]
    if not listed:
        return []
    figures = figures_for_rounds(listed)
    ready = [r for r in listed if results_ready(r)]
    pairs = [
        (r, previous_round(r, [c for c in ready if c.pk != r.pk], figures.sizes))
        for r in listed
    ]
    counted = selectors.turnouts(pairs)
    reports = [
        report_from_figures(
            r,
            rounds=rounds,
            figures=figures,
            previous=previous,
            show_notes=show_notes,
            turnout=counted[r.pk],
        )
        for r, previous in pairs
    ]
    if texts and show_notes:
        _add_texts_to([r for r in reports if r.has_results])
    return reports


def report_from_figures(
    round: Round,
    *,
    rounds: Sequence[Round],
    figures: Figures,
    previous: Round | None,
    show_notes: bool,
    turnout: Turnout | None = None,
) -> RoundReport:
    """A round's report (without notes) from figures that hold it and the previous
    round; one query, for the turnout from the round's roster (none if
    ``turnout``, against ``previous``, is given)."""
    team = round.team
    ready = results_ready(round)
    own = figures.sizes[
        (figures.sizes["round_id"] == round.pk) & (figures.sizes["relationship"] == ALL)
    ]
    shown = ready and bool(own["visible"].any())
    compared = previous if shown else None
    if turnout is None:
        turnout = selectors.turnout(round, compared_with=compared)
    not_compared = 0
    if compared is not None and not disclosure.rounds_comparable(
        turnout.only_this, turnout.only_other, round.min_responses
    ):
        not_compared = turnout.only_this + turnout.only_other
    held = held_of(round, turnout)
    team_needed, stakeholder_needed = still_needed(round, held)
    team_pending, stakeholder_pending = still_pending(round, held)
    report = RoundReport(
        round=round,
        team=team,
        rounds=list(rounds),
        previous=previous,
        answered=turnout.answered,
        eligible=turnout.eligible,
        ready=ready,
        sizes=_sizes(figures, round.pk),
        dimensions=_dimension_reports(figures, round.pk) if shown else [],
        previous_dimensions=(
            _dimension_reports(figures, previous.pk)
            if previous and shown and not not_compared
            else []
        ),
        checkins=_checkins(figures, round.pk) if shown else [],
        show_notes=show_notes,
        not_compared=not_compared,
        team_needed=team_needed,
        stakeholder_needed=stakeholder_needed,
        team_pending=team_pending,
        stakeholder_pending=stakeholder_pending,
        regrouped=round.pk in figures.regrouped,
    )
    if shown and previous is not None and not not_compared:
        _add_changes(report, figures, previous)
        _withhold_stakeholder_comparison(report, figures, previous)
    return report


def _withhold_stakeholder_comparison(
    report: RoundReport, figures: Figures, previous: Round
) -> None:
    """Disclosure rule 2 across rounds, for stakeholders: they answer without a
    name, so who answered both rounds is unknown; their figures are set against
    the previous round's only if the numbers who answered differ by none or by at
    least the minimum. Otherwise the stakeholder changes and the previous round's
    stakeholder line are left out, and the report says why."""
    sizes = figures.sizes
    then = sizes[
        (sizes["round_id"] == previous.pk)
        & (sizes["perspective"] == STAKEHOLDER)
        & (sizes["relationship"] == ALL)
        & sizes["visible"]
    ]
    if then.empty or not report.stakeholders_visible:
        return
    before = int(then["responses"].iloc[0])
    if disclosure.stakeholder_rounds_comparable(
        report.stakeholder_responses, before, report.round.min_responses
    ):
        return
    report.stakeholders_then = before
    for d in report.dimensions:
        d.changes = [c for c in d.changes if c.perspective != STAKEHOLDER]
    for d in report.previous_dimensions:
        d.groups = [g for g in d.groups if g.perspective != STAKEHOLDER]


def mask_for_outside(report: RoundReport) -> None:
    """Disclosure rule 4 for a reader outside the team (a coach): a group's level
    tally that has a cell below the minimum, or in which nearly everyone gave the
    same level, is replaced by its median; check-in distributions likewise are left
    out. Gaps and changes built on a masked mean go with it."""
    minimum = report.round.min_responses
    for d in [*report.dimensions, *report.previous_dimensions]:
        for g in d.groups:
            if g.levels is None or disclosure.tally_shown_outside(g.levels, minimum):
                continue
            g.median = disclosure.median_level(g.levels)
            g.levels = g.percents = None
            g.mean = g.spread = g.agreement = None
            g.agreement_label = ""
            g.masked = True
        if any(g.masked for g in d.groups if not g.relationship):
            d.gap, d.gap_kind, d.gap_label = None, "", ""
            d.changes = []
    report.checkins = [
        row
        for row in report.checkins
        if disclosure.tally_shown_outside([c for _l, c, _p in row.counts[:-1]], minimum)
    ]
    report.outside = True


def _add_changes(report: RoundReport, figures: Figures, previous: Round) -> None:
    changed = changes(figures.stats, figures.keys(), report.round.pk, previous.pk)
    by_dimension = {d.dimension_id: d for d in report.dimensions}
    for r in _records(changed):
        by_dimension[int(r["dimension_id"])].changes.append(
            Change(
                perspective_label=str(PERSPECTIVE_LABELS[r["perspective"]]),
                perspective=str(r["perspective"]),
                previous_mean=float(r["previous_mean"]),
                mean=float(r["mean"]),
                change=float(r["change"]),
            )
        )


def _visible_perspectives(report: RoundReport) -> list[str]:
    return [p for p in (TEAM, STAKEHOLDER) if report.visible(p)]


def _add_texts(report: RoundReport) -> None:
    """Notes, comments and check-in reasons of the visible perspectives only, each
    list in a fresh random order (three queries)."""
    perspectives = _visible_perspectives(report)
    labels: dict[int | None, str] = {d.dimension_id: d.label for d in report.dimensions}
    kinds = dict(NoteKind.choices)
    same = Counter(
        (kind, text.strip(), dimension_id, perspective)
        for kind, text, dimension_id, perspective in selectors.round_notes(
            report.round, perspectives
        )
    )
    notes = [
        NoteView(
            kind=kind,
            kind_label=str(kinds.get(kind, kind)),
            text=text,
            dimension_label=labels.get(dimension_id, ""),
            perspective_label=str(PERSPECTIVE_LABELS[perspective]),
            count=count,
        )
        for (kind, text, dimension_id, perspective), count in same.items()
    ]
    report.notes = disclosure.shuffled(notes)
    by_dimension = {d.dimension_id: d for d in report.dimensions}
    for dimension_id, perspective, comment in selectors.round_comments(
        report.round, perspectives
    ):
        label = str(PERSPECTIVE_LABELS[perspective])
        by_dimension[dimension_id].comments.append((label, comment))
    for d in report.dimensions:
        d.comments = disclosure.shuffled(d.comments)
    # A reason tells its author's check-in: only where the check-ins are shown.
    with_checkins = [
        row.perspective for row in report.checkins if row.relationship == ALL
    ]
    reasons = selectors.checkin_reasons(report.round, with_checkins)
    report.checkin_reasons = disclosure.shuffled(
        (str(PERSPECTIVE_LABELS[p]), text) for p, text in reasons
    )


def _add_texts_to(reports: Sequence[RoundReport]) -> None:
    """``_add_texts`` for several rounds' reports at once, in the same three
    queries: each report gets the texts of its own visible perspectives only."""
    if not reports:
        return
    by_round = {r.round.pk: r for r in reports}
    visible = {pk: set(_visible_perspectives(r)) for pk, r in by_round.items()}
    kinds = dict(NoteKind.choices)
    same: dict[int, Counter[tuple[str, str, int | None, str]]] = {
        pk: Counter() for pk in by_round
    }
    for round_id, kind, text, dimension_id, perspective in selectors.rounds_notes(
        list(by_round), set().union(*visible.values())
    ):
        if perspective in visible[round_id]:
            same[round_id][(kind, text.strip(), dimension_id, perspective)] += 1
    for pk, report in by_round.items():
        labels: dict[int | None, str] = {
            d.dimension_id: d.label for d in report.dimensions
        }
        report.notes = disclosure.shuffled(
            NoteView(
                kind=kind,
                kind_label=str(kinds.get(kind, kind)),
                text=text,
                dimension_label=labels.get(dimension_id, ""),
                perspective_label=str(PERSPECTIVE_LABELS[perspective]),
                count=count,
            )
            for (kind, text, dimension_id, perspective), count in same[pk].items()
        )
    by_dimension = {d.dimension_id: d for r in reports for d in r.dimensions}
    for round_id, dimension_id, perspective, comment in selectors.rounds_comments(
        list(by_round), set().union(*visible.values())
    ):
        if perspective in visible[round_id] and dimension_id in by_dimension:
            label = str(PERSPECTIVE_LABELS[perspective])
            by_dimension[dimension_id].comments.append((label, comment))
    for d in by_dimension.values():
        d.comments = disclosure.shuffled(d.comments)
    # A reason tells its author's check-in: only where the check-ins are shown.
    with_checkins = {
        pk: {row.perspective for row in r.checkins if row.relationship == ALL}
        for pk, r in by_round.items()
    }
    reasons: dict[int, list[tuple[str, str]]] = {pk: [] for pk in by_round}
    for round_id, perspective, text in selectors.rounds_checkin_reasons(
        list(by_round), set().union(*with_checkins.values())
    ):
        if perspective in with_checkins[round_id]:
            reasons[round_id].append((str(PERSPECTIVE_LABELS[perspective]), text))
    for pk, report in by_round.items():
        report.checkin_reasons = disclosure.shuffled(reasons[pk])


@dataclass
class DimensionTrend:
    key: str
    label: str
    team: list[float | None]
    stakeholders: list[float | None]
    direction: str
    # The change of the team's mean between its last two rounds with a figure: the
    # rule behind ``direction`` (``figures.trend_direction``).
    change: float | None

    @property
    def points(self) -> list[tuple[float | None, float | None]]:
        """(team mean, stakeholder mean) per round."""
        return list(zip(self.team, self.stakeholders, strict=True))


@dataclass
class TeamOverview:
    team: Team
    rounds: list[Round]  # with results out and some group visible, oldest first
    latest: Round | None
    trends: list[DimensionTrend]
    figures: Figures

    def latest_report(self) -> RoundReport | None:
        """The latest round's figures (no notes), from the overview's own data."""
        if self.latest is None:
            return None
        previous = self.rounds[-2] if len(self.rounds) > 1 else None
        return report_from_figures(
            self.latest,
            rounds=self.rounds,
            figures=self.figures,
            previous=previous,
            show_notes=False,
        )


def build_team_overview(team: Team, rounds: Sequence[Round]) -> TeamOverview:
    """The rounds whose results are out, the latest one's figures and each
    dimension's trend across them (a fixed number of queries)."""
    ready = [r for r in rounds if results_ready(r)]
    figures = figures_for_rounds(ready)
    visible = set(figures.sizes.loc[figures.sizes["visible"], "round_id"])
    shown = [r for r in ready if r.pk in visible]
    keys = figures.keys()
    trend = trends(figures.stats, keys, [r.pk for r in shown])
    directions = trend_direction(trend)
    # Dimensions in the order of the latest round that has them.
    labels: dict[str, str] = {}
    for r in reversed(shown):
        dims = figures.dimensions[figures.dimensions["round_id"] == r.pk]
        for key, label in zip(dims["key"], dims["label"], strict=True):
            labels.setdefault(str(key), str(label))
    dimension_trends = []
    for key, label in labels.items():
        series = {}
        for perspective in (TEAM, STAKEHOLDER):
            points = trend[
                (trend["key"] == key) & (trend["perspective"] == perspective)
            ]
            means = dict(zip(points["position"], points["mean"], strict=True))
            series[perspective] = [_number(means.get(i)) for i in range(len(shown))]
        team_direction = directions[
            (directions["key"] == key) & (directions["perspective"] == TEAM)
        ]
        direction, change = "", None
        if not team_direction.empty:
            direction = str(team_direction["direction"].iloc[0])
            change = _number(team_direction["change"].iloc[0])
        dimension_trends.append(
            DimensionTrend(
                key=key,
                label=label,
                team=series[TEAM],
                stakeholders=series[STAKEHOLDER],
                direction=str(DIRECTION_LABELS[direction]),
                change=change,
            )
        )
    latest = shown[-1] if shown else None
    return TeamOverview(
        team=team, rounds=shown, latest=latest, trends=dimension_trends, figures=figures
    )


@dataclass
class RadarData:
    """What the radar chart draws, and its accessible table: the same numbers."""

    labels: list[str]
    series: list[tuple[str, str, list[float | None]]]  # (label, style, values)

    @property
    def rows(self) -> list[tuple[str, list[float | None]]]:
        return [
            (label, [values[i] for _, _, values in self.series])
            for i, label in enumerate(self.labels)
        ]

    @property
    def headers(self) -> list[str]:
        return [label for label, _, _ in self.series]

    @property
    def header_parts(self) -> list[tuple[str, str]]:
        """Each series' label as (perspective, round title), so that a page can
        isolate the title the team wrote (``|bidi``) from the words around it."""
        split = [label.partition(": ") for label, _style, _values in self.series]
        return [(perspective, title) for perspective, _colon, title in split]


def radar_data(report: RoundReport) -> RadarData:
    """The team's and the stakeholders' means of this round and, faint, of the
    previous one, matched by dimension; only groups that meet the minimum."""
    dims = report.dimensions
    data = RadarData(labels=[d.label for d in dims], series=[])
    if not report.has_results:
        return data
    previous = {d.key: d for d in report.previous_dimensions}
    title, before = report.round.title, report.previous
    styles = ((TEAM, "team"), (STAKEHOLDER, "stakeholders"))
    for perspective, style in styles:
        if report.visible(perspective):
            name = PERSPECTIVE_LABELS[perspective]
            values = [d.mean_of(perspective) for d in dims]
            data.series.append((f"{name}: {title}", style, values))
    for perspective, style in styles:
        name = PERSPECTIVE_LABELS[perspective]
        values = [
            previous[d.key].mean_of(perspective) if d.key in previous else None
            for d in dims
        ]
        if before is not None and any(v is not None for v in values):
            data.series.append((f"{name}: {before.title}", f"previous-{style}", values))
    return data


def agenda_facts(report: RoundReport) -> list[agenda.Facts]:
    """Each dimension's shown figures, for ``reports.agenda``: only groups that meet
    the minimum have a mean."""
    previous = {d.key: d for d in report.previous_dimensions}
    facts = []
    for d in report.dimensions:
        team = d.team if report.team_visible else None
        before = previous.get(d.key)
        before_team = before.team if before is not None else None
        facts.append(
            agenda.Facts(
                key=d.key,
                label=d.label,
                team_mean=team.mean if team is not None and team.shown else None,
                stakeholder_mean=(
                    d.stakeholders.mean
                    if report.stakeholders_visible and d.stakeholders is not None
                    else None
                ),
                team_agreement=(
                    team.agreement if team is not None and team.shown else None
                ),
                previous_team_mean=(
                    before_team.mean
                    if before_team is not None and before_team.shown
                    else None
                ),
            )
        )
    return facts


@dataclass
class Light:
    label: str
    mean: float | None
    level: int | None
    light: str
    arrow: str


def dimension_lights(facts: list[agenda.Facts]) -> list[Light]:
    return [
        Light(
            label=f.label,
            mean=f.mean,
            level=agenda.level_word(f.mean),
            light=agenda.light(f.mean),
            arrow=agenda.arrow(f.change),
        )
        for f in facts
    ]
