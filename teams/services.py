from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from teams.models import (
    AccessLogEntry,
    CoachShare,
    Invitation,
    Membership,
    Team,
    hash_token,
    new_token,
)


@transaction.atomic
def team_create(*, name: str, description: str, creator: User) -> Team:
    """A new team with its creator as facilitator. ``assessments.services.team_start``
    also gives it its own copy of the framework: use that one for a real team."""
    team = Team.objects.create(name=name, description=description)
    Membership.objects.create(team=team, user=creator, role=Membership.Role.FACILITATOR)
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
    claimed = (
        Invitation.objects.usable()
        .filter(pk=invitation_id)
        .update(used_at=timezone.now(), used_by=user)
    )
    if not claimed:
        raise InvitationNotUsable
    invitation = Invitation.objects.select_related("team").get(pk=invitation_id)
    membership, _ = Membership.objects.get_or_create(
        team=invitation.team, user=user, defaults={"role": invitation.role}
    )
    return membership


class AlreadyShared(Exception):
    pass


def _log_access(
    *, share: CoachShare, action: str, actor: User, include_notes: bool
) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        team=share.team,
        action=action,
        coach=share.coach,
        coach_name=share.coach.get_username(),
        actor=actor,
        actor_name=actor.get_username(),
        include_notes=include_notes,
    )


def coach_share_grant(
    *, team: Team, coach: User, include_notes: bool, actor: User
) -> CoachShare:
    """Share the team's results with a coach, and log it. A second grant while the
    first is active (a double submit) raises AlreadyShared and changes nothing."""
    try:
        with transaction.atomic():
            share = CoachShare.objects.create(
                team=team, coach=coach, include_notes=include_notes
            )
            _log_access(
                share=share,
                action=AccessLogEntry.Action.GRANTED,
                actor=actor,
                include_notes=include_notes,
            )
    except IntegrityError as e:
        raise AlreadyShared from e
    return share


@transaction.atomic
def coach_share_change(*, share: CoachShare, include_notes: bool, actor: User) -> bool:
    """Change whether an active share includes the notes. Returns whether anything
    changed (nothing is logged for a repeated or stale submit)."""
    changed = (
        CoachShare.objects.active()
        .filter(pk=share.pk)
        .exclude(include_notes=include_notes)
        .update(include_notes=include_notes)
    )
    if changed:
        share.include_notes = include_notes
        _log_access(
            share=share,
            action=AccessLogEntry.Action.CHANGED,
            actor=actor,
            include_notes=include_notes,
        )
    return bool(changed)


@transaction.atomic
def coach_share_revoke(*, share: CoachShare, actor: User) -> bool:
    """End a share now: every coach access check filters on active shares, so the
    coach's next request already gets 404. Returns whether it was still active."""
    revoked = (
        CoachShare.objects.active()
        .filter(pk=share.pk)
        .update(revoked_at=timezone.now())
    )
    if revoked:
        _log_access(
            share=share,
            action=AccessLogEntry.Action.REVOKED,
            actor=actor,
            include_notes=share.include_notes,
        )
    return bool(revoked)
