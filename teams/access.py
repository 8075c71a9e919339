"""The one place that decides who may see a team.

Every view that touches a team's data starts with one of these helpers. An outsider
gets 404 (never learns the team exists); a member without the right role gets 403.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest

from teams.language import use_team_language
from teams.models import CoachShare, Membership, Team


class AuthenticatedHttpRequest(HttpRequest):
    """A request that LoginRequiredMiddleware has let through."""

    user: User


def get_membership(request: HttpRequest, code: UUID | str) -> Membership:
    """The signed-in user's membership of the team with this code, or 404."""
    if not request.user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("team")
        .filter(team__code=code, user=request.user)
        .first()
    )
    if membership is None:
        raise Http404
    use_team_language(request, membership.team.language)
    return membership


def role_annotation(request: HttpRequest, team: str = "team") -> Subquery:
    """An annotation for a query of objects that belong to a team (through the
    field path ``team``): the signed-in user's role there, or null. Lets a page
    fetch an object and its access in one query; pass the result to
    ``membership_from_role``."""
    # An anonymous user matches no membership (no user has id 0).
    user_id = int(request.user.pk or 0) if request.user.is_authenticated else 0
    memberships = Membership.objects.filter(team=OuterRef(team), user_id=user_id)
    return Subquery(memberships.values("role")[:1])


def membership_from_role(
    request: HttpRequest, team: Team, role: str | None, *, facilitator: bool = False
) -> Membership:
    """The signed-in user's membership as ``role_annotation`` found it: 404 if
    none, 403 if ``facilitator`` and they are not. (Unsaved: only its team, user
    and role are known.)"""
    if role is None or not request.user.is_authenticated:
        raise Http404
    membership = Membership(team=team, user=request.user, role=role)
    use_team_language(request, team.language)
    if facilitator and not membership.is_facilitator:
        raise PermissionDenied
    return membership


def get_team_for_member(
    request: HttpRequest, code: UUID | str
) -> tuple[Team, Membership]:
    membership = get_membership(request, code)
    return membership.team, membership


def get_team_for_facilitator(
    request: HttpRequest, code: UUID | str
) -> tuple[Team, Membership]:
    membership = get_membership(request, code)
    if not membership.is_facilitator:
        raise PermissionDenied
    return membership.team, membership


def get_team_for_reader(
    request: HttpRequest, code: UUID | str
) -> tuple[Team, Membership | None, CoachShare | None]:
    """A team whose results the user may read: as a member, or as a coach the team
    shares with (read-only). Anyone else gets 404."""
    if not request.user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("team")
        .filter(team__code=code, user=request.user)
        .first()
    )
    if membership is not None:
        use_team_language(request, membership.team.language)
        return membership.team, membership, None
    share = (
        CoachShare.objects.active()
        .select_related("team")
        .filter(team__code=code, coach=request.user)
        .first()
    )
    if share is None:
        raise Http404
    use_team_language(request, share.team.language)
    return share.team, None, share
