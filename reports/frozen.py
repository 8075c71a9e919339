"""Release once, then freeze, for every aggregate.

After a reopen, new answers are released only in batches of at least the round's
minimum per perspective (``assessments.services.answers_release``). A batch that
big can still move a smaller aggregate by fewer than the minimum: one of three new
stakeholders picked "Leadership"; two of three new members said "don't know" to a
dimension, so its mean moves by one answer; one of three gave a check-in. This
module turns the report's rows (``reports.selectors``, with their ``release``
batch) into the rows of what stays published, before any figure is computed, so
that every reader (page, chart, CSV, PDF, JSON, API) gets the same:

1. **Relationship groups** of a round whose stakeholders answered in more than one
   batch are no longer shown on their own: every stakeholder row counts in the
   stakeholders' view only (``regrouped``). A group that was shown after the first
   release would otherwise grow by the one new person in it, and one that was
   hidden could appear next to the totals it was hidden from.
2. **A dimension's figures** per perspective (team, all stakeholders) take a later
   batch in only if that adds none or at least the minimum of levels to the ones
   shown; otherwise they stay as they were, answers and "don't know" included.
3. **A check-in tally** likewise: a later batch's check-ins count only if they add
   none or at least the minimum to the check-ins shown; otherwise they are counted
   as "no answer" (the group's number of answers still grows by the batch).

Pure: frames in, frames out; the rule is ``disclosure.differ_enough``.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from assessments import disclosure
from reports.figures import ALL, STAKEHOLDER

RELEASE = "release"


def _releases(frame: pd.DataFrame) -> pd.Series:
    if RELEASE in frame:
        return frame[RELEASE].fillna(1).astype(int)
    return pd.Series(1, index=frame.index, dtype=int)


def regrouped(responses: pd.DataFrame) -> set[int]:
    """The rounds whose stakeholders' answers came in more than one batch: their
    relationship groups are not shown on their own (rule 1)."""
    if responses.empty:
        return set()
    later = (responses["perspective"] == STAKEHOLDER) & (_releases(responses) > 1)
    return {int(r) for r in responses.loc[later, "round_id"].unique()}


def _cutoffs(
    counts: dict[tuple[object, ...], dict[int, int]],
    minimums: Mapping[int, int] | Mapping[tuple[object, ...], int],
    *,
    by_round: bool = True,
) -> dict[tuple[object, ...], int]:
    """For each aggregate (key starting with its round) and its counts per batch,
    the last batch it takes in: a batch counts only if the aggregate then differs
    from the one shown by none or at least the minimum (rule 2, rule 3).
    ``minimums`` by round, or by key if not ``by_round``."""
    result = {}
    for key, per_release in counts.items():
        lookup = key[0] if by_round else key
        minimum = int(minimums.get(lookup, disclosure.MIN_RESPONSES_FLOOR))  # type: ignore[call-overload]
        result[key] = disclosure.batches_taken(per_release, minimum)
    return result


def responses(responses: pd.DataFrame, minimums: Mapping[int, int]) -> pd.DataFrame:
    """The response rows (round_id, perspective, relationship, checkin, n,
    release) as published: rules 1 and 3."""
    if responses.empty or RELEASE not in responses:
        return responses
    releases = _releases(responses)
    if int(releases.max()) <= 1:
        return responses
    frame = responses.copy()
    again = regrouped(frame)
    frame.loc[
        frame["round_id"].isin(list(again)) & (frame["perspective"] == STAKEHOLDER),
        "relationship",
    ] = ALL
    given = frame["checkin"].fillna("") != ""
    counts: dict[tuple[object, ...], dict[int, int]] = {}
    for round_id, perspective, release, n in zip(
        frame.loc[given, "round_id"],
        frame.loc[given, "perspective"],
        releases[given],
        frame.loc[given, "n"],
        strict=True,
    ):
        per = counts.setdefault((int(round_id), perspective), {})
        per[int(release)] = per.get(int(release), 0) + int(n)
    cutoffs = _cutoffs(counts, minimums)
    beyond = [
        bool(g) and int(rel) > cutoffs.get((int(r), p), 1 << 30)
        for r, p, rel, g in zip(
            frame["round_id"], frame["perspective"], releases, given, strict=True
        )
    ]
    frame.loc[beyond, "checkin"] = ""
    return frame


def ratings(
    ratings: pd.DataFrame, responses: pd.DataFrame, minimums: Mapping[int, int]
) -> pd.DataFrame:
    """The rating rows (round_id, dimension_id, perspective, relationship, level,
    n, release) as published: rules 1 and 2. ``responses`` are the response rows
    of the same rounds (either form), for rule 1."""
    if ratings.empty or RELEASE not in ratings:
        return ratings
    releases = _releases(ratings)
    if int(releases.max()) <= 1:
        return ratings
    frame = ratings.copy()
    again = regrouped(responses) | regrouped(frame)
    frame.loc[
        frame["round_id"].isin(list(again)) & (frame["perspective"] == STAKEHOLDER),
        "relationship",
    ] = ALL
    rated = frame["level"].notna()
    counts: dict[tuple[object, ...], dict[int, int]] = {}
    for round_id, dimension_id, perspective, release, n, has_level in zip(
        frame["round_id"],
        frame["dimension_id"],
        frame["perspective"],
        releases,
        frame["n"],
        rated,
        strict=True,
    ):
        per = counts.setdefault((int(round_id), int(dimension_id), perspective), {})
        per[int(release)] = per.get(int(release), 0) + (int(n) if has_level else 0)
    cutoffs = _cutoffs(counts, minimums)
    keep = [
        int(rel) <= cutoffs[(int(r), int(d), p)]
        for r, d, p, rel in zip(
            frame["round_id"],
            frame["dimension_id"],
            frame["perspective"],
            releases,
            strict=True,
        )
    ]
    return frame[keep].reset_index(drop=True)
