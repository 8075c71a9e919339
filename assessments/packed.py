"""The tallies of a round's built-in dimensions in one text column (pure: no
database), so that a reader of thousands of rounds (the coach's dashboard) reads one
row per round and perspective instead of one per dimension.

One word per dimension figure, space-separated: the built-in dimension's id and how
many gave level 1, 2 and 3, joined by colons ("6:0:2:1 7:1:1:1"). Counts only, the
same as the ``DimensionFigure`` rows they are packed from. Words repeat across
rounds (a handful of tallies per dimension), so a reader may work each one out
once (``coach.patterns.dashboard``).
"""

from __future__ import annotations

from collections.abc import Iterable

# (builtin id, level 1, level 2, level 3)
Levels = tuple[int, int, int, int]


def pack_levels(rows: Iterable[Levels]) -> str:
    return " ".join(f"{b}:{one}:{two}:{three}" for b, one, two, three in rows)


def unpack_word(word: str) -> Levels:
    builtin_id, one, two, three = (int(n) for n in word.split(":"))
    return builtin_id, one, two, three


def unpack_levels(text: str) -> list[Levels]:
    return [unpack_word(word) for word in text.split()]
