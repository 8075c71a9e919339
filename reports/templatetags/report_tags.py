"""Formatting of report figures: a missing (hidden) figure shows as a dash."""

from __future__ import annotations

from django import template

from reports import agenda, glyphs

register = template.Library()

DASH = "\u2013"


@register.filter
def level(value: float | None) -> str:
    """A mean or median level, two decimals."""
    return DASH if value is None else f"{value:.2f}"


@register.filter
def signed(value: float | None) -> str:
    """A change or gap with its sign: +0.50, -0.33, 0.00."""
    if value is None:
        return DASH
    if abs(value) < 0.005:
        return "0.00"
    return f"{value:+.2f}".replace("-", "\u2212")


@register.filter
def percent(value: float | None) -> str:
    return DASH if value is None else f"{value:.0f}%"


@register.filter
def printable(value: object) -> str:
    """User text for the PDF: characters no installed font draws (most emoji on a
    server without an emoji font) become their name in brackets, never a box."""
    return glyphs.printable(str(value))


@register.filter
def segments(percents: list[float] | None) -> list[tuple[int, float, float]]:
    """(level, x, width) in percent for a stacked bar of a group's levels."""
    if not percents:
        return []
    result, x = [], 0.0
    for level, width in enumerate(percents, start=1):
        result.append((level, round(x, 2), round(width, 2)))
        x += width
    return result


@register.filter
def bar_percent(mean: float | None) -> float:
    """A mean level (1 to 3) as the width of a bar on the 0-3 scale, in percent."""
    if mean is None:
        return 0.0
    return round(max(0.0, min(float(mean), 3.0)) / 3 * 100, 2)


@register.simple_tag
def talking_point_thresholds() -> dict[str, float]:
    """The talking point rules' thresholds (reports/agenda.py), for the page's text."""
    return agenda.thresholds()
