"""Cross-team patterns for coaches, computed from plain rows. No database here.

``dashboard`` computes everything the coach dashboard shows from the rows
``coach.selectors.dashboard_rows`` reads (the figures kept at release): the closed
rounds of the teams that share with the coach (``ClosedRound``), the team
members' check-in counts per round and the built-in dimensions' tallies per
perspective and round, packed (``assessments.packed``). Tests build them by hand.

Dimensions line up across teams through the built-in dimension they stand for
(``RoundDimension.builtin``): a team may rename "Flow & Efficiency", it is still the
same column. A team's own custom dimensions have no counterpart in other teams and
are left out of every cross-team figure.

What may be shown is decided by ``assessments.disclosure``, the same rules as the
team report's, applied column-wise so that hundreds of teams stay fast:

1. A round counts only if at least its minimum of team members answered
   ("qualifying"); its stakeholder view only if at least the minimum of
   stakeholders answered (``meets_minimum``).
2. A dimension's mean is shown only if at least the minimum gave a level.
3. A team's check-in distribution is used only if at least the minimum gave one.
4. Outside the team, a tally in which a level was given by fewer than the minimum,
   or nearly everyone gave the same level, tells people's answers
   (``tally_shown_outside``): the heatmap then shows the median level instead of
   the mean, and a team's check-in counts only through its most common answer
   when its tally may not be shown.

Teams are always listed by name, never ordered by a score.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

import pandas as pd

from assessments import choices, disclosure
from assessments.packed import unpack_word
from reports import scale

TEAM = choices.TEAM
STAKEHOLDER = choices.STAKEHOLDER
CHECKINS = choices.CHECKINS
SPLIT = "split"
NOTE_KINDS = choices.NOTE_KINDS

# A team's mean below this is "weak" on the dimension: more Not Meeting than
# Exceeding, by a clear margin (e.g. 2 of 6 Not Meeting and the rest Meeting).
WEAK_BELOW = 1.75
# The heatmap's colours are the one scale's bands (reports/scale.py): the level a
# mean is closest to, as on the report and in the retro.
STRONG_FROM = scale.EXCEEDING_FROM
# A drop of at least this many levels since the team's previous round is "declining".
DECLINE_AT_LEAST = 0.25
# A theme needs this many distinct teams; fewer is never shown.
# How many calendar quarters the movement table covers, newest last.
MOVEMENT_QUARTERS = 8


ROUND_COLUMNS = [
    "round_id",
    "team_id",
    "title",
    "closed_at",
    "min_responses",
    "team_responses",
    "stakeholder_responses",
]


@dataclass(frozen=True)
class SharedTeam:
    team_id: int
    name: str
    code: str
    include_notes: bool


@dataclass(frozen=True)
class Dimension:
    builtin_id: int
    slug: str
    label: str


# Rounds ---------------------------------------------------------------------------


def qualifying_rounds(rounds: pd.DataFrame) -> pd.DataFrame:
    """Closed rounds in which at least the minimum of team members answered."""
    return rounds[
        disclosure.meets_minimum(rounds["team_responses"], rounds["min_responses"])
    ]


# Heatmap --------------------------------------------------------------------------


MEDIAN_MARK = "~"


@dataclass(frozen=True)
class HeatCell:
    mean: float | None
    # Outside the team a nearly unanimous tally is not shown: its median instead.
    median: int | None = None

    @property
    def text(self) -> str:
        if self.median is not None:
            return f"{MEDIAN_MARK}{self.median}"
        return "\u2013" if self.mean is None else f"{self.mean:.1f}"

    @property
    def band(self) -> str:
        """The CSS class of the cell's colour (the value is always printed too)."""
        value = self.median if self.median is not None else self.mean
        if value is None:
            return "heat-none"
        return f"heat-{scale.level(value)}"


EMPTY_CELL = HeatCell(None)


@dataclass(frozen=True)
class HeatRow:
    team: SharedTeam
    round_title: str | None
    closed_at: datetime | None
    responses: int
    cells: list[HeatCell]


@dataclass(frozen=True)
class Heatmap:
    dimensions: list[Dimension]
    rows: list[HeatRow]
    # Teams left out: no qualifying round, or (stakeholder view) too few
    # stakeholders in it.
    missing: list[SharedTeam]


BANDS = ("heat-1", "heat-2", "heat-3", "heat-none")


@dataclass(frozen=True)
class SummaryRow:
    dimension: Dimension
    # How many teams' cells fall in each band, in the order of ``BANDS``.
    counts: tuple[int, ...]


@dataclass(frozen=True)
class HeatSummary:
    """The heatmap across all its teams, above the page of rows: per dimension how
    many teams' latest round is in each colour band. Counts of teams, each one's
    cell shown in the heatmap anyway; no team is named or ranked."""

    teams: int
    missing: int
    rows: list[SummaryRow]


def summary_of(heat: Heatmap) -> HeatSummary:
    """The heatmap across all its teams: its cells counted per dimension and
    colour band."""
    rows = []
    for column, d in enumerate(heat.dimensions):
        bands = [row.cells[column].band for row in heat.rows]
        rows.append(SummaryRow(d, tuple(bands.count(b) for b in BANDS)))
    return HeatSummary(teams=len(heat.rows), missing=len(heat.missing), rows=rows)


def heat_page(heat: Heatmap, team_ids: set[int]) -> Heatmap:
    """The heatmap narrowed to these teams (one page of them), in the same order."""
    return Heatmap(
        heat.dimensions,
        [r for r in heat.rows if r.team.team_id in team_ids],
        [t for t in heat.missing if t.team_id in team_ids],
    )


# Weak or declining ----------------------------------------------------------------


@dataclass(frozen=True)
class DimensionPattern:
    dimension: Dimension
    teams: int  # teams whose latest round shows this dimension
    weak: int
    declining: int

    @property
    def flagged(self) -> int:
        return self.weak + self.declining


# Check-ins ------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckinSummary:
    # How many teams' most common check-in (latest round) was each one; "split"
    # when two check-ins tie.
    teams_by_checkin: dict[str, int]
    # All check-in answers of those teams' latest rounds, pooled; empty when the
    # pooled tally may not be shown outside the teams (a cell below the minimum,
    # or nearly all the same answer).
    answers_by_checkin: dict[str, int]
    teams: int
    # Teams with a qualifying round where fewer than the minimum gave a check-in.
    teams_hidden: int

    @property
    def answers(self) -> int:
        return sum(self.answers_by_checkin.values())

    @property
    def answers_hidden(self) -> bool:
        return self.teams > 0 and not self.answers_by_checkin


# Movement over time ---------------------------------------------------------------


@dataclass(frozen=True)
class MovementCell:
    mean: float | None
    teams: int
    change: float | None  # since the previous quarter with a value

    @property
    def size(self) -> float:
        return abs(self.change or 0.0)

    @property
    def direction(self) -> str:
        if self.change is None or abs(self.change) < DECLINE_AT_LEAST - 1e-9:
            return ""
        return "up" if self.change > 0 else "down"


@dataclass(frozen=True)
class MovementRow:
    dimension: Dimension
    cells: list[MovementCell]


@dataclass(frozen=True)
class Movement:
    periods: list[str]  # "2026 Q3", oldest first
    rows: list[MovementRow]
    teams_per_period: list[int]


def quarter(moment: pd.Series) -> pd.Series:
    """Calendar quarter labels ("2026 Q3") of timezone-aware times, in UTC."""
    utc = pd.to_datetime(moment, utc=True)
    return utc.dt.year.astype(str) + " Q" + utc.dt.quarter.astype(str)


# The whole dashboard in plain Python -----------------------------------------------
#
# For one coach's 500 teams the fixed cost of each pandas operation was most of an
# uncached dashboard: ``dashboard`` computes its figures from plain rows in one
# pass over the rounds, unpacking the tallies of only the rounds it shows.


class ClosedRound(NamedTuple):
    round_id: int
    team_id: int
    title: str
    closed_at: datetime
    min_responses: int
    team_responses: int
    stakeholder_responses: int


@dataclass(frozen=True)
class DashboardPatterns:
    """Everything the coach dashboard shows, for all the coach's teams: the
    heatmaps hold every team's row, by name (a page is ``heat_page`` of them)."""

    team_heatmap: Heatmap
    stakeholder_heatmap: Heatmap
    team_summary: HeatSummary
    stakeholder_summary: HeatSummary
    patterns: list[DimensionPattern]
    checkins: CheckinSummary
    movement: Movement


# (builtin id, mean, median or None when the tally may be shown outside the team)
_Mean = tuple[int, float, int | None]


def _shown_mean(word: str, floor: int) -> _Mean | None:
    """The shown mean of one packed tally (``assessments.packed``) of a round whose
    effective minimum is ``floor``: None unless at least the minimum rated (rule
    2); the median too where rule 4 keeps the tally inside the team."""
    builtin_id, one, two, three = unpack_word(word)
    cells = (one, two, three)
    rated = one + two + three
    if not disclosure.meets_minimum(rated, floor):
        return None
    mean = (one * 1.0 + two * 2.0 + three * 3.0) / rated
    if disclosure.tally_shown_outside(cells, floor):
        return builtin_id, mean, None
    return builtin_id, mean, disclosure.median_level(cells)


def _quarter(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return f"{utc.year} Q{(utc.month - 1) // 3 + 1}"


def dashboard(
    teams: Sequence[SharedTeam],
    rounds: Sequence[ClosedRound],
    checkins: Mapping[int, Sequence[int]],
    levels: Mapping[str, Mapping[int, str]],
    dimensions: Sequence[Dimension],
    quarters: int = MOVEMENT_QUARTERS,
) -> DashboardPatterns:
    """Everything the dashboard shows, from plain rows: the closed rounds, the
    team members' check-in counts per round (in the order of ``CHECKINS``) and
    the packed tallies per perspective and round (``assessments.packed``).

    - The heatmaps (team and stakeholders): dimensions by teams, by name, for each
      team's latest qualifying round; the stakeholder view lists a team only if
      at least the round's minimum of stakeholders answered it. A cell is the
      mean, or the median where rule 4 keeps the tally inside the team.
    - Weak or declining: per dimension, in how many teams it is weak in the
      latest round, and in how many it declined since that team's previous
      qualifying round (team view); flagged dimensions only, most often flagged
      first, then in the framework's order.
    - Check-ins: how many teams' most common check-in (latest round) was each one
      ("split" on a tie), and the pooled answers when rule 4 allows.
    - Movement: per dimension and calendar quarter (the last ``quarters``), the
      average of the shown means of each team's latest qualifying round in it."""
    qualifying = sorted(
        (
            r
            for r in rounds
            if disclosure.meets_minimum(r.team_responses, r.min_responses)
        ),
        key=lambda r: (r.closed_at, r.round_id),
    )
    by_team: dict[int, list[ClosedRound]] = {}
    for r in qualifying:
        by_team.setdefault(r.team_id, []).append(r)  # oldest first
    means_cache: dict[str, dict[int, list[_Mean]]] = {TEAM: {}, STAKEHOLDER: {}}
    # The same tally recurs in many rounds: each packed word worked out once per
    # effective minimum.
    words: defaultdict[int, dict[str, _Mean | None]] = defaultdict(dict)

    def means(r: ClosedRound, perspective: str = TEAM) -> list[_Mean]:
        cached = means_cache[perspective]
        found = cached.get(r.round_id)
        if found is None:
            floor = int(disclosure.effective_minimum(r.min_responses))
            known = words[floor]
            packed = levels.get(perspective, {}).get(r.round_id, "").split()
            for word in packed:
                if word not in known:
                    known[word] = _shown_mean(word, floor)
            found = [mean for mean in map(known.__getitem__, packed) if mean]
            cached[r.round_id] = found
        return found

    # Cells repeat (a handful of means and medians): one object each, which also
    # keeps the cached figures small.
    cells_made: dict[tuple[float | None, int | None], HeatCell] = {}

    def cell(mean: float, median: int | None) -> HeatCell:
        key = (mean, None) if median is None else (None, median)
        if key not in cells_made:
            cells_made[key] = (
                HeatCell(None, median) if median is not None else HeatCell(mean)
            )
        return cells_made[key]

    ordered = sorted(teams, key=lambda t: (t.name.casefold(), t.code))
    heatmaps = []
    for perspective in (TEAM, STAKEHOLDER):
        rows: list[HeatRow] = []
        missing: list[SharedTeam] = []
        for team in ordered:
            own = by_team.get(team.team_id)
            latest = own[-1] if own else None
            responses = (
                0
                if latest is None
                else latest.team_responses
                if perspective == TEAM
                else latest.stakeholder_responses
            )
            if latest is None or not disclosure.meets_minimum(
                responses, latest.min_responses
            ):
                missing.append(team)
                continue
            cells_by_builtin = {
                builtin_id: cell(mean, median)
                for builtin_id, mean, median in means(latest, perspective)
            }
            cells = [cells_by_builtin.get(d.builtin_id, EMPTY_CELL) for d in dimensions]
            rows.append(HeatRow(team, latest.title, latest.closed_at, responses, cells))
        heatmaps.append(Heatmap(list(dimensions), rows, missing))
    team_heat, stakeholder_heat = heatmaps

    # Weak or declining: each team's latest and previous qualifying rounds.
    rated: defaultdict[int, set[int]] = defaultdict(set)
    weak: defaultdict[int, set[int]] = defaultdict(set)
    declining: defaultdict[int, set[int]] = defaultdict(set)
    for team_id, own in by_team.items():
        latest_means = means(own[-1])
        previous: defaultdict[int, list[float]] = defaultdict(list)
        if len(own) > 1:
            for builtin_id, mean, _median_level in means(own[-2]):
                previous[builtin_id].append(mean)
        for builtin_id, mean, _median_level in latest_means:
            rated[builtin_id].add(team_id)
            if mean < WEAK_BELOW:
                weak[builtin_id].add(team_id)
            if builtin_id in previous and any(
                mean - before <= -DECLINE_AT_LEAST + 1e-9
                for before in previous[builtin_id]
            ):
                declining[builtin_id].add(team_id)
    found_patterns = [
        DimensionPattern(
            dimension=d,
            teams=len(rated.get(d.builtin_id, ())),
            weak=len(weak.get(d.builtin_id, ())),
            declining=len(declining.get(d.builtin_id, ())),
        )
        for d in dimensions
    ]
    position = {d.builtin_id: i for i, d in enumerate(dimensions)}
    flagged = sorted(
        (p for p in found_patterns if p.flagged),
        key=lambda p: (-p.flagged, -p.weak, position[p.dimension.builtin_id]),
    )

    # Check-ins of each team's latest round.
    teams_by_checkin = dict.fromkeys((*CHECKINS, SPLIT), 0)
    answers = [0] * len(CHECKINS)
    shown_teams = hidden = top_minimum = 0
    for own in by_team.values():
        latest = own[-1]
        counts = [int(n) for n in checkins.get(latest.round_id, (0,) * len(CHECKINS))]
        if not disclosure.meets_minimum(sum(counts), latest.min_responses):
            hidden += 1
            continue
        shown_teams += 1
        top_minimum = max(top_minimum, latest.min_responses)
        top = max(counts)
        winners = [c for c, n in zip(CHECKINS, counts, strict=True) if n == top]
        teams_by_checkin[winners[0] if len(winners) == 1 else SPLIT] += 1
        answers = [a + n for a, n in zip(answers, counts, strict=True)]
    pooled = dict(zip(CHECKINS, answers, strict=True))
    if not disclosure.tally_shown_outside(answers, top_minimum):
        pooled = {}
    checkin = CheckinSummary(
        teams_by_checkin=teams_by_checkin,
        answers_by_checkin=pooled,
        teams=shown_teams,
        teams_hidden=hidden,
    )

    # Movement: each team's latest qualifying round per calendar quarter.
    chosen: dict[tuple[int, str], ClosedRound] = {}
    for r in qualifying:
        chosen[(r.team_id, _quarter(r.closed_at))] = r  # later ones replace
    periods = sorted({period for _team, period in chosen})[-quarters:]
    moved = Movement([], [], [])
    if chosen:
        wanted = set(periods)
        sums: dict[str, defaultdict[int, list[float]]] = {
            period: defaultdict(list) for period in periods
        }
        per_period = dict.fromkeys(periods, 0)
        for (_team, period), r in chosen.items():
            if period not in wanted:
                continue
            per_period[period] += 1
            bucket = sums[period]
            for builtin_id, mean, _median_level in means(r):
                bucket[builtin_id].append(mean)
        movement_rows: list[MovementRow] = []
        for dim in dimensions:
            moves: list[MovementCell] = []
            last: float | None = None
            for period in periods:
                values = sums[period].get(dim.builtin_id)
                if values:
                    value = math.fsum(values) / len(values)
                    change = None if last is None else value - last
                    moves.append(MovementCell(value, len(values), change))
                    last = value
                else:
                    moves.append(MovementCell(None, 0, None))
            if any(c.mean is not None for c in moves):
                movement_rows.append(MovementRow(dim, moves))
        moved = Movement(list(periods), movement_rows, list(per_period.values()))

    return DashboardPatterns(
        team_heatmap=team_heat,
        stakeholder_heatmap=stakeholder_heat,
        team_summary=summary_of(team_heat),
        stakeholder_summary=summary_of(stakeholder_heat),
        patterns=flagged,
        checkins=checkin,
        movement=moved,
    )
