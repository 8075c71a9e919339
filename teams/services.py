from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.utils import timezone

from teams.models import (
    AccessLogEntry,
    ActivityEntry,
    CoachInvitation,
    CoachShare,
    Invitation,
    Membership,
    Team,
    hash_token,
    new_token,
)
from teams.signals import member_left
from teams.tasks import (
    send_coach_invitation,
    send_password_reset,
    send_team_invitation,
)


def activity_record(
    *,
    team: Team,
    actor: User | AnonymousUser | None,
    action: str,
    detail: dict[str, Any] | None = None,
) -> ActivityEntry:
    """Add one entry to the team's activity log, which every member reads.

    Call it in the same transaction as the change it records, with plain facts in
    ``detail`` (names, counts, invited addresses; JSON types only), never anything
    about an answer. ``action`` is one of ``ActivityEntry.Action`` (add a new one
    there, with its words in ``teams.models.describe``). ``actor`` None is the
    system (a scheduled job)."""
    user = actor if isinstance(actor, User) else None
    return ActivityEntry.objects.create(
        team=team,
        actor=user,
        actor_name=user.get_username() if user else "Team Mirror",
        action=str(action),
        detail=detail or {},
    )


@transaction.atomic
def team_create(*, name: str, description: str, creator: User) -> Team:
    """A new team with its creator as facilitator. ``assessments.services.team_start``
    also gives it its own copy of the framework: use that one for a real team."""
    team = Team.objects.create(name=name, description=description)
    Membership.objects.create(team=team, user=creator, role=Membership.Role.FACILITATOR)
    activity_record(
        team=team,
        actor=creator,
        action=ActivityEntry.Action.TEAM_CREATED,
        detail={"name": name},
    )
    return team


class TooManyOpenInvitations(Exception):
    pass


class TooManyInvitationsToday(Exception):
    pass


def invitations_left_today(*, actor: User) -> int:
    """How many more people this person may invite (to any team, stakeholders,
    members and coaches alike) in the 24 hours up to now:
    ``INVITATIONS_PER_PERSON_PER_DAY`` less what the activity logs hold for them."""
    since = timezone.now() - timedelta(days=1)
    details = ActivityEntry.objects.filter(
        actor=actor,
        at__gte=since,
        action__in=[
            ActivityEntry.Action.STAKEHOLDERS_INVITED,
            ActivityEntry.Action.INVITATION_CREATED,
            ActivityEntry.Action.COACH_INVITED,
        ],
    ).values_list("detail", flat=True)
    used = sum(int(d.get("count", 0) or 0) for d in details)
    return max(0, settings.INVITATIONS_PER_PERSON_PER_DAY - used)


@transaction.atomic
def invitation_create(
    *, team: Team, label: str, role: str, created_by: User
) -> tuple[Invitation, str]:
    """Returns the invitation and its token; only the token's hash is stored.
    Raises ``TooManyOpenInvitations`` when the team already has
    ``TEAM_OPEN_INVITATIONS_MAX`` usable invitations."""
    # Lock the team row so two racing requests cannot both pass the cap.
    Team.objects.select_for_update().filter(pk=team.pk).first()
    if team.invitations.usable().count() >= settings.TEAM_OPEN_INVITATIONS_MAX:
        raise TooManyOpenInvitations
    if invitations_left_today(actor=created_by) < 1:
        raise TooManyInvitationsToday
    token = new_token()
    invitation = Invitation.objects.create(
        team=team,
        label=label,
        role=role,
        created_by=created_by,
        token_hash=hash_token(token),
    )
    activity_record(
        team=team,
        actor=created_by,
        action=ActivityEntry.Action.INVITATION_CREATED,
        detail={"label": label, "role": role, "count": 1},
    )
    return invitation, token


@transaction.atomic
def invitation_revoke(*, team: Team, code: str, actor: User) -> bool:
    """Revoke one of the team's invitations. Returns whether it was still live."""
    invitation = team.invitations.filter(code=code, revoked_at__isnull=True).first()
    if invitation is None:
        return False
    revoked = Invitation.objects.filter(
        pk=invitation.pk, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if revoked:
        activity_record(
            team=team,
            actor=actor,
            action=ActivityEntry.Action.INVITATION_REVOKED,
            detail={"label": invitation.label},
        )
    return bool(revoked)


class NoFacilitatorLeft(Exception):
    pass


def _check_facilitator(team: Team) -> None:
    if not team.memberships.filter(role=Membership.Role.FACILITATOR).exists():
        raise NoFacilitatorLeft


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: User) -> bool:
    """Give a member another role. Raises ``NoFacilitatorLeft`` (changing nothing)
    if the team would have no facilitator. Returns whether the role changed."""
    changed = (
        Membership.objects.filter(pk=membership.pk).exclude(role=role).update(role=role)
    )
    if not changed:
        return False
    _check_facilitator(membership.team)
    membership.role = role
    activity_record(
        team=membership.team,
        actor=actor,
        action=ActivityEntry.Action.ROLE_CHANGED,
        detail={"member": membership.user.get_username(), "role": role},
    )
    return True


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove a member, or let them leave (actor is the member). Raises
    ``NoFacilitatorLeft`` (changing nothing) if no facilitator would be left.
    Sends ``teams.signals.member_left`` (the API tokens they made stop)."""
    team = membership.team
    leaving = membership.user_id == actor.pk
    name = membership.user.get_username()
    membership.delete()
    _check_facilitator(team)
    activity_record(
        team=team,
        actor=actor,
        action=(
            ActivityEntry.Action.MEMBER_LEFT
            if leaving
            else ActivityEntry.Action.MEMBER_REMOVED
        ),
        detail={} if leaving else {"member": name},
    )
    member_left.send(sender=Membership, team=team, user=membership.user, actor=actor)


@transaction.atomic
def invitations_email(
    *, team: Team, addresses: list[str], role: str, created_by: User
) -> list[Invitation]:
    """One single-use invitation per address, each emailed by a task once this
    transaction commits. The address is kept as the invitation's label (the team
    sees who was invited, in the members page and the activity log); the task gets
    only the invitation's code and makes the link itself, so the task queue never
    holds an address or a usable link. Raises ``TooManyOpenInvitations`` or
    ``TooManyInvitationsToday`` (nothing made) past the caps."""
    Team.objects.select_for_update().filter(pk=team.pk).first()
    open_now = team.invitations.usable().count()
    if open_now + len(addresses) > settings.TEAM_OPEN_INVITATIONS_MAX:
        raise TooManyOpenInvitations
    if invitations_left_today(actor=created_by) < len(addresses):
        raise TooManyInvitationsToday
    invitations = [
        Invitation.objects.create(
            team=team,
            label=address,
            role=role,
            created_by=created_by,
            # Replaced by the task's own token when it sends the email.
            token_hash=hash_token(new_token()),
        )
        for address in addresses
    ]
    activity_record(
        team=team,
        actor=created_by,
        action=ActivityEntry.Action.INVITATION_CREATED,
        detail={
            "label": ", ".join(addresses),
            "role": role,
            "count": len(addresses),
            "addresses": addresses,
        },
    )
    for invitation in invitations:
        transaction.on_commit(
            partial(send_team_invitation.enqueue, invitation=str(invitation.code))
        )
    return invitations


class InvitationNotUsable(Exception):
    pass


class AddressNotProven(Exception):
    """The account has not confirmed the address it needs: its own to join a team,
    the invited one to accept a coach invitation."""


def invitation_reserve(*, token_hash: str, user: User) -> bool:
    """Use up the invitation whose token this browser holds for the account just
    signed up in it: one account per invitation, whatever the sign-up mode. The
    account joins with it once its address is confirmed (``invitation_accept``).
    Returns whether a usable invitation was reserved."""
    return bool(
        Invitation.objects.usable()
        .filter(token_hash=token_hash)
        .update(used_at=timezone.now(), used_by=user)
    )


def has_confirmed_address(user: User) -> bool:
    """Whether the account confirmed an address (allauth's ``EmailAddress``)."""
    return EmailAddress.objects.filter(user=user, verified=True).exists()


@transaction.atomic
def invitation_accept(*, invitation_id: int, user: User) -> Membership:
    """Use the invitation for this user (or the one reserved for it at sign-up).
    A race between two uses ends with one. Raises ``AddressNotProven`` (using
    nothing) for an account that has not confirmed its address: it counts only
    once proven."""
    if not has_confirmed_address(user):
        raise AddressNotProven
    claimed = (
        Invitation.objects.open_to(user)
        .filter(pk=invitation_id)
        .update(used_at=timezone.now(), used_by=user)
    )
    if not claimed:
        raise InvitationNotUsable
    invitation = Invitation.objects.select_related("team", "created_by").get(
        pk=invitation_id
    )
    membership, created = Membership.objects.get_or_create(
        team=invitation.team, user=user, defaults={"role": invitation.role}
    )
    if created:
        inviter = invitation.created_by
        activity_record(
            team=invitation.team,
            actor=user,
            action=ActivityEntry.Action.MEMBER_JOINED,
            detail={
                "role": membership.role,
                "label": invitation.label,
                "invited_by": inviter.get_username() if inviter else "",
            },
        )
    return membership


class AlreadyShared(Exception):
    pass


_COACH_ACTIVITY = {
    AccessLogEntry.Action.GRANTED: ActivityEntry.Action.COACH_GRANTED,
    AccessLogEntry.Action.CHANGED: ActivityEntry.Action.COACH_CHANGED,
    AccessLogEntry.Action.REVOKED: ActivityEntry.Action.COACH_REVOKED,
}


def _log_access(
    *, share: CoachShare, action: str, actor: User, include_notes: bool
) -> AccessLogEntry:
    # The sharing page keeps its own access log; the team's activity log has
    # the same event, so a member sees it in either place.
    activity_record(
        team=share.team,
        actor=actor,
        action=_COACH_ACTIVITY[AccessLogEntry.Action(action)],
        detail={"coach": share.coach.get_username(), "include_notes": include_notes},
    )
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


@transaction.atomic
def coach_invitation_create(
    *, team: Team, email: str, include_notes: bool, created_by: User
) -> CoachInvitation:
    """Invite a coach, named by email address, to see the team's results: an email
    a task sends once this transaction commits (only the invitation's code passes
    through the queue). Whether or not the address has an account, it is the same
    invitation: the share is made when the person accepts it, signed in with this
    address proven. Counts in ``INVITATIONS_PER_PERSON_PER_DAY`` and is in the
    team's activity log; raises ``TooManyInvitationsToday`` (nothing made) past
    the cap."""
    if invitations_left_today(actor=created_by) < 1:
        raise TooManyInvitationsToday
    invitation = CoachInvitation.objects.create(
        team=team,
        email=email,
        include_notes=include_notes,
        created_by=created_by,
        token_hash=hash_token(new_token()),  # replaced by the task's own token
    )
    activity_record(
        team=team,
        actor=created_by,
        action=ActivityEntry.Action.COACH_INVITED,
        detail={"coach": email, "include_notes": include_notes, "count": 1},
    )
    transaction.on_commit(
        partial(send_coach_invitation.enqueue, invitation=str(invitation.code))
    )
    return invitation


def has_proven(user: User, email: str) -> bool:
    """Whether this account confirmed this address (allauth's ``EmailAddress``): an
    account's own ``email`` field, or an invitation's label, proves nothing."""
    return EmailAddress.objects.filter(
        user=user, email__iexact=email.strip(), verified=True
    ).exists()


@transaction.atomic
def coach_invitation_accept(*, invitation_id: int, user: User) -> CoachShare | None:
    """Use the invitation: the team's results are shared with this user, logged as
    given by the facilitator who invited them. None for a member of the team, who
    sees the results anyway. Raises ``InvitationNotUsable`` if it was used,
    revoked or expired (a race between two uses ends with one), and
    ``AddressNotProven`` (using nothing) unless this account confirmed the address
    the invitation was sent to."""
    invitation = CoachInvitation.objects.usable().filter(pk=invitation_id).first()
    if invitation is None:
        raise InvitationNotUsable
    if not has_proven(user, invitation.email):
        raise AddressNotProven
    claimed = (
        CoachInvitation.objects.usable()
        .filter(pk=invitation_id)
        .update(used_at=timezone.now())
    )
    if not claimed:
        raise InvitationNotUsable
    invitation = CoachInvitation.objects.select_related("team", "created_by").get(
        pk=invitation_id
    )
    if invitation.team.memberships.filter(user=user).exists():
        return None
    try:
        return coach_share_grant(
            team=invitation.team,
            coach=user,
            include_notes=invitation.include_notes,
            actor=invitation.created_by or user,
        )
    except AlreadyShared:
        return None


def password_reset_request(*, email: str, language: str) -> None:
    """Queue the password-reset email for this address, once the request's
    transaction commits. Nothing is looked up here: the request does the same
    work whether or not an account has the address (the task finds the accounts
    and sends)."""
    transaction.on_commit(
        partial(send_password_reset.enqueue, email=email, language=language)
    )
