from __future__ import annotations

from django import template
from django.contrib.auth.models import User

from assessments.models import Round
from retro import selectors
from retro.models import RetroSession
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


@register.simple_tag
def retros_to_join(user: User) -> list[RetroSession]:
    """``{% retros_to_join user as retros %}``: retros under way in the user's
    teams (started, not finished), in one query (the home page's to-do)."""
    return list(
        RetroSession.objects.filter(
            finished_at__isnull=True, round__team__memberships__user=user
        )
        .select_related("round__team")
        .order_by("-started_at")[:20]
    )
