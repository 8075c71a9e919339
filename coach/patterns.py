"""Cross-team patterns for coaches, computed from plain rows. No database here.

Input frames (``coach.selectors`` fetches them with a fixed number of queries
for any number of teams; tests build them by hand):

``rounds``
    ``round_id, team_id, title, closed_at, min_responses, team_responses,
    stakeholder_responses``: the closed rounds of the teams that share with the coach.
``scores``
    ``round_id, builtin_id, perspective, rated, mean``: per round, built-in dimension
    and perspective ("team" or "stakeholder"), how many gave a level (not "don't
    know") and the mean of those levels.
``checkins``
    ``round_id, checkin, n``: how many team members gave each overall check-in.
``notes``
    ``note_id, team_id, round_id, perspective, kind, builtin_id, text``.

Dimensions line up across teams through the built-in dimension they stand for
(``RoundDimension.builtin``): a team may rename "Flow & Efficiency", it is still the
same column. A team's own custom dimensions have no counterpart in other teams and
are left out of every cross-team figure.

The minimum rule (privacy invariant 2), the same as the team report's:

1. A round counts only if at least its minimum of team members answered
   ("qualifying"); its stakeholder view only if at least the minimum of
   stakeholders answered.
2. A dimension's mean is shown only if at least the minimum gave a level.
3. A team's check-in distribution is used only if at least the minimum gave one.

Teams are always listed by name, never ordered by a score.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

TEAM = "team"
STAKEHOLDER = "stakeholder"
CHECKINS = ("underperforming", "performing", "high-performing")
SPLIT = "split"
NOTE_KINDS = ("keep", "stop", "start")

# A team's mean below this is "weak" on the dimension: more Not Meeting than
# Exceeding, by a clear margin (e.g. 2 of 6 Not Meeting and the rest Meeting).
WEAK_BELOW = 1.75
# A mean at or above this is "mostly exceeding" in the heatmap's colours.
STRONG_FROM = 2.5
# A drop of at least this many levels since the team's previous round is "declining".
DECLINE_AT_LEAST = 0.25
# A theme needs this many distinct teams; fewer is never shown.
THEME_MIN_TEAMS = 3
THEMES_PER_GROUP = 10
# Themes are words and phrases of up to this many adjacent content words.
MAX_PHRASE_WORDS = 3
# How many calendar quarters the movement table covers, newest last.
MOVEMENT_QUARTERS = 8

UNTAGGED = "untagged"
ANY = "any"
DimensionKey = int | str

ROUND_COLUMNS = [
    "round_id",
    "team_id",
    "title",
    "closed_at",
    "min_responses",
    "team_responses",
    "stakeholder_responses",
]
SCORE_COLUMNS = ["round_id", "builtin_id", "perspective", "rated", "mean"]
CHECKIN_COLUMNS = ["round_id", "checkin", "n"]
NOTE_COLUMNS = [
    "note_id",
    "team_id",
    "round_id",
    "perspective",
    "kind",
    "builtin_id",
    "text",
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


def frame(rows: Iterable[Sequence[Any]], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=list(columns))  # type: ignore[arg-type]


# Rounds ---------------------------------------------------------------------------


def qualifying_rounds(rounds: pd.DataFrame) -> pd.DataFrame:
    """Closed rounds in which at least the minimum of team members answered."""
    return rounds[rounds["team_responses"] >= rounds["min_responses"]]


def latest_rounds(rounds: pd.DataFrame) -> pd.DataFrame:
    """Each team's latest qualifying round (by closing time), one row per team."""
    qualifying = qualifying_rounds(rounds).sort_values(["closed_at", "round_id"])
    return qualifying.groupby("team_id", sort=False).tail(1)


def team_means(
    rounds: pd.DataFrame, scores: pd.DataFrame, perspective: str = TEAM
) -> pd.DataFrame:
    """The shown means of one perspective in qualifying rounds.

    Columns: round_id, team_id, closed_at, builtin_id, rated, mean. A row exists only
    where the group and the dimension both meet the round's minimum.
    """
    columns = ["round_id", "team_id", "closed_at", "builtin_id", "rated", "mean"]
    qualifying = qualifying_rounds(rounds)
    if perspective == STAKEHOLDER:
        qualifying = qualifying[
            qualifying["stakeholder_responses"] >= qualifying["min_responses"]
        ]
    chosen = scores[scores["perspective"] == perspective]
    merged = chosen.merge(
        qualifying[["round_id", "team_id", "closed_at", "min_responses"]],
        on="round_id",
    )
    merged = merged[merged["rated"] >= merged["min_responses"]]
    return merged[columns].reset_index(drop=True)


# Heatmap --------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    mean: float | None

    @property
    def text(self) -> str:
        return "\u2013" if self.mean is None else f"{self.mean:.1f}"

    @property
    def band(self) -> str:
        """The CSS class of the cell's colour (the value is always printed too)."""
        if self.mean is None:
            return "heat-none"
        if self.mean < WEAK_BELOW:
            return "heat-1"
        if self.mean < STRONG_FROM:
            return "heat-2"
        return "heat-3"


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


def heatmap(
    teams: Sequence[SharedTeam],
    rounds: pd.DataFrame,
    scores: pd.DataFrame,
    dimensions: Sequence[Dimension],
    perspective: str = TEAM,
) -> Heatmap:
    """Dimensions by teams for each team's latest qualifying round, teams by name.

    The stakeholder view uses the same round and lists a team only if at least the
    round's minimum of stakeholders answered it.
    """
    count_column = "team_responses" if perspective == TEAM else "stakeholder_responses"
    latest_frame = latest_rounds(rounds)
    latest = {
        int(team_id): (str(title), closed_at, int(responses), int(minimum))
        for team_id, title, closed_at, responses, minimum in latest_frame[
            ["team_id", "title", "closed_at", count_column, "min_responses"]
        ].itertuples(index=False)
    }
    latest_scores = scores[scores["round_id"].isin(latest_frame["round_id"])]
    means = team_means(rounds, latest_scores, perspective)
    by_team = dict(
        zip(
            zip(means["team_id"].tolist(), means["builtin_id"].tolist(), strict=True),
            means["mean"].tolist(),
            strict=True,
        )
    )
    rows: list[HeatRow] = []
    missing: list[SharedTeam] = []
    for team in sorted(teams, key=lambda t: (t.name.casefold(), t.code)):
        if team.team_id not in latest:
            missing.append(team)
            continue
        title, closed_at, responses, minimum = latest[team.team_id]
        if responses < minimum:
            missing.append(team)
            continue
        cells = [
            HeatCell(by_team.get((team.team_id, d.builtin_id))) for d in dimensions
        ]
        rows.append(HeatRow(team, title, closed_at, responses, cells))
    return Heatmap(list(dimensions), rows, missing)


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


def weak_or_declining(
    rounds: pd.DataFrame, scores: pd.DataFrame, dimensions: Sequence[Dimension]
) -> list[DimensionPattern]:
    """Per dimension, in how many teams it is weak in the latest round, and in how
    many it declined since that team's previous qualifying round (team view).

    Only dimensions flagged at least once; most often flagged first, then in the
    framework's order. Counts of teams only: no team is named.
    """
    means = team_means(rounds, scores, TEAM)
    order = qualifying_rounds(rounds).sort_values(
        ["closed_at", "round_id"], ascending=False
    )
    order = order.assign(recency=order.groupby("team_id").cumcount())
    means = means.merge(order[["round_id", "recency"]], on="round_id")
    latest = means[means["recency"] == 0]
    previous = means[means["recency"] == 1]
    both = latest[["team_id", "builtin_id", "mean"]].merge(
        previous[["team_id", "builtin_id", "mean"]],
        on=["team_id", "builtin_id"],
        suffixes=("", "_previous"),
    )
    declined = both[both["mean"] - both["mean_previous"] <= -DECLINE_AT_LEAST + 1e-9]
    rated = latest.groupby("builtin_id")["team_id"].nunique()
    weak = latest[latest["mean"] < WEAK_BELOW].groupby("builtin_id")["team_id"]
    weak_counts = weak.nunique()
    declining = declined.groupby("builtin_id")["team_id"].nunique()
    patterns = [
        DimensionPattern(
            dimension=d,
            teams=int(rated.get(d.builtin_id, 0)),
            weak=int(weak_counts.get(d.builtin_id, 0)),
            declining=int(declining.get(d.builtin_id, 0)),
        )
        for d in dimensions
    ]
    flagged = [p for p in patterns if p.flagged]
    position = {d.builtin_id: i for i, d in enumerate(dimensions)}
    return sorted(
        flagged, key=lambda p: (-p.flagged, -p.weak, position[p.dimension.builtin_id])
    )


# Check-ins ------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckinSummary:
    # How many teams' most common check-in (latest round) was each one; "split"
    # when two check-ins tie.
    teams_by_checkin: dict[str, int]
    # All check-in answers of those teams' latest rounds, pooled.
    answers_by_checkin: dict[str, int]
    teams: int
    # Teams with a qualifying round where fewer than the minimum gave a check-in.
    teams_hidden: int

    @property
    def answers(self) -> int:
        return sum(self.answers_by_checkin.values())


def checkin_summary(rounds: pd.DataFrame, checkins: pd.DataFrame) -> CheckinSummary:
    latest = latest_rounds(rounds)[["round_id", "team_id", "min_responses"]]
    given = checkins[checkins["checkin"].isin(CHECKINS)]
    table = (
        given.pivot_table(
            index="round_id", columns="checkin", values="n", aggfunc="sum"
        )
        .reindex(columns=list(CHECKINS))
        .fillna(0)
        .astype(int)
    )
    table.columns.name = None
    merged = latest.merge(table, left_on="round_id", right_index=True, how="left")
    merged = merged.fillna(dict.fromkeys(CHECKINS, 0))
    total = merged[list(CHECKINS)].sum(axis=1)
    shown = merged[total >= merged["min_responses"]]
    teams_by_checkin = dict.fromkeys((*CHECKINS, SPLIT), 0)
    for counts in shown[list(CHECKINS)].itertuples(index=False):
        values = [int(v) for v in counts]
        top = max(values)
        winners = [c for c, v in zip(CHECKINS, values, strict=True) if v == top]
        teams_by_checkin[winners[0] if len(winners) == 1 else SPLIT] += 1
    answers = {c: int(shown[c].sum()) for c in CHECKINS}
    return CheckinSummary(
        teams_by_checkin=teams_by_checkin,
        answers_by_checkin=answers,
        teams=len(shown),
        teams_hidden=len(merged) - len(shown),
    )


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


def movement(
    rounds: pd.DataFrame,
    scores: pd.DataFrame,
    dimensions: Sequence[Dimension],
    quarters: int = MOVEMENT_QUARTERS,
) -> Movement:
    """How each dimension moved, quarter by quarter (team view).

    Per team and quarter the team's latest qualifying round counts; a cell is the
    average of those teams' shown means, with the number of teams behind it.
    """
    qualifying = qualifying_rounds(rounds)
    if qualifying.empty:
        return Movement([], [], [])
    qualifying = qualifying.assign(period=quarter(qualifying["closed_at"]))
    per_period = qualifying.sort_values(["closed_at", "round_id"]).groupby(
        ["team_id", "period"], sort=False
    )
    chosen = per_period.tail(1)
    periods = sorted(chosen["period"].unique())[-quarters:]
    chosen = chosen[chosen["period"].isin(periods)]
    means = team_means(rounds, scores, TEAM).merge(
        chosen[["round_id", "period"]], on="round_id"
    )
    grouped = means.groupby(["builtin_id", "period"])["mean"].agg(["mean", "count"])
    table = {
        (int(builtin_id), str(period)): (float(mean), int(count))
        for (builtin_id, period), mean, count in zip(
            grouped.index, grouped["mean"], grouped["count"], strict=True
        )
    }
    teams_per_period = [int((chosen["period"] == period).sum()) for period in periods]
    rows: list[MovementRow] = []
    for dim in dimensions:
        cells: list[MovementCell] = []
        last: float | None = None
        for period in periods:
            key = (dim.builtin_id, period)
            if key in table:
                value, count = table[key]
                change = None if last is None else value - last
                cells.append(MovementCell(value, count, change))
                last = value
            else:
                cells.append(MovementCell(None, 0, None))
        if any(c.mean is not None for c in cells):
            rows.append(MovementRow(dim, cells))
    return Movement(list(periods), rows, teams_per_period)


# Recurring themes in notes --------------------------------------------------------

_STOP_WORDS = """
    a about above after again against all also am an and any are aren't as at be
    because been before being below between both but by can can't cannot could
    couldn't did didn't do does doesn't doing don't down during each else etc even
    ever every few for from further get gets getting got had hadn't has hasn't have
    haven't having he her here hers herself him himself his how i i'm if in into is
    isn't it it's its itself just let's lot lots may me might more most much must
    mustn't my myself need needs no nor not now of off on once one only or other
    ought our ours ourselves out over own really same shan't she should shouldn't so
    some still such than that that's the their theirs them themselves then there
    there's these they they're this those though through to too under until up us
    very via was wasn't we we're we've were weren't what when where which while who
    whom why will with without won't would wouldn't yet you your yours yourself
    keep keeping stop stopping start starting continue continuing doing team teams
    many like sure
    thing things stuff bit always never sometimes often less better make making
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# Words that say little alone but belong in phrases ("cycle time", "unplanned work"):
# never a theme by themselves.
PHRASE_ONLY_WORDS = frozenset(
    ["time", "work", "way", "people", "good", "great", "new", "day", "week", "sprint"]
)
RIGHT_QUOTE = "\u2019"
# Sentence punctuation ends a phrase; a phrase is a run of words with no stop-word.
_CLAUSE = re.compile('[.,;:!?()\\[\\]{}"/\\\\|\n\r\t*\u2022\u2013\u2014]+')
_WORD = re.compile("[^\\W\\d_]+(?:['\u2019-][^\\W\\d_]+)*")


def normalise_word(word: str) -> str:
    """Lowercase, and a light plural folding so that "tests" and "test" meet."""
    word = unicodedata.normalize("NFKC", word).casefold().replace(RIGHT_QUOTE, "'")
    if word.endswith("'s"):
        word = word[:-2]
    if (
        len(word) > 4
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "ous"))
    ):
        word = word[:-3] + "y" if word.endswith("ies") else word[:-1]
    return word


def note_terms(text: str) -> dict[str, str]:
    """The terms of a note: its content words and phrases of up to three adjacent
    content words (not across a stop-word or punctuation). Maps each normalised
    term to the words as written (lowercase), to show it the way people wrote it."""
    terms: dict[str, str] = {}
    for clause in _CLAUSE.split(text):
        run: list[tuple[str, str]] = []
        for match in _WORD.finditer(clause):
            written = match.group().casefold().replace(RIGHT_QUOTE, "'")
            key = normalise_word(written)
            if key in STOP_WORDS or written in STOP_WORDS or len(key) < 3:
                run = []
                continue
            if key not in PHRASE_ONLY_WORDS:
                terms.setdefault(key, written)
            run.append((key, written))
            for size in range(2, min(len(run), MAX_PHRASE_WORDS) + 1):
                phrase = run[-size:]
                terms.setdefault(
                    " ".join(k for k, _ in phrase), " ".join(w for _, w in phrase)
                )
    return terms


def visible_notes(
    notes: pd.DataFrame, rounds: pd.DataFrame, teams: Sequence[SharedTeam]
) -> pd.DataFrame:
    """Notes a coach may read for themes: from teams that share their notes, from
    each team's latest qualifying round, and from stakeholders only where enough
    stakeholders answered that round."""
    sharing = {t.team_id for t in teams if t.include_notes}
    latest = latest_rounds(rounds)
    latest = latest[latest["team_id"].isin(sharing)]
    merged = notes.merge(
        latest[["round_id", "min_responses", "stakeholder_responses"]], on="round_id"
    )
    stakeholders_shown = merged["stakeholder_responses"] >= merged["min_responses"]
    keep = (merged["perspective"] == TEAM) | (
        (merged["perspective"] == STAKEHOLDER) & stakeholders_shown
    )
    return merged.loc[keep, NOTE_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class Theme:
    kind: str
    dimension: DimensionKey  # a built-in dimension's id, UNTAGGED or ANY
    key: str  # the normalised term
    term: str  # as most often written
    teams: int
    notes: int


@dataclass
class ThemeGroup:
    kind: str
    dimension: DimensionKey
    themes: list[Theme] = field(default_factory=list)


def _dimension_key(builtin_id: object) -> DimensionKey:
    """Notes with no built-in dimension (untagged, or tagged with a team's own
    dimension) group together."""
    if builtin_id is None or builtin_id != builtin_id:  # None or NaN
        return UNTAGGED
    return int(builtin_id)  # type: ignore[call-overload]


class _Tally:
    """Which teams and notes mention each term, and how it was written."""

    def __init__(self) -> None:
        self.teams: dict[str, set[int]] = defaultdict(set)
        self.notes: dict[str, set[object]] = defaultdict(set)
        self.written: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, key: str, written: str, team_id: int, note_id: object) -> None:
        self.teams[key].add(team_id)
        self.notes[key].add(note_id)
        self.written[key][written] += 1

    def themes(self, kind: str, dimension: DimensionKey, min_teams: int) -> list[Theme]:
        found = {
            key: Theme(
                kind=kind,
                dimension=dimension,
                key=key,
                term=min(self.written[key].items(), key=lambda kv: (-kv[1], kv[0]))[0],
                teams=len(team_ids),
                notes=len(self.notes[key]),
            )
            for key, team_ids in self.teams.items()
            if len(team_ids) >= min_teams
        }
        # A shorter term that only ever appears inside a longer theme adds nothing
        # ("flaky" next to "flaky tests"): keep the longer one.
        redundant = {
            part
            for key in found
            for part in _sub_phrases(key)
            if part in found and self.teams[part] == self.teams[key]
        }
        kept = [t for key, t in found.items() if key not in redundant]
        kept.sort(key=lambda t: (-t.teams, -t.notes, t.term))
        return kept[:THEMES_PER_GROUP]


def _sub_phrases(key: str) -> set[str]:
    words = key.split()
    return {
        " ".join(words[start : start + size])
        for size in range(1, len(words))
        for start in range(len(words) - size + 1)
    }


def themes(
    notes: pd.DataFrame,
    dimensions: Sequence[Dimension],
    min_teams: int = THEME_MIN_TEAMS,
) -> list[ThemeGroup]:
    """Recurring terms per kind (keep, stop, start) and tagged dimension.

    A theme is a word or a phrase of up to three words that notes of at least
    ``min_teams`` distinct teams contain. Groups: each built-in dimension, then
    notes with no built-in dimension (untagged or tagged with a team's own
    dimension), then "across dimensions": terms that reach ``min_teams`` only when
    the kind's notes are taken together. Only non-empty groups are returned.
    """
    min_teams = max(min_teams, THEME_MIN_TEAMS)
    tallies: dict[tuple[str, DimensionKey], _Tally] = defaultdict(_Tally)
    for note_id, team_id, kind, builtin_id, text in notes[
        ["note_id", "team_id", "kind", "builtin_id", "text"]
    ].itertuples(index=False):
        in_dimension = tallies[(kind, _dimension_key(builtin_id))]
        across = tallies[(kind, ANY)]
        for key, written in note_terms(str(text)).items():
            in_dimension.add(key, written, team_id, note_id)
            across.add(key, written, team_id, note_id)
    order: list[DimensionKey] = [d.builtin_id for d in dimensions]
    order.append(UNTAGGED)
    groups: list[ThemeGroup] = []
    for kind in NOTE_KINDS:
        shown: set[str] = set()
        for dimension in order:
            if (kind, dimension) not in tallies:
                continue
            found = tallies[(kind, dimension)].themes(kind, dimension, min_teams)
            if found:
                groups.append(ThemeGroup(kind, dimension, found))
                shown.update(t.key for t in found)
        if (kind, ANY) in tallies:
            rest = tallies[(kind, ANY)].themes(kind, ANY, min_teams)
            rest = [t for t in rest if t.key not in shown]
            if rest:
                groups.append(ThemeGroup(kind, ANY, rest))
    return groups


def find_theme(
    groups: Sequence[ThemeGroup], kind: str, dimension: DimensionKey, key: str
) -> Theme | None:
    for group in groups:
        if group.kind == kind and group.dimension == dimension:
            for theme in group.themes:
                if theme.key == key:
                    return theme
    return None


def notes_behind(notes: pd.DataFrame, theme: Theme) -> list[str]:
    """The texts of the notes behind a theme, without any attribution, ordered by
    their random ids (a shuffle that does not change on every reload)."""
    chosen = notes[notes["kind"] == theme.kind]
    found: list[tuple[str, str]] = []
    for note_id, builtin_id, text in chosen[
        ["note_id", "builtin_id", "text"]
    ].itertuples(index=False):
        if theme.dimension != ANY and _dimension_key(builtin_id) != theme.dimension:
            continue
        if theme.key in note_terms(str(text)):
            found.append((str(note_id), str(text)))
    return [text for _, text in sorted(found)]
