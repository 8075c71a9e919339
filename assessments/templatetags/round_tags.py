from __future__ import annotations

from django import template
from django.contrib.auth.models import User
from django.db.models import Exists, F, OuterRef

from assessments import selectors
from assessments.models import Action, Eligibility, Participation, Round
from teams.models import Team

register = template.Library()


@register.simple_tag
def team_rounds(team: Team, user: User, limit: int = 20) -> list[Round]:
    """``{% team_rounds team user as rounds %}``: the team's latest rounds, each with
    ``answered`` and ``eligible`` (how many of its roster answered, never who:
    ``selectors.with_turnout``), ``answered_by_me`` and ``on_roster``, in one
    query. Writes nothing: a round past its closing date is shown closed by
    ``Round.from_db``."""
    mine = Participation.objects.filter(round=OuterRef("pk"), user=user)
    eligible = Eligibility.objects.filter(round=OuterRef("pk"), user=user)
    return list(
        selectors.with_turnout(team.rounds.all())
        .annotate(answered_by_me=Exists(mine), on_roster=Exists(eligible))
        .order_by("-created")[:limit]
    )


@register.simple_tag
def rounds_waiting_for(user: User) -> list[Round]:
    """``{% rounds_waiting_for user as waiting %}``: open rounds of the user's teams
    that still take answers, with the user on their roster, and that the user has
    not answered, soonest closing first, in one query (the home page's to-do)."""
    mine = Participation.objects.filter(round=OuterRef("pk"), user=user)
    return list(
        Round.objects.open_now()
        .filter(team__memberships__user=user, eligibilities__user=user)
        .exclude(Exists(mine))
        .select_related("team")
        .order_by(F("closes_at").asc(nulls_last=True), "team__name")[:50]
    )


@register.simple_tag
def drafts_to_open(user: User) -> list[Round]:
    """``{% drafts_to_open user as drafts %}``: draft rounds of the teams the user
    facilitates, waiting to be opened, in one query."""
    return list(
        Round.objects.filter(
            state=Round.State.DRAFT,
            team__memberships__user=user,
            team__memberships__role="facilitator",
        )
        .select_related("team")
        .order_by("team__name", "created")[:50]
    )


@register.simple_tag
def actions_owned_by(user: User) -> list[Action]:
    """``{% actions_owned_by user as actions %}``: the open actions the user owns in
    the teams they are still in, in one query."""
    return list(
        Action.objects.filter(
            state=Action.State.OPEN,
            owner__user=user,
            team__memberships__user=user,
        )
        .select_related("team", "dimension", "team_dimension")
        .order_by(F("due_on").asc(nulls_last=True), "created")[:50]
    )
