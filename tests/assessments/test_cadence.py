"""assessments.cadence: when recurring rounds open. No database."""

from __future__ import annotations

import datetime

from assessments.cadence import (
    MONTHLY,
    QUARTERLY,
    WEEKS,
    next_opening,
    next_opening_from,
    on_or_after,
)

MONDAY, THURSDAY = 0, 3
D = datetime.date


def test_on_or_after_finds_the_weekday() -> None:
    assert on_or_after(D(2026, 12, 2), MONDAY) == D(2026, 12, 7)  # a Wednesday
    assert on_or_after(D(2026, 12, 7), MONDAY) == D(2026, 12, 7)


def test_every_two_weeks_keeps_the_weekday() -> None:
    day = next_opening(D(2026, 12, 7), cadence=WEEKS, every_weeks=2, weekday=MONDAY)
    assert day == D(2026, 12, 21)


def test_a_changed_weekday_moves_forward() -> None:
    day = next_opening(D(2026, 12, 7), cadence=WEEKS, every_weeks=1, weekday=THURSDAY)
    assert day == D(2026, 12, 17)


def test_monthly_is_the_first_weekday_of_the_next_month() -> None:
    assert next_opening(
        D(2026, 12, 7), cadence=MONTHLY, every_weeks=4, weekday=MONDAY
    ) == D(2027, 1, 4)


def test_quarterly_crosses_the_year() -> None:
    assert next_opening(
        D(2026, 11, 2), cadence=QUARTERLY, every_weeks=4, weekday=THURSDAY
    ) == D(2027, 2, 4)


def test_missed_openings_are_skipped_not_opened_late() -> None:
    day = next_opening_from(
        D(2026, 12, 30), D(2026, 12, 1), cadence=WEEKS, every_weeks=1, weekday=1
    )
    assert day == D(2026, 12, 29) + datetime.timedelta(days=7)
    assert day >= D(2026, 12, 30)
