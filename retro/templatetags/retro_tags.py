from __future__ import annotations

from django import template

from assessments.models import Round
from retro import selectors
from teams.models import Team

register = template.Library()


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


@register.simple_tag
def latest_retro(team: Team) -> Round | None:
    """``{% latest_retro team as retro %}``: the team's latest closed retro."""
    return selectors.latest_summary(team)
