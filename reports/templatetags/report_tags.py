"""Formatting of report figures: a missing (hidden) figure shows as a dash.

Figures a person reads follow the page's language (1,50 in German, 1.50 in
English); numbers that go into SVG attributes are never localised."""

from __future__ import annotations

import unicodedata

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from reports import agenda, glyphs, scale

register = template.Library()

DASH = "\u2013"


def _decimals(value: float) -> str:
    """Two decimals in the page's language, rounded (number_format cuts)."""
    return number_format(round(float(value), 2), 2)


@register.filter
def level(value: float | None) -> str:
    """A mean or median level, two decimals."""
    return DASH if value is None else _decimals(value)


@register.filter
def signed(value: float | None) -> str:
    """A change or gap with its sign: +0.50, -0.33, 0.00."""
    if value is None:
        return DASH
    if abs(value) < 0.005:
        return number_format(0.0, 2)
    sign = "+" if value > 0 else "\u2212"
    return sign + _decimals(abs(value))


@register.filter
def percent(value: float | None) -> str:
    """A share: 50% in English, 50 % (a no-break space) in German, French and
    Spanish."""
    if value is None:
        return DASH
    space = "" if (get_language() or "en").startswith("en") else "\u00a0"
    return f"{number_format(round(value), 0)}{space}%"


@register.filter
def printable(value: object) -> str:
    """User text for the PDF: characters no installed font draws (most emoji on a
    server without an emoji font) become their name in brackets, never a box."""
    return glyphs.printable(str(value))


@register.filter
def rtl(value: object) -> bool:
    """Whether user text reads right to left: its first strong letter is Hebrew,
    Arabic or another right-to-left script (the rule of ``dir="auto"``, which the
    PDF's layout engine does not apply by itself)."""
    for char in str(value):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@register.filter
def segments(percents: list[float] | None) -> list[tuple[int, str, str]]:
    """(level, x, width) in percent for a stacked bar of a group's levels, as SVG
    attribute values (never localised)."""
    if not percents:
        return []
    result, x = [], 0.0
    for level, width in enumerate(percents, start=1):
        result.append((level, f"{round(x, 2):g}", f"{round(width, 2):g}"))
        x += width
    return result


@register.filter
def bar_percent(mean: float | None) -> str:
    """A mean level (1 to 3) as the width of a bar on the 0-3 scale, in percent,
    as an SVG attribute value (never localised)."""
    if mean is None:
        return "0"
    return f"{round(max(0.0, min(float(mean), 3.0)) / 3 * 100, 2):g}"


@register.simple_tag
def talking_point_thresholds() -> dict[str, float]:
    """The talking point rules' thresholds (reports/agenda.py), for the page's text."""
    return agenda.thresholds()


@register.simple_tag
def scale_bands() -> dict[str, float]:
    """The one scale's bands (reports/scale.py), for the legends."""
    return scale.bands()
