"""When a team's recurring rounds open: pure date arithmetic, no database.

Input: plain ``datetime.date`` values, a cadence ("weeks", "monthly" or
"quarterly"), a number of weeks and a weekday (0 = Monday). Tested without the
database in ``tests/assessments/test_cadence.py``.
"""

from __future__ import annotations

import datetime

WEEKS = "weeks"
MONTHLY = "monthly"
QUARTERLY = "quarterly"


def on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    """The first ``weekday`` on or after ``day``."""
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _first_weekday_of_month(year: int, month: int, weekday: int) -> datetime.date:
    return on_or_after(datetime.date(year, month, 1), weekday)


def next_opening(
    after: datetime.date, *, cadence: str, every_weeks: int, weekday: int
) -> datetime.date:
    """The opening day that follows one on ``after``: ``every_weeks`` weeks later on
    the weekday, or the first such weekday of the next month (monthly) or of the
    month three months on (quarterly). Always later than ``after``."""
    if cadence == WEEKS:
        return on_or_after(
            after + datetime.timedelta(weeks=max(every_weeks, 1)), weekday
        )
    months = 1 if cadence == MONTHLY else 3
    index = after.year * 12 + after.month - 1 + months
    return _first_weekday_of_month(index // 12, index % 12 + 1, weekday)


def next_opening_from(
    today: datetime.date,
    last: datetime.date,
    *,
    cadence: str,
    every_weeks: int,
    weekday: int,
) -> datetime.date:
    """The next opening after ``last`` that is today or later: opening days missed
    while nothing ran are skipped, never opened late in a row."""
    day = next_opening(last, cadence=cadence, every_weeks=every_weeks, weekday=weekday)
    while day < today:
        day = next_opening(
            day, cadence=cadence, every_weeks=every_weeks, weekday=weekday
        )
    return day
