from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessments.models import StakeholderGroup, TeamDimension
from teams.models import Invitation, Membership, Team, hash_token, new_token


@transaction.atomic
def team_create(*, name: str, description: str, creator: User) -> Team:
    """A new team with its creator as facilitator and its own copy of the framework."""
    team = Team.objects.create(name=name, description=description)
    Membership.objects.create(team=team, user=creator, role=Membership.Role.FACILITATOR)
    TeamDimension.copy_builtins(team)
    StakeholderGroup.create_defaults(team)
    return team


def invitation_create(
    *, team: Team, label: str, role: str, created_by: User
) -> tuple[Invitation, str]:
    """Returns the invitation and its token; only the token's hash is stored."""
    token = new_token()
    invitation = Invitation.objects.create(
        team=team,
        label=label,
        role=role,
        created_by=created_by,
        token_hash=hash_token(token),
    )
    return invitation, token


class InvitationNotUsable(Exception):
    pass


@transaction.atomic
def invitation_accept(*, invitation_id: int, user: User) -> Membership:
    """Use the invitation for this user. A race between two uses ends with one."""
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation_id,
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).update(used_at=now, used_by=user)
    if not claimed:
        raise InvitationNotUsable
    invitation = Invitation.objects.select_related("team").get(pk=invitation_id)
    membership, _ = Membership.objects.get_or_create(
        team=invitation.team, user=user, defaults={"role": invitation.role}
    )
    return membership
