"""What may be shown: the one place that decides whether a figure, a group, a count,
a check-in, a note or a comment is disclosed.

Pure: it takes plain numbers (or numpy / pandas arrays of them) and returns plain
answers; no ORM, no request. Every reader (round page, turnout, report, charts,
exports, team overview, coach dashboard, themes) asks it instead of comparing counts
itself. ``docs/anonymity.md`` states each rule in one sentence and names its test.

The rules:

1. **Minimum.** An aggregate is shown only if it is over at least the round's
   minimum of answers, never fewer than ``MIN_RESPONSES_FLOOR`` (``meets_minimum``).
   Below it the aggregate is hidden, never merged into another.
2. **Difference.** Two aggregates one viewer can see whose populations are nested
   (all stakeholders and one relationship group; the same round before and after
   more answers) differ by nothing or by at least the minimum
   (``differ_enough``); otherwise the smaller difference would describe fewer than
   the minimum people. Sub-groups of a group are therefore shown only as far as
   those left out number none or at least the minimum (``visible_subgroups``).
   Counts are figures too: the rule applies to turnout as it does to means.
   Across rounds (``rounds_comparable``): a round is compared with the previous
   one only if the members who answered just one of the two number none or at
   least the minimum, on each side; one who joined (or skipped a round) would
   otherwise be the change. Stakeholders answer without a name: their figures are
   compared across rounds only if their numbers differ by none or by at least the
   minimum (``stakeholder_rounds_comparable``).
3. **Content after results.** Notes, comments and check-in reasons appear only
   with the results: the round's answers are final and the group meets the minimum
   (``texts_shown``). While answers can still arrive, each new note would be one
   person's.
4. **Outside the team.** A viewer from outside the team (a coach) sees a level or
   check-in tally only if every non-empty cell meets the minimum and at least the
   minimum answers differ from the most common one (``tally_shown_outside``);
   otherwise the median stands in (``median_level``). A tally in which (almost)
   everyone gave the same answer tells each person's answer.
5. **Order.** Notes, comments and check-in reasons are shown in a fresh random
   order on every reading (``shuffled``), never in the order they were written.
6. **Sources.** How many of a perspective's answers came from each source (the
   shared link, each facilitator's invitations, members who joined in the days
   before the round opened) is shown, every count as it is, once the
   perspective has at least the minimum of answers, sealed or released
   (``sources_shown``). Below it the split would single out an answer: the one
   stakeholder answer "from Bob's invitations" is the person Bob invited, whose
   address the activity log lists, and once more answers come in and the
   figures appear, that answer is known to be in them. At or above the minimum
   a source count says that some of at least the minimum answers came in by a
   door, never which: no figure, tally, note or group is ever computed per
   source (nor per source and batch), so comparing a source count with a figure,
   with another count (the channels, the total), or with itself before and after
   a batch (which holds at least the minimum, rule 11 of ``docs/anonymity.md``)
   tells how many came in by which door, never what anyone answered. What a
   count still tells is who is among those who answered (the one new member, the
   one address a facilitator invited): that is how the team sees what one person
   could add, and ``docs/anonymity.md`` says so.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# Never lower than this, whatever a facilitator asks for (privacy invariant 2).
MIN_RESPONSES_FLOOR = 3

_random = secrets.SystemRandom()


def shuffled[T](items: Iterable[T]) -> list[T]:
    """Rule 5: the items in a fresh random order (from ``secrets``), so that the
    order shown says nothing about who wrote what or when. The one shuffle of every
    reader of texts: round page, report page, CSV, PDF, history JSON, retro."""
    result = list(items)
    _random.shuffle(result)
    return result


# The reasons a figure is not shown, as stable keys; pages turn them into words.
BELOW_MINIMUM = "below_minimum"
DIFFERENCE = "difference"
NOT_FINAL = "not_final"
NEARLY_UNANIMOUS = "nearly_unanimous"

# Anything that supports comparisons and arithmetic element-wise: an int, or a
# numpy array or pandas Series of ints. The rules below use only operators, so a
# vectorised caller (pandas, the coach's 500 teams) applies them column-wise.
Count = Any


def effective_minimum(minimum: Count) -> Count:
    """The round's minimum, raised to the floor if it is lower (also on arrays)."""
    return minimum + (MIN_RESPONSES_FLOOR - minimum) * (minimum < MIN_RESPONSES_FLOOR)


def meets_minimum(count: Count, minimum: Count) -> Count:
    """Rule 1: whether an aggregate over ``count`` answers may be shown."""
    return count >= effective_minimum(minimum)


def differ_enough(count: Count, other: Count, minimum: Count) -> Count:
    """Rule 2: whether aggregates over nested populations of ``count`` and
    ``other`` answers may both be shown: they differ by none or by the minimum."""
    difference = abs(count - other)
    return (difference == 0) | (difference >= effective_minimum(minimum))


def visible_subgroups(total: int, sizes: Mapping[str, int], minimum: int) -> set[str]:
    """Which disjoint sub-groups (name -> size) of a group of ``total`` may be shown.

    Nothing if the group itself is below the minimum. A sub-group needs the minimum,
    and those not shown must together be none or at least the minimum (otherwise the
    group minus the shown sub-groups would describe them): the smallest shown
    sub-groups are hidden until that holds. Ties are broken by name, so every
    reader hides the same one.
    """
    if not meets_minimum(total, minimum):
        return set()
    shown = {name: n for name, n in sizes.items() if meets_minimum(n, minimum)}
    while shown and not differ_enough(total, sum(shown.values()), minimum):
        del shown[min(shown, key=lambda name: (shown[name], name))]
    return set(shown)


def rounds_comparable(only_this: Count, only_other: Count, minimum: Count) -> Count:
    """Rule 2 across rounds: whether a round's figures may be set against another
    round's (changes, the previous round in its chart). ``only_this`` members
    answered this round and not the other, ``only_other`` the other and not this
    one; each must be none or at least the minimum, otherwise "this round minus
    the other" is about those few people (say, the one who joined)."""
    return differ_enough(only_this, 0, minimum) & differ_enough(only_other, 0, minimum)


def stakeholder_rounds_comparable(count: Count, other: Count, minimum: Count) -> Count:
    """Rule 2 across rounds, for stakeholders, who answer without a name: who
    answered both rounds is not known, so the fewest who answered only one of them
    is the difference of the two counts. Their figures are set against the other
    round's only if the counts differ by none or by at least the minimum
    (otherwise "the one more stakeholder" would be the change)."""
    return differ_enough(count, other, minimum)


def batches_taken(per_batch: Mapping[int, int], minimum: int) -> int:
    """Release once, then freeze, for one aggregate inside released batches:
    ``per_batch`` maps each batch (1, 2, ...) to how many answers it adds to the
    aggregate (levels given to a dimension, check-ins given). Returns the last
    batch the published aggregate takes in: a later batch counts only if the
    aggregate then differs from the one shown by none or by at least the minimum,
    so nothing shown ever moves by fewer (a batch of three in which one gave a
    level would otherwise move the mean by that one answer)."""
    shown: int | None = None
    running = 0
    cutoff = 1
    for batch in sorted(per_batch):
        running += per_batch[batch]
        if shown is None:
            cutoff = batch
            if meets_minimum(running, minimum):
                shown = running
        elif differ_enough(running, shown, minimum):
            cutoff, shown = batch, running
    return cutoff


def batch_released(waiting: int, minimum: int, *, first: bool = False) -> bool:
    """Release once, then freeze: whether a perspective's sealed answers are
    released now. The first release (the round's first close) opens them all;
    after a reopen only a batch of at least the minimum, so that nothing
    published changes by fewer (``answers_needed`` says how many more)."""
    return first or bool(meets_minimum(waiting, minimum))


def sources_shown(answers: Count, minimum: Count) -> Count:
    """Rule 6: whether the counts of where a perspective's ``answers`` (sealed
    and released) came from may be shown: once they number at least the
    minimum."""
    return meets_minimum(answers, minimum)


def answers_needed(held: int, minimum: int) -> int:
    """Release once, then freeze: after a reopen, how many more new answers of a
    perspective must arrive before its published figures change (all at once,
    by at least the minimum). ``held`` answers wait sealed."""
    return max(0, int(effective_minimum(minimum)) - held)


def subgroup_reason(total: int, size: int, minimum: int, shown: bool) -> str:
    """Why a sub-group is not shown: "" when it is, else ``BELOW_MINIMUM`` or
    ``DIFFERENCE`` (it meets the minimum but would reveal those left out)."""
    if shown:
        return ""
    if meets_minimum(size, minimum) and meets_minimum(total, minimum):
        return DIFFERENCE
    return BELOW_MINIMUM


def texts_shown(*, final: bool, responses: int, minimum: int) -> bool:
    """Rule 3: whether a group's notes, comments and check-in reasons may be shown:
    its answers are final (the results are out) and it meets the minimum."""
    return bool(final) and bool(meets_minimum(responses, minimum))


def tally_shown_outside(cells: Sequence[int], minimum: int) -> bool:
    """Rule 4 for one tally (e.g. the counts of levels 1, 2, 3, or of the
    check-ins): shown outside the team only if every non-zero cell meets the
    minimum and at least the minimum answers are not in the most common cell."""
    floor = effective_minimum(minimum)
    others = sum(cells) - max(cells, default=0)
    return all(n == 0 or n >= floor for n in cells) and bool(others >= floor)


def median_level(cells: Sequence[int]) -> int | None:
    """The median of a tally whose cells are levels 1, 2, 3, ... (the lower middle
    one for an even number of answers); None for an empty tally. What stands in for
    a tally that may not be shown outside the team."""
    total = sum(cells)
    if total == 0:
        return None
    running = 0
    for level, n in enumerate(cells, start=1):
        running += n
        if 2 * running >= total:
            return level
    return len(cells)  # pragma: no cover - the loop always returns
