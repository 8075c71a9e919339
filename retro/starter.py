"""A conversation starter for each dimension of the retro's discussion, offline.

Two or three sentences built by stated rules (docs/retro.md) from figures that may
already be shown on the discussion screen: every input here has passed
``assessments.disclosure`` (a hidden group has no mean, a change only exists when
the two rounds are comparable, notes only once their group meets the minimum). No
model, no network: the words come from scikit-learn's TF-IDF over the round's
notes. No database either: the caller hands in plain values.

Deterministic: the same input gives byte-identical text (notes are sorted before
they are counted, ties are broken alphabetically).

The rules, in the order they are tried (at most ``MAX_SENTENCES`` are kept):

1. **Spread**: broad agreement (``AGREEMENT_HIGH``) is said as such; otherwise the
   lowest and highest level given.
2. **Movement**: the action carried from an earlier round on this dimension, its
   state and whether the dimension moved since; without such an action, the
   change since the last round. A change counts only when it is larger than one
   person could cause: one person moving from one end of the scale to the other
   moves a mean over ``n`` answers by ``(3 - 1) / n`` levels, with ``n`` the
   smaller of the two rounds' counts.
3. **Gap**: the team minus the stakeholders, when both are shown and it is at
   least ``GAP_THRESHOLD`` levels.
4. **Words**: two or three distinctive words of the dimension's notes, when it
   has at least the round's minimum of notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from sklearn.feature_extraction.text import TfidfVectorizer

from assessments.disclosure import meets_minimum
from reports.figures import AGREEMENT_HIGH, GAP_THRESHOLD
from reports.grouping import KIND_WORDS, STOP_WORDS, words

MAX_SENTENCES = 3
WORDS = 3
LEVEL_RANGE = 2  # Exceeding (3) minus Not Meeting (1)


@dataclass(frozen=True)
class CarriedAction:
    text: str
    state: str  # "open", "done" or "dropped"


@dataclass(frozen=True)
class StarterFacts:
    label: str
    minimum: int
    agreement: float | None = None  # the team's, when shown
    low: str = ""  # the label of the lowest level the team gave
    high: str = ""  # ... and of the highest
    change: float | None = None  # team mean minus last round's, when comparable
    rated: int = 0  # team answers with a level, this round
    rated_before: int = 0  # ... and in the last round
    gap: float | None = None  # team minus stakeholders, when both shown
    action: CarriedAction | None = None
    notes: Sequence[str] = ()  # this dimension's notes (one entry per author)
    other_notes: Sequence[Sequence[str]] = field(default_factory=tuple)


def _levels(value: float) -> str:
    return number_format(round(abs(value), 2), 2)


def one_person_change(rated: int, rated_before: int) -> float:
    """The most one person can move a mean: from one end of the scale to the
    other, over the smaller of the two counts."""
    n = min(rated, rated_before)
    return float("inf") if n <= 0 else LEVEL_RANGE / n


def notable_change(facts: StarterFacts) -> float | None:
    """The change, if larger than one person could cause; else None."""
    if facts.change is None:
        return None
    if abs(facts.change) <= one_person_change(facts.rated, facts.rated_before) + 1e-9:
        return None
    return facts.change


def spread_sentence(facts: StarterFacts) -> str:
    if facts.agreement is None:
        return ""
    if facts.agreement >= AGREEMENT_HIGH or facts.low == facts.high:
        return _("The team broadly agrees on %(name)s: is that shared view right?") % {
            "name": facts.label
        }
    return _(
        "Answers on %(name)s run from %(low)s to %(high)s: what does each end "
        "see that the other does not?"
    ) % {"name": facts.label, "low": facts.low, "high": facts.high}


def change_sentence(facts: StarterFacts) -> str:
    change = notable_change(facts)
    if change is None:
        return ""
    values = {"name": facts.label, "change": _levels(change)}
    if change > 0:
        return (
            _(
                "Since the last round the team's view of %(name)s rose by %(change)s "
                "levels, more than one person could explain."
            )
            % values
        )
    return (
        _(
            "Since the last round the team's view of %(name)s fell by %(change)s "
            "levels, more than one person could explain."
        )
        % values
    )


def action_sentence(facts: StarterFacts) -> str:
    action = facts.action
    if action is None:
        return ""
    states = {"open": _("still open"), "done": _("done"), "dropped": _("dropped")}
    values = {
        "action": action.text,
        "state": states.get(action.state, action.state),
        "name": facts.label,
    }
    if facts.change is None:
        return _("The action carried over on %(name)s, “%(action)s”, is %(state)s.") % (
            values
        )
    change = notable_change(facts)
    if change is None:
        return (
            _(
                "The action carried over on %(name)s, “%(action)s”, is %(state)s, "
                "and the dimension has not clearly moved since."
            )
            % values
        )
    if change > 0:
        return (
            _(
                "The action carried over on %(name)s, “%(action)s”, is %(state)s, "
                "and the dimension has moved up since."
            )
            % values
        )
    return (
        _(
            "The action carried over on %(name)s, “%(action)s”, is %(state)s, "
            "and the dimension has moved down since."
        )
        % values
    )


def gap_sentence(facts: StarterFacts) -> str:
    if facts.gap is None or abs(facts.gap) < GAP_THRESHOLD - 1e-9:
        return ""
    values = {"name": facts.label, "gap": _levels(facts.gap)}
    if facts.gap > 0:
        return (
            _(
                "The team rates %(name)s %(gap)s levels higher than its stakeholders "
                "do: what do they not see?"
            )
            % values
        )
    return (
        _(
            "The team rates %(name)s %(gap)s levels lower than its stakeholders "
            "do: what does the team see that they do not?"
        )
        % values
    )


def _tokens(text: str) -> list[str]:
    return [
        w
        for w in words(text)
        if len(w) > 2
        and w not in STOP_WORDS
        and w not in KIND_WORDS
        and not w.isdigit()
    ]


def distinctive_words(
    notes: Sequence[str], others: Sequence[Sequence[str]], size: int = WORDS
) -> list[str]:
    """The words of ``notes`` with the highest TF-IDF, one document per dimension
    (this one and ``others``); ties alphabetically."""
    documents = [" ".join(sorted(notes))] + [" ".join(sorted(o)) for o in others]
    if not _tokens(documents[0]):
        return []
    vectorizer = TfidfVectorizer(
        tokenizer=_tokens,
        lowercase=False,
        token_pattern=None,
        sublinear_tf=True,
        dtype=np.float64,
    )
    matrix = vectorizer.fit_transform(documents)
    row = matrix[0].toarray()[0]
    terms = vectorizer.get_feature_names_out()
    scored = sorted(
        (-round(float(score), 9), str(term))
        for term, score in zip(terms, row, strict=True)
        if score > 0
    )
    return [term for _score, term in scored[:size]]


def words_sentence(facts: StarterFacts) -> str:
    if not facts.notes or not meets_minimum(len(facts.notes), facts.minimum):
        return ""
    found = distinctive_words(facts.notes, facts.other_notes)
    if len(found) < 2:
        return ""
    return _("Words that stand out in the notes on %(name)s: %(words)s.") % {
        "name": facts.label,
        "words": ", ".join(found),
    }


def starter(facts: StarterFacts) -> list[str]:
    """The starter's sentences, in the order of the rules, at most three."""
    movement = action_sentence(facts) or change_sentence(facts)
    candidates = [
        spread_sentence(facts),
        movement,
        gap_sentence(facts),
        words_sentence(facts),
    ]
    return [s for s in candidates if s][:MAX_SENTENCES]
