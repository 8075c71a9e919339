"""What may be shown: the one place that decides whether a figure, a group, a count,
a check-in, a note or a comment is disclosed.

Pure: it takes plain numbers and returns plain answers; no ORM, no request. Every
reader (round page, turnout, report, charts, exports, team overview, coach pages)
asks it instead of comparing counts itself.
"""

from __future__ import annotations

# Never lower than this, whatever a facilitator asks for (privacy invariant 2).
MIN_RESPONSES_FLOOR = 3


def meets_minimum(count: int, minimum: int) -> bool:
    """Whether an aggregate over ``count`` answers may be shown under ``minimum``."""
    return count >= max(minimum, MIN_RESPONSES_FLOOR)
