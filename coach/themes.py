"""Recurring themes across teams, from the themes each team confirmed itself.

Input: ``TeamTheme`` rows, one per confirmed theme of a qualifying round of a team
that shares its notes (``coach.selectors.confirmed_themes``). Output: themes that at
least ``THEME_MIN_TEAMS`` different teams raised within one framework dimension,
with coarse counts. Pure: no ORM, no request.

Teams name their themes in their own words and languages, so themes are matched by
what they contain: each team theme is a document (its name and its notes), grouped
with ``reports.grouping``'s character n-gram clustering, per framework dimension (a
team's own dimensions and untagged notes form one more group). A recurring theme is
a cluster in which at least three different teams are present.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from reports.grouping import cluster_texts, label_terms, strip_kind_words

THEME_MIN_TEAMS = 3
# Counts a coach sees are rounded down to one of these, never shown below the first.
COUNT_STEPS = (3, 5, 10, 20, 50, 100, 200, 500, 1000)
# Themes across teams are looser than within one round: different teams word the
# same concern differently.
CROSS_TEAM_THRESHOLD = 0.86


@dataclass(frozen=True)
class TeamTheme:
    theme_id: int
    team_id: int
    period: str  # the quarter of the round's closing, "2026 Q3"
    dimension: Hashable  # a built-in dimension's id, or None for everything else
    label: str
    texts: tuple[str, ...]  # the notes in the theme


@dataclass(frozen=True)
class PeriodCount:
    period: str
    teams: int | None  # coarsened; None when fewer than the minimum in that period


@dataclass
class RecurringTheme:
    dimension: Hashable
    label: str
    teams: int  # coarsened: at least this many teams
    periods: list[PeriodCount] = field(default_factory=list)
    theme_ids: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        """A stable name for the theme in a URL: says nothing but which themes."""
        raw = ",".join(str(i) for i in sorted(self.theme_ids))
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def coarse(count: int) -> int | None:
    """``count`` rounded down to a step a coach may see, or None below the first."""
    shown = [step for step in COUNT_STEPS if step <= count]
    return shown[-1] if shown else None


def _document(theme: TeamTheme) -> str:
    return strip_kind_words(" ".join([theme.label, *theme.texts]))


def recurring_themes(
    themes: Sequence[TeamTheme],
    *,
    min_teams: int = THEME_MIN_TEAMS,
    threshold: float = CROSS_TEAM_THRESHOLD,
) -> list[RecurringTheme]:
    """Themes raised by at least ``min_teams`` teams (never fewer than three), per
    dimension, most teams first. Periods are listed oldest first, each with its own
    coarse count or None."""
    min_teams = max(min_teams, THEME_MIN_TEAMS)
    ordered = sorted(themes, key=lambda t: (_order(t.dimension), t.label, t.theme_id))
    found: list[RecurringTheme] = []
    for dimension, batch in groupby(ordered, key=lambda t: t.dimension):
        items = sorted(batch, key=lambda t: (_document(t), t.theme_id))
        documents = [_document(t) for t in items]
        clusters = cluster_texts(documents, threshold)
        for number in sorted(set(clusters)):
            members = [t for t, c in zip(items, clusters, strict=True) if c == number]
            teams = {t.team_id for t in members}
            shown = coarse(len(teams)) if len(teams) >= min_teams else None
            if shown is None:
                continue
            inside = [
                d for d, c in zip(documents, clusters, strict=True) if c == number
            ]
            others = [
                d for d, c in zip(documents, clusters, strict=True) if c != number
            ]
            found.append(
                RecurringTheme(
                    dimension=dimension,
                    label=" · ".join(label_terms(inside, others)) or members[0].label,
                    teams=shown,
                    periods=_periods(members, min_teams),
                    theme_ids=tuple(sorted(t.theme_id for t in members)),
                )
            )
    found.sort(key=lambda r: (_order(r.dimension), -r.teams, r.label))
    return found


def _periods(members: Sequence[TeamTheme], min_teams: int) -> list[PeriodCount]:
    by_period: dict[str, set[int]] = {}
    for theme in members:
        by_period.setdefault(theme.period, set()).add(theme.team_id)
    return [
        PeriodCount(period, coarse(len(teams)) if len(teams) >= min_teams else None)
        for period, teams in sorted(by_period.items())
    ]


def find(themes: Sequence[RecurringTheme], key: str) -> RecurringTheme | None:
    return next((t for t in themes if t.key == key), None)


def _order(dimension: Hashable) -> tuple[int, str]:
    return (1, "") if dimension is None else (0, f"{dimension!s:>20}")
