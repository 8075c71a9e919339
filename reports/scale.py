"""The one scale: a mean level (1 to 3) as a word, a traffic light and, for a
change since the last round, an arrow. Every page, the PDF and the coach's heatmap
read their bands from here (``docs/reports.md``, "The scale").

Words go by the nearest level and the lights use the same bands, so a light and its
word always agree:

=================  ===========================  ======
mean               word                         light
=================  ===========================  ======
below 1.50         Not Meeting Expectations     red
1.50 to 2.49       Meeting Expectations         amber
2.50 and above     Exceeding Expectations       green
=================  ===========================  ======

A mean is put in its band as it is printed, rounded to two decimals, so 1.496
(printed "1.50") reads Meeting, never a red light next to "1.50".

A change of at least ``MOVE_THRESHOLD`` levels either way gets an arrow.

Pure: no Django.
"""

from __future__ import annotations

# The lowest mean, as printed, of each level above the first.
MEETING_FROM = 1.5
EXCEEDING_FROM = 2.5
# A change of at least this many levels either way gets an arrow.
MOVE_THRESHOLD = 0.2

LIGHTS = {1: "red", 2: "amber", 3: "green"}


def _printed(value: float) -> float:
    return round(float(value), 2)


def level(mean: float | None) -> int | None:
    """The level (1-3) a mean is closest to; None when hidden."""
    if mean is None:
        return None
    value = _printed(mean)
    if value < MEETING_FROM:
        return 1
    if value < EXCEEDING_FROM:
        return 2
    return 3


def light(mean: float | None) -> str:
    """The level's light: "red", "amber" or "green"; "" when hidden."""
    found = level(mean)
    return "" if found is None else LIGHTS[found]


def arrow(change: float | None) -> str:
    """ "up", "down" or "steady"; "" with nothing to compare."""
    if change is None:
        return ""
    value = _printed(change)
    if value >= MOVE_THRESHOLD:
        return "up"
    if value <= -MOVE_THRESHOLD:
        return "down"
    return "steady"


def bands() -> dict[str, float]:
    """The thresholds, for the legends."""
    return {
        "meeting_from": MEETING_FROM,
        "exceeding_from": EXCEEDING_FROM,
        "move": MOVE_THRESHOLD,
    }
