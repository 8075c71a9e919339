from __future__ import annotations

from django import template
from django.contrib.auth.models import User

from assessments.models import Round, RoundMetric
from retro import selectors
from retro.models import RetroSession
from teams.models import Team

register = template.Library()


@register.simple_tag
def latest_retro(team: Team) -> Round | None:
    """``{% latest_retro team as retro %}``: the team's latest closed retro."""
    return selectors.latest_summary(team)


@register.simple_tag
def roti_trend(team: Team) -> list[selectors.RotiPoint]:
    """``{% roti_trend team as trend %}``: "was this worth our time?" across the
    team's retros."""
    return selectors.roti_trend(team)


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


@register.simple_tag
def round_metrics(round: Round) -> list[RoundMetric]:
    """``{% round_metrics round as metrics %}``: the round's input metrics."""
    return list(round.metrics.all())
