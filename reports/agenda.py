"""What to talk about: the order of a retro's discussion, the three talking points
at the top of a report, and each dimension's level in words.

Pure. Input: one ``Facts`` per dimension, built from a report's figures after the
minimum rule was applied (a hidden group's mean is ``None``); output: plain data.

The stated rules:

- **Strongest disagreement**: the dimension with the lowest team agreement, if that
  agreement is below ``AGREEMENT_HIGH`` (not "broad agreement").
- **Largest gap**: the largest difference between the team's and the stakeholders'
  mean, if it is at least ``GAP_THRESHOLD`` levels.
- **Largest drop**: the largest fall of the team's mean since the previous round, if
  it is at least ``DROP_THRESHOLD`` levels.

Ties go to the dimension that comes first in the round.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reports import scale
from reports.figures import AGREEMENT_HIGH, GAP_THRESHOLD

DROP_THRESHOLD = 0.3


@dataclass(frozen=True)
class Facts:
    key: str
    label: str
    team_mean: float | None = None
    stakeholder_mean: float | None = None
    team_agreement: float | None = None
    previous_team_mean: float | None = None

    @property
    def gap(self) -> float | None:
        if self.team_mean is None or self.stakeholder_mean is None:
            return None
        return self.team_mean - self.stakeholder_mean

    @property
    def change(self) -> float | None:
        if self.team_mean is None or self.previous_team_mean is None:
            return None
        return self.team_mean - self.previous_team_mean

    @property
    def mean(self) -> float | None:
        """The team's mean, or the stakeholders' when the team's is hidden."""
        return self.team_mean if self.team_mean is not None else self.stakeholder_mean


@dataclass(frozen=True)
class Point:
    rule: str  # "disagreement", "gap" or "drop"
    facts: Facts | None  # None: no dimension meets the rule
    # The rule's threshold in levels (agreement for "disagreement"): pages quote it
    # from here, never as a number typed into their text.
    threshold: float = 0.0
    # How many dimensions the rule could look at (both sides shown).
    compared: int = 0
    # With nothing to compare, which side is not shown: "team", "stakeholders" or
    # "previous" (the last round); "" when something was compared. No data is never
    # reported as "nothing to worry about".
    missing: str = ""


def _first_max(
    facts: Sequence[Facts], score: Callable[[Facts], float | None]
) -> Facts | None:
    best: Facts | None = None
    best_score = 0.0
    for f in facts:
        s = score(f)
        if s is not None and (best is None or s > best_score):
            best, best_score = f, s
    return best


def _disagreement(f: Facts) -> float | None:
    return None if f.team_agreement is None else 1 - f.team_agreement


def _gap_size(f: Facts) -> float | None:
    return None if f.gap is None else abs(f.gap)


def _drop(f: Facts) -> float | None:
    return None if f.change is None else -f.change


def _lowness(f: Facts) -> float | None:
    return None if f.mean is None else -f.mean


def strongest_disagreement(facts: Sequence[Facts]) -> Facts | None:
    found = _first_max(facts, _disagreement)
    if found is None or found.team_agreement is None:
        return None
    return found if found.team_agreement < AGREEMENT_HIGH else None


def largest_gap(facts: Sequence[Facts]) -> Facts | None:
    found = _first_max(facts, _gap_size)
    if found is None or found.gap is None:
        return None
    return found if abs(found.gap) >= GAP_THRESHOLD - 1e-9 else None


def largest_drop(facts: Sequence[Facts]) -> Facts | None:
    found = _first_max(facts, _drop)
    if found is None or found.change is None:
        return None
    return found if -found.change >= DROP_THRESHOLD - 1e-9 else None


def thresholds() -> dict[str, float]:
    """Each talking point rule's threshold, by rule: what the pages quote."""
    return {
        "disagreement": AGREEMENT_HIGH,
        "gap": GAP_THRESHOLD,
        "drop": DROP_THRESHOLD,
    }


def _missing(facts: Sequence[Facts], other: str) -> str:
    """Which side is not shown when a rule has nothing to compare."""
    if not any(f.team_mean is not None for f in facts):
        return "team"
    return other


def talking_points(facts: Sequence[Facts]) -> list[Point]:
    """Always three points, in the order of the rules; a point without a dimension
    says that nothing met its rule among the dimensions it could compare, or, with
    none to compare, which side is missing."""
    limits = thresholds()
    points = []
    for rule, found, score, other in (
        ("disagreement", strongest_disagreement(facts), _disagreement, "team"),
        ("gap", largest_gap(facts), _gap_size, "stakeholders"),
        ("drop", largest_drop(facts), _drop, "previous"),
    ):
        compared = sum(1 for f in facts if score(f) is not None)
        missing = "" if compared else _missing(facts, other)
        points.append(Point(rule, found, limits[rule], compared, missing))
    return points


ORDERS: dict[str, Callable[[Facts], float | None]] = {
    "disagreement": _disagreement,
    "gap": _gap_size,
    "drop": _drop,
    "lowest": _lowness,
}


def discussion_order(facts: Sequence[Facts], order: str) -> list[Facts]:
    """The dimensions with something to show, the one the order puts first at the
    top; dimensions the order cannot rank (e.g. no stakeholders for "gap") follow
    in the round's order. A stable sort keeps ties in the round's order."""
    score = ORDERS[order]
    shown = [f for f in facts if f.mean is not None]
    ranked = [f for f in shown if score(f) is not None]
    rest = [f for f in shown if score(f) is None]
    ranked.sort(key=lambda f: -(score(f) or 0.0))
    return ranked + rest


def level_word(mean: float | None) -> int | None:
    """The level (1-3) a mean is closest to; None when hidden (``reports/scale.py``)."""
    return scale.level(mean)


def light(mean: float | None) -> str:
    """The level's traffic light, same bands as the word (``reports/scale.py``)."""
    return scale.light(mean)


def arrow(change: float | None) -> str:
    """ "up", "down" or "steady"; "" with nothing to compare (``reports/scale.py``)."""
    return scale.arrow(change)
