"""The figures of a report, computed from plain rows with pandas. No database here.

Input frames (``reports.selectors`` fetches them, a fixed number of queries for any
number of rounds; tests build them by hand):

``ratings``
    ``round_id, dimension_id, perspective, relationship, level, n``: how many answers
    (``n``) of one perspective ("team" or "stakeholder") and relationship label gave
    one level (1, 2, 3; missing = "don't know") to one round dimension. One row per
    single answer (``n`` = 1) works the same way. Other columns are ignored.
``responses``
    ``round_id, perspective, relationship, checkin, n``: how many responses of a
    perspective and relationship gave one overall check-in ("" = none given).
``minimums``
    ``{round_id: min_responses}``.

A *group* is a (perspective, relationship) pair: ``("team", "")`` is the team,
``("stakeholder", "")`` all stakeholders, ``("stakeholder", label)`` the stakeholders
who picked that relationship.

What may be shown is decided by ``assessments.disclosure`` (this module only asks
it, column-wise):

1. A group is visible only if it meets the round's minimum (``meets_minimum``).
2. Relationship groups are cut out of the stakeholder group: they are shown only as
   far as the stakeholders left outside them number 0 or at least the minimum
   (``visible_subgroups``), or the stakeholder figures minus the relationship
   figures would describe them.
3. Within a visible group, a dimension's levels (distribution, mean, median, spread,
   agreement) are shown only if at least the minimum gave a level, not "don't know";
   rule 2 is applied again, per dimension, to the relationship groups, by the number
   who gave a level. Likewise a group's check-in distribution needs the minimum of
   people who gave a check-in. The numbers of answers and of "don't know" are shown
   for every visible group.

Hidden figures come back as missing values (NaN / <NA>); hidden groups have no row.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from assessments import choices, disclosure

TEAM = choices.TEAM
STAKEHOLDER = choices.STAKEHOLDER
ALL = ""  # the relationship of the team and of "all stakeholders"

LEVELS = choices.LEVELS
LEVEL_COLUMNS = tuple(f"level_{level}" for level in LEVELS)
CHECKINS = choices.CHECKINS

# A gap of at least this many levels between the team's and the stakeholders' mean
# is a blind spot (team higher) or a hidden strength (team lower).
GAP_THRESHOLD = 0.5
# Agreement (Tastle & Wierman's consensus, 0-1) at or above this is "agreement",
# below DIVIDED "divided", in between "mixed".
AGREEMENT_HIGH = 0.7
AGREEMENT_DIVIDED = 0.4
# A change since the previous round smaller than this either way is "steady".
TREND_STEADY = 0.1

GROUP_KEYS = ["round_id", "perspective", "relationship"]


def group_sizes(responses: pd.DataFrame, minimums: Mapping[int, int]) -> pd.DataFrame:
    """Responses per group and whether the group may be shown (rules 1 and 2).

    Columns: round_id, perspective, relationship, responses, minimum, visible.
    Every group with at least one response has a row, visible or not (callers show
    "n of m answered" from it); the team and all-stakeholders rows always exist.
    Rows of rounds not in ``minimums`` are ignored.
    """
    frame = responses[responses["round_id"].isin(list(minimums))]
    grouped = (
        frame.assign(relationship=frame["relationship"].fillna("").astype(str))
        .groupby(GROUP_KEYS)["n"]
        .sum()
    )
    counts: dict[tuple[int, str, str], int] = {}
    for round_id in minimums:
        counts[(round_id, TEAM, ALL)] = counts[(round_id, STAKEHOLDER, ALL)] = 0
    for group, n in grouped.items():
        round_id, perspective, relationship = cast(tuple[int, str, str], group)
        if perspective not in (TEAM, STAKEHOLDER):
            continue
        counts[(round_id, perspective, ALL)] += int(n)
        if perspective == STAKEHOLDER and relationship != ALL:
            key = (round_id, STAKEHOLDER, relationship)
            counts[key] = counts.get(key, 0) + int(n)
    rows = _visibility_rows(counts, minimums)
    columns = [*GROUP_KEYS, "responses", "minimum", "visible"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"responses": int, "minimum": int, "visible": bool}
    )


@dataclass(frozen=True)
class Figures:
    """Every figure of some rounds, with the minimum rule already applied."""

    dimensions: pd.DataFrame
    sizes: pd.DataFrame
    stats: pd.DataFrame
    checkins: pd.DataFrame
    gaps: pd.DataFrame
    # Rounds whose relationship groups are no longer shown on their own, their
    # stakeholders having answered in more than one batch (``reports.frozen``).
    regrouped: frozenset[int] = frozenset()

    def keys(self) -> dict[int, str]:
        """dimension_id -> the key that lines a dimension up across rounds."""
        return dict(
            zip(self.dimensions["dimension_id"], self.dimensions["key"], strict=True)
        )


def compute(
    *,
    dimensions: pd.DataFrame,
    ratings: pd.DataFrame,
    responses: pd.DataFrame,
    minimums: Mapping[int, int],
    sizes: pd.DataFrame | None = None,
) -> Figures:
    """Every figure of the rounds in ``minimums`` from their rows. ``sizes`` are
    their ``group_sizes`` if the caller has them already (not computed again).
    Plain Python over the rows (see below)."""
    names = ["round_id", "perspective", "relationship", "checkin", "n"]
    rows = [
        (cast(int, r), p, _label(rel), _label(c), int(cast(int, n)))
        for r, p, rel, c, n in zip(*_columns(responses, names), strict=True)
        if r in minimums
    ]
    size_rows: list[tuple[int, str, str, int, int, bool]]
    if sizes is None:
        size_rows = _sizes_rows(rows, minimums)
        sizes = pd.DataFrame(
            {
                "round_id": _ints([row[0] for row in size_rows]),
                "perspective": _strs([row[1] for row in size_rows]),
                "relationship": _strs([row[2] for row in size_rows]),
                "responses": np.array([row[3] for row in size_rows], dtype=np.int64),
                "minimum": np.array([row[4] for row in size_rows], dtype=np.int64),
                "visible": np.array([row[5] for row in size_rows], dtype=bool),
            },
            copy=False,
        )
    else:
        sizes = sizes[sizes["round_id"].isin(list(minimums))].reset_index(drop=True)
        size_names = [*GROUP_KEYS, "responses", "minimum", "visible"]
        size_rows = list(zip(*_columns(sizes, size_names), strict=True))
    visible = {(r, p, rel): m for r, p, rel, _n, m, v in size_rows if v}
    stats, means = _stats_frame(ratings, visible)
    return Figures(
        dimensions=dimensions,
        sizes=sizes,
        stats=stats,
        checkins=_checkins_frame(rows, size_rows),
        gaps=_gaps_frame(means),
    )


def _level_at(position: np.ndarray, l1: np.ndarray, l2: np.ndarray) -> np.ndarray:
    """The level at a 1-based position in the sorted levels."""
    return np.where(position <= l1, 1.0, np.where(position <= l1 + l2, 2.0, 3.0))


def changes(
    stats: pd.DataFrame,
    keys: Mapping[int, object],
    current_round_id: int,
    previous_round_id: int | None,
) -> pd.DataFrame:
    """The change of each dimension's mean since the previous round.

    ``keys`` maps each dimension_id of both rounds to what identifies "the same
    dimension" across rounds (the team's dimension, or the built-in one). Only the
    team and all stakeholders, only where both rounds show the mean.
    Columns: dimension_id (the current round's), perspective, previous_mean, mean,
    change.
    """
    columns = ["dimension_id", "perspective", "previous_mean", "mean", "change"]
    if previous_round_id is None:
        return pd.DataFrame(columns=columns)
    overall = stats[(stats["relationship"] == ALL) & stats["shown"]].copy()
    overall["key"] = overall["dimension_id"].map(keys)
    now = overall[overall["round_id"] == current_round_id]
    before = overall[overall["round_id"] == previous_round_id]
    merged = now[["dimension_id", "perspective", "key", "mean"]].merge(
        before[["perspective", "key", "mean"]].rename(
            columns={"mean": "previous_mean"}
        ),
        on=["perspective", "key"],
    )
    merged["change"] = merged["mean"] - merged["previous_mean"]
    return merged[columns].reset_index(drop=True)


def trends(
    stats: pd.DataFrame, keys: Mapping[int, object], round_order: Sequence[int]
) -> pd.DataFrame:
    """Each dimension's mean over the rounds, oldest first, where it is shown.

    Columns: key, perspective, round_id, position (index in ``round_order``), mean.
    Only the team and all stakeholders.
    """
    position = {round_id: i for i, round_id in enumerate(round_order)}
    overall = stats[
        (stats["relationship"] == ALL)
        & stats["shown"]
        & stats["round_id"].isin(position)
    ].copy()
    overall["key"] = overall["dimension_id"].map(keys)
    overall["position"] = overall["round_id"].map(position).astype(int)
    columns = ["key", "perspective", "round_id", "position", "mean"]
    return (
        overall[columns]
        .sort_values(["key", "perspective", "position"])
        .reset_index(drop=True)
    )


def trend_direction(trend: pd.DataFrame, steady: float = TREND_STEADY) -> pd.DataFrame:
    """Each dimension's direction: the change of its mean from the previous round
    with a figure to the latest one, which is what a reader sees at the right end
    of the chart. (A least-squares slope over all rounds can say "declining" for a
    dimension whose last three rounds rose, when the first round was high.)

    Columns: key, perspective, rounds, first, last, change, direction; direction is
    "improving" (change at least ``steady``), "declining" (at most -``steady``),
    "steady", or "" with fewer than two rounds.
    """
    rows = []
    for (key, perspective), series in trend.groupby(["key", "perspective"], sort=False):
        y = series["mean"].to_numpy(dtype=float)
        change = float(y[-1] - y[-2]) if len(y) >= 2 else math.nan
        if math.isnan(change):
            direction = ""
        elif change >= steady - 1e-9:
            direction = "improving"
        elif change <= -steady + 1e-9:
            direction = "declining"
        else:
            direction = "steady"
        rows.append((key, perspective, len(y), y[0], y[-1], change, direction))
    columns = ["key", "perspective", "rounds", "first", "last", "change", "direction"]
    return pd.DataFrame(rows, columns=columns)


def agreement_label(agreement: float) -> str:
    """ "agreement", "mixed" or "divided" for a consensus value; "" when missing."""
    if agreement is None or math.isnan(agreement):
        return ""
    if agreement >= AGREEMENT_HIGH:
        return "agreement"
    if agreement >= AGREEMENT_DIVIDED:
        return "mixed"
    return "divided"


def frame(
    rows: Iterable[Sequence[Any]],
    columns: Sequence[str],
    *,
    single_answers: bool = False,
) -> pd.DataFrame:
    """The one frame builder: rows from a query (or built by hand) as a frame with
    these columns. ``single_answers``: each row is one answer, so ``n`` = 1 is added
    if the rows have no count. The report's and the coach's selectors, the tests and
    the benchmarks all build their frames here."""
    result = pd.DataFrame.from_records(list(rows), columns=list(columns))  # type: ignore[arg-type]
    if single_answers and "n" not in result:
        result["n"] = 1
    return result


# How ``compute`` works ---------------------------------------------------------------
#
# A team's round comes from the database as a few dozen grouped rows, where every
# pandas operation costs more than the arithmetic (about 1 ms for a single groupby
# of the same rows). ``compute`` therefore works on the rows as Python tuples,
# computes the level figures of all tallies at once with numpy and builds each
# result frame once, without copying its columns (about 1.1-1.4x that groupby,
# docs/performance.md). tests/reports/test_figures.py holds it to figures
# computed by hand.


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value != value


def _label(value: object) -> str:
    return "" if _missing(value) else str(value)


def _ints(values: Sequence[object]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def _strs(values: Sequence[object]) -> object:
    # A list of str becomes pandas' string dtype by itself; only an empty one needs
    # telling (and pd.array costs more than the inference).
    return list(values) if values else pd.array([], dtype="str")


def _columns(frame: pd.DataFrame, names: Sequence[str]) -> list[list[object]]:
    return [frame[name].tolist() for name in names]


def _groups_of(perspective: object, relationship: str) -> tuple[tuple[str, str], ...]:
    """The groups one row counts in: a stakeholder's row counts in all
    stakeholders and in its relationship group; a team row only in the team."""
    if perspective == TEAM:
        return ((TEAM, ALL),)
    if perspective == STAKEHOLDER:
        if relationship == ALL:
            return ((STAKEHOLDER, ALL),)
        return ((STAKEHOLDER, ALL), (STAKEHOLDER, relationship))
    return ()


def _sizes_rows(
    responses: list[tuple[int, object, str, str, int]], minimums: Mapping[int, int]
) -> list[tuple[int, str, str, int, int, bool]]:
    counts: dict[tuple[int, str, str], int] = {}
    for round_id in minimums:
        counts[(round_id, TEAM, ALL)] = counts[(round_id, STAKEHOLDER, ALL)] = 0
    for round_id, perspective, relationship, _checkin, n in responses:
        for group in _groups_of(perspective, relationship):
            key = (round_id, *group)
            counts[key] = counts.get(key, 0) + n
    return _visibility_rows(counts, minimums)


def _visibility_rows(
    counts: dict[tuple[int, str, str], int], minimums: Mapping[int, int]
) -> list[tuple[int, str, str, int, int, bool]]:
    """Group sizes to rows (round, perspective, relationship, responses, minimum,
    visible), by round, as the disclosure rules judge them: used by both the pandas
    reference and the plain-Python path, so the two can never judge differently."""
    rows: list[tuple[int, str, str, int, int, bool]] = []
    for round_id, minimum in minimums.items():
        labelled = {
            name: n
            for (r, perspective, name), n in counts.items()
            if r == round_id and perspective == STAKEHOLDER and name != ALL
        }
        stakeholders = counts[(round_id, STAKEHOLDER, ALL)]
        keep = disclosure.visible_subgroups(stakeholders, labelled, minimum)
        team = counts[(round_id, TEAM, ALL)]
        rows.append(
            (
                round_id,
                TEAM,
                ALL,
                team,
                minimum,
                disclosure.meets_minimum(team, minimum),
            )
        )
        shown = disclosure.meets_minimum(stakeholders, minimum)
        rows.append((round_id, STAKEHOLDER, ALL, stakeholders, minimum, shown))
        rows += [
            (round_id, STAKEHOLDER, name, n, minimum, name in keep)
            for name, n in sorted(labelled.items())
        ]
    rows.sort(key=lambda row: row[0])  # by round, stable within it
    return rows


def _hide_subgroups(
    rows: list[list[object]], key_length: int, size: int, flag: int
) -> None:
    """Rule 2, in place: clear ``flag`` of the relationship groups whose
    complement in the stakeholder group (by the ``size`` item) would be too small.
    Rows' first ``key_length`` items are the round (and dimension), then
    perspective and relationship."""
    totals: dict[tuple[object, ...], tuple[int, bool]] = {}
    labelled: dict[tuple[object, ...], list[list[object]]] = {}
    for row in rows:
        if row[key_length] != STAKEHOLDER:
            continue
        key = tuple(row[:key_length])
        if row[key_length + 1] == ALL:
            totals[key] = (cast(int, row[size]), bool(row[flag]))
        else:
            labelled.setdefault(key, []).append(row)
    for key, members in labelled.items():
        total, total_shown = totals.get(key, (0, False))
        minimum = cast(int, members[0][-1])
        sizes = {cast(str, m[key_length + 1]): cast(int, m[size]) for m in members}
        keep = disclosure.visible_subgroups(total, sizes, minimum)
        for m in members:
            if m[key_length + 1] not in keep or not total_shown:
                m[flag] = False


def _stats_frame(
    ratings: pd.DataFrame, visible: dict[tuple[int, str, str], int]
) -> tuple[pd.DataFrame, dict[tuple[int, int, str], float]]:
    """The stats frame, and the shown means of the team and all stakeholders by
    (round, dimension, perspective), for the gaps."""
    tallies: dict[tuple[int, int, str, str], list[int]] = {}
    # The visible groups a row counts in, by (round, perspective, relationship):
    # a round has a handful, its rows a few hundred.
    groups_of: dict[tuple[object, object, object], list[tuple[str, str]]] = {}
    names = ["round_id", "dimension_id", "perspective", "relationship", "level", "n"]
    for round_id, dimension_id, perspective, relationship, level, n in zip(
        *_columns(ratings, names), strict=True
    ):
        where = (round_id, perspective, relationship)
        groups = groups_of.get(where)
        if groups is None:
            groups = groups_of[where] = [
                group
                for group in _groups_of(perspective, _label(relationship))
                if (round_id, *group) in visible
            ]
        if not groups:
            continue
        index = 0 if _missing(level) else int(level)
        for group in groups:
            key = (round_id, dimension_id, *group)
            tally = tallies.get(key)
            if tally is None:
                tally = tallies[key] = [0, 0, 0, 0]
            tally[index] += int(n)
    rows: list[list[Any]] = []
    for key in sorted(tallies):
        dont_know, l1, l2, l3 = tallies[key]
        rated = l1 + l2 + l3
        minimum = visible[(key[0], key[2], key[3])]
        shown = bool(disclosure.meets_minimum(rated, minimum))
        rows.append([*key, rated, shown, dont_know, l1, l2, l3, minimum])
    _hide_subgroups(rows, key_length=2, size=4, flag=5)
    shown_column = np.array([row[5] for row in rows], dtype=bool)
    levels = [
        np.where(shown_column, np.array([row[i] for row in rows], dtype=float), np.nan)
        for i in (7, 8, 9)
    ]
    mean, median, spread, agreement = _level_arrays(*levels)
    means: dict[tuple[int, int, str], float] = {
        (row[0], row[1], row[2]): float(value)
        for row, value in zip(rows, mean.tolist(), strict=True)
        if row[5] and row[3] == ALL
    }
    rated_column = np.array([row[4] for row in rows], dtype=np.int64)
    dont_know_column = np.array([row[6] for row in rows], dtype=np.int64)
    frame = pd.DataFrame(
        {
            "round_id": _ints([row[0] for row in rows]),
            "dimension_id": _ints([row[1] for row in rows]),
            "perspective": _strs([row[2] for row in rows]),
            "relationship": _strs([row[3] for row in rows]),
            "answers": rated_column + dont_know_column,
            "dont_know": dont_know_column,
            "rated": rated_column,
            **dict(zip(LEVEL_COLUMNS, levels, strict=True)),
            "mean": mean,
            "median": median,
            "spread": spread,
            "agreement": agreement,
            "shown": shown_column,
        },
        copy=False,
    )
    return frame, means


def _level_arrays(
    l1: np.ndarray, l2: np.ndarray, l3: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean, median, spread and agreement of tallies given as arrays, missing
    (NaN) where the tally is. ``spread`` is the standard deviation of the levels;
    agreement Tastle and Wierman's (2007) consensus, 1 + sum p_i log2(1 - |i -
    mean| / 2): 1 when everyone gave the same level, 0 when the answers are split
    between the two ends."""
    rated = l1 + l2 + l3
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (l1 + 2 * l2 + 3 * l3) / rated
        variance = (l1 + 4 * l2 + 9 * l3) / rated - mean**2
        spread = np.sqrt(np.clip(variance, 0, None))
        low = _level_at(np.floor((rated + 1) / 2), l1, l2)
        high = _level_at(np.ceil((rated + 1) / 2), l1, l2)
        median = (low + high) / 2
        consensus = np.ones_like(mean)
        for level, count in zip(LEVELS, (l1, l2, l3), strict=True):
            term = (count / rated) * np.log2(1 - np.abs(level - mean) / 2)
            consensus += np.where(count > 0, term, 0.0)
    missing = np.isnan(rated) | (rated == 0)
    return (
        np.where(missing, np.nan, mean),
        np.where(missing, np.nan, median),
        np.where(missing, np.nan, spread),
        np.where(missing, np.nan, consensus),
    )


def _checkins_frame(
    responses: list[tuple[int, object, str, str, int]],
    sizes: list[tuple[int, str, str, int, int, bool]],
) -> pd.DataFrame:
    kinds = [*CHECKINS, "no_answer"]
    tallies: dict[tuple[int, str, str], dict[str, int]] = {}
    for round_id, perspective, relationship, checkin, n in responses:
        kind = checkin or "no_answer"
        for group in _groups_of(perspective, relationship):
            tally = tallies.setdefault((round_id, *group), {})
            tally[kind] = tally.get(kind, 0) + n
    rows: list[list[object]] = []
    for round_id, perspective, relationship, count, minimum, visible in sizes:
        if not visible:
            continue
        tally = tallies.get((round_id, perspective, relationship), {})
        cells = [tally.get(kind, 0) for kind in kinds]
        given = sum(cells[: len(CHECKINS)])
        shown = bool(disclosure.meets_minimum(given, minimum))
        rows.append(
            [round_id, perspective, relationship, given, shown, count, *cells, minimum]
        )
    _hide_subgroups(rows, key_length=1, size=3, flag=4)
    kept = [row for row in rows if row[4]]
    frame = pd.DataFrame(
        {
            "round_id": _ints([row[0] for row in kept]),
            "perspective": _strs([row[1] for row in kept]),
            "relationship": _strs([row[2] for row in kept]),
            "responses": np.array([row[5] for row in kept], dtype=np.int64),
            **{
                kind: np.array([row[6 + i] for row in kept], dtype=np.int64)
                for i, kind in enumerate(kinds)
            },
        },
        copy=False,
    )
    return frame


def _gaps_frame(
    means: dict[tuple[int, int, str], float], threshold: float = GAP_THRESHOLD
) -> pd.DataFrame:
    rows = [
        (r, d, mean, means[(r, d, STAKEHOLDER)])
        for (r, d, perspective), mean in means.items()
        if perspective == TEAM and (r, d, STAKEHOLDER) in means
    ]
    gap = [t - s for _r, _d, t, s in rows]
    return pd.DataFrame(
        {
            "round_id": _ints([row[0] for row in rows]),
            "dimension_id": _ints([row[1] for row in rows]),
            "team_mean": np.array([row[2] for row in rows], dtype=float),
            "stakeholder_mean": np.array([row[3] for row in rows], dtype=float),
            "gap": np.array(gap, dtype=float),
            "kind": _strs(
                [
                    "blind_spot"
                    if g >= threshold - 1e-9
                    else "hidden_strength"
                    if g <= -threshold + 1e-9
                    else "aligned"
                    for g in gap
                ]
            ),
        },
        copy=False,
    )
