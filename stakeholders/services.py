"""Stakeholder links and invitations: make them, revoke them, and find the round a
token or a session opens.

A shared link stays usable until it is revoked or replaced; an invitation works once.
Both work only while their round is open. Only the hash of a token is stored.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from assessments import disclosure
from assessments.models import (
    Channel,
    Perspective,
    Round,
    RoundDimension,
    StakeholderGroup,
    StakeholderInvitation,
    StakeholderLink,
    SubmitGuard,
)
from assessments.selectors import stakeholder_channels
from assessments.services import Answers, RoundNotOpen, response_seal
from config import rawsql
from stakeholders.tasks import (
    remind_stakeholder,
    seal_address,
    send_stakeholder_invitation,
)
from teams.models import ActivityEntry, Team, hash_token, new_token
from teams.services import activity_record, invitations_left_today

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import User

    from teams.models import Team

Kind = Literal["link", "invitation"]

# The most addresses a facilitator can invite at once.
MAX_INVITATIONS = 200


@dataclass(frozen=True)
class Access:
    """What a stakeholder's visit refers to: a link or an invitation, by id, and a
    random value of this visit (kept only in the browser's signed cookie) that
    makes its submit happen once."""

    kind: Kind
    id: int
    visit: str = field(default_factory=lambda: secrets.token_urlsafe(16))

    def as_session(self) -> dict[str, str | int]:
        return {"kind": self.kind, "id": self.id, "visit": self.visit}

    @classmethod
    def from_session(cls, value: object) -> Access | None:
        if not isinstance(value, dict):
            return None
        kind, id, visit = value.get("kind"), value.get("id"), value.get("visit")
        if kind not in ("link", "invitation") or not isinstance(id, int):
            return None
        if not isinstance(visit, str) or not visit:
            return None
        return cls(kind, id, visit)

    def guard_key(self) -> str:
        """What the database keeps of this visit once it has answered: a keyed
        hash of its random value (names no link, invitation or person)."""
        return salted_hmac(
            "team-mirror.submit-guard", self.visit, algorithm="sha256"
        ).hexdigest()


def access_for_token(token: str) -> Access | None:
    """The usable link or invitation this token opens, or None."""
    token_hash = hash_token(token)
    link = (
        StakeholderLink.objects.usable()
        .filter(token_hash=token_hash)
        .values_list("pk", flat=True)
    )
    if link_id := link.first():
        return Access("link", link_id)
    invitation = StakeholderInvitation.objects.usable().filter(token_hash=token_hash)
    if invitation_id := invitation.values_list("pk", flat=True).first():
        return Access("invitation", invitation_id)
    return None


def round_for_access(access: Access) -> tuple[Round, list[RoundDimension]] | None:
    """The open round a still usable link or invitation leads to (its team
    loaded) and the round's dimensions in order, or None. One query, written once
    in SQL (``config.rawsql``; the answer POST is the busiest request): it is
    ``StakeholderLink.objects.usable()`` (or ``StakeholderInvitation``)
    ``.filter(pk=access.id).select_related("round__team")`` and
    ``round.dimensions.all()`` (``tests/test_rawsql.py``)."""
    model = StakeholderLink if access.kind == "link" else StakeholderInvitation
    rnd, team, dim = (
        rawsql.columns(Round, "r"),
        rawsql.columns(Team, "t"),
        rawsql.columns(RoundDimension, "d"),
    )
    t, c = rawsql.table, rawsql.column
    closes_at = f"r.{c(Round, 'closes_at')}"
    sql = (
        f"SELECT {rnd.sql}, {team.sql}, {dim.sql} FROM {t(model)} x "  # noqa: S608
        f"JOIN {t(Round)} r ON x.{c(model, 'round')} = r.{c(Round, 'id')} "
        f"JOIN {t(Team)} t ON r.{c(Round, 'team')} = t.{c(Team, 'id')} "
        f"LEFT JOIN {t(RoundDimension)} d "
        f"ON d.{c(RoundDimension, 'round')} = r.{c(Round, 'id')} "
        f"WHERE x.{c(model, 'id')} = %s AND x.{c(model, 'revoked_at')} IS NULL "
        f"AND r.{c(Round, 'state')} = %s "
        f"AND ({closes_at} IS NULL OR {closes_at} > %s)"
    )
    params: list[Any] = [
        access.id,
        Round.State.OPEN.value,
        rawsql.prep(Round, "closes_at", timezone.now()),
    ]
    if model is StakeholderInvitation:
        sql += f" AND x.{c(StakeholderInvitation, 'used')} = %s"
        params.append(False)
    sql += f" ORDER BY d.{c(RoundDimension, 'position')}, d.{c(RoundDimension, 'id')}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    a, b = rnd.width, rnd.width + team.width
    round = rnd.instance(rows[0][:a])
    round.team = team.instance(rows[0][a:b])
    dimensions = []
    for row in rows:
        if row[b] is None:  # a round without dimensions (LEFT JOIN)
            continue
        dimension = dim.instance(row[b:])
        dimension.round = round
        dimensions.append(dimension)
    return round, dimensions


@transaction.atomic
def link_create(
    *, round: Round, actor: User | None = None
) -> tuple[StakeholderLink, str]:
    """A new shared link for the round; any link it had stops working. Returns the
    link and its token, which is not stored and can be shown only now."""
    replaced = _revoke_links(round)
    token = new_token()
    link = StakeholderLink.objects.create(round=round, token_hash=hash_token(token))
    activity_record(
        team=round.team,
        actor=actor,
        action=ActivityEntry.Action.LINK_ROTATED
        if replaced
        else ActivityEntry.Action.LINK_CREATED,
        detail={"round": round.title},
    )
    return link, token


def _revoke_links(round: Round) -> int:
    return StakeholderLink.objects.filter(round=round, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def link_revoke(*, round: Round, actor: User | None = None) -> int:
    """Revoke the round's shared link. Returns how many links were revoked."""
    revoked = _revoke_links(round)
    if revoked:
        activity_record(
            team=round.team,
            actor=actor,
            action=ActivityEntry.Action.LINK_REVOKED,
            detail={"round": round.title},
        )
    return revoked


class InvitationCapReached(Exception):
    """Inviting these addresses would pass a cap; nothing was created."""

    def __init__(self, *, per_round_left: int, per_person_left: int) -> None:
        super().__init__()
        self.per_round_left = per_round_left
        self.per_person_left = per_person_left


def reminder_moment(round: Round) -> datetime.datetime | None:
    """When an emailed stakeholder who has not answered is reminded: a day before the
    round closes. None without a closing date or when that moment is less than a
    day away."""
    if round.closes_at is None:
        return None
    moment = round.closes_at - datetime.timedelta(days=1)
    if moment <= timezone.now() + datetime.timedelta(days=1):
        return None
    return moment


def _can_defer() -> bool:
    """Whether the task backend can run a task later: the worker's database backend
    can; the development and test backends run every task at once, so there the
    reminder is left out."""
    return remind_stakeholder.get_backend().supports_defer


def _enqueue_reminder(run_after: datetime.datetime, **kwargs: str) -> None:
    remind_stakeholder.using(run_after=run_after).enqueue(**kwargs)


@transaction.atomic
def invitations_create(
    *, round: Round, addresses: Iterable[str], actor: User | None = None
) -> list[StakeholderInvitation]:
    """One single-use invitation per address, each emailed by a background task once
    this transaction commits. The task also makes the token, so no usable link is
    ever stored in the task queue.

    Who invited how many, and the addresses, go into the team's activity log (an
    entry written now, never linked to an answer), so that the whole team can see
    every invitation. Raises ``InvitationCapReached`` (creating nothing) past
    ``STAKEHOLDER_INVITATIONS_PER_ROUND`` or ``INVITATIONS_PER_PERSON_PER_DAY``."""
    addresses = list(addresses)
    # Lock the round so two racing requests cannot both pass the caps.
    Round.objects.select_for_update().filter(pk=round.pk).first()
    per_round_left = max(
        0,
        settings.STAKEHOLDER_INVITATIONS_PER_ROUND
        - invitation_counts(round=round)["sent_count"],
    )
    per_person_left = (
        invitations_left_today(actor=actor)
        if actor is not None
        else settings.INVITATIONS_PER_PERSON_PER_DAY
    )
    if len(addresses) > min(per_round_left, per_person_left):
        raise InvitationCapReached(
            per_round_left=per_round_left, per_person_left=per_person_left
        )
    invitations = []
    # In a random order and at one moment: neither keys, storage order nor times
    # of the invitations follow the addresses the activity log lists.
    moment = timezone.now()
    for address in disclosure.shuffled(addresses):
        # A placeholder: nobody knows this token. The task replaces it.
        invitation = StakeholderInvitation.objects.create(
            round=round,
            token_hash=hash_token(new_token()),
            created=moment,
            invited_by=actor,
        )
        transaction.on_commit(
            partial(
                send_stakeholder_invitation.enqueue,
                sealed_address=seal_address(address),
                invitation=str(invitation.code),
            )
        )
        remind_at = reminder_moment(round)
        if remind_at is not None and _can_defer():
            transaction.on_commit(
                partial(
                    _enqueue_reminder,
                    remind_at,
                    sealed_address=seal_address(address),
                    invitation=str(invitation.code),
                )
            )
        invitations.append(invitation)
    activity_record(
        team=round.team,
        actor=actor,
        action=ActivityEntry.Action.STAKEHOLDERS_INVITED,
        detail={"round": round.title, "count": len(addresses), "addresses": addresses},
    )
    return invitations


def invitation_counts(
    *, round: Round, counted: Turnout | None = None
) -> dict[str, int]:
    """How many invitations the round has sent (``sent_count``), how many were
    used (``used_count``: every stakeholder answer by invitation, sealed or
    released; a released one's invitation is deleted at release) and how many
    of the others were revoked (``revoked_count``). Two queries (one with
    ``counted``, the round's ``turnout``)."""
    counts = round.stakeholder_invitations.aggregate(
        kept=Count("pk"),
        marked=Count("pk", filter=Q(used=True)),
        revoked=Count("pk", filter=Q(used=False, revoked_at__isnull=False)),
    )
    # Those marked used wait sealed, and are among the answers by invitation.
    used = max(counts["marked"], (counted or turnout(round=round)).by_invitation)
    sent = counts["kept"] + used - counts["marked"]
    return {"sent_count": sent, "used_count": used, "revoked_count": counts["revoked"]}


@transaction.atomic
def invitations_revoke(*, round: Round, actor: User | None = None) -> int:
    """Revoke the round's unused invitations. Returns how many."""
    count = StakeholderInvitation.objects.filter(
        round=round, used=False, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if count:
        activity_record(
            team=round.team,
            actor=actor,
            action=ActivityEntry.Action.STAKEHOLDER_INVITATIONS_REVOKED,
            detail={"round": round.title, "count": count},
        )
    return count


def invitation_claim(*, invitation_id: int, visit_key: str = "") -> bool:
    """Mark an unused invitation used (by the visit with this guard key). Of two
    racing claims exactly one succeeds.

    The UPDATE filters on the invitation's own columns only: PostgreSQL re-checks
    those on the row the first claim committed, so the second claim matches nothing
    (a condition on the round would be a sub-query read from an older snapshot)."""
    # Written once in SQL (config.rawsql): StakeholderInvitation.objects.filter(
    # pk=invitation_id, used=False, revoked_at__isnull=True).update(used=True,
    # used_by_visit=visit_key).
    t, c = rawsql.table, rawsql.column
    model = StakeholderInvitation
    sql = (
        f"UPDATE {t(model)} SET {c(model, 'used')} = %s, "  # noqa: S608 (names only)
        f"{c(model, 'used_by_visit')} = %s WHERE {c(model, 'id')} = %s "
        f"AND {c(model, 'used')} = %s AND {c(model, 'revoked_at')} IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, visit_key, invitation_id, False])
        return cursor.rowcount == 1


def relationship_names(team: Team) -> list[str]:
    """The team's stakeholder relationships, in order: ``list(team
    .stakeholder_groups.values_list("name", flat=True))``, written once in SQL for
    the answer POST (config.rawsql)."""
    t, c = rawsql.table, rawsql.column
    model = StakeholderGroup
    sql = (
        f"SELECT {c(model, 'name')} FROM {t(model)} "  # noqa: S608 (names only)
        f"WHERE {c(model, 'team')} = %s "
        f"ORDER BY {c(model, 'position')}, {c(model, 'id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [team.pk])
        return [name for (name,) in cursor.fetchall()]


def answered_by_this_visit(access: Access) -> bool:
    """Whether this visit is the one that used its invitation: its late second
    request of a double click, not someone else opening a used invitation."""
    return (
        access.kind == "invitation"
        and StakeholderInvitation.objects.filter(
            pk=access.id, used=True, used_by_visit=access.guard_key()
        ).exists()
    )


@transaction.atomic
def groups_replace(*, team: Team, names: list[str]) -> None:
    """Set the team's relationship list. Answers keep the label they were given
    under (they store the text, not the group), so nothing else changes."""
    team.stakeholder_groups.all().delete()
    StakeholderGroup.objects.bulk_create(
        StakeholderGroup(team=team, name=name, position=position)
        for position, name in enumerate(names, start=1)
    )


class LinkNotUsable(Exception):
    """The link was revoked, the invitation used, or the round closed."""


class AlreadySent(Exception):
    """This visit has already sent its answer (a double click, the back button)."""


def stakeholder_response_submit(
    *, access: Access, round: Round, relationship: str, answers: Answers
) -> None:
    """Store a stakeholder's sealed answer. Exactly once, from the database alone:
    an invitation is used up in the same transaction (of two submissions racing
    on it one is stored, nothing of the other), and a visit through the shared
    link writes a ``SubmitGuard`` whose unique key refuses the same visit's
    second submit (``AlreadySent``, as for an invitation claimed meanwhile).
    Raises ``LinkNotUsable`` with nothing stored when the round no longer takes
    answers."""
    try:
        with transaction.atomic():
            if access.kind == "invitation":
                # It was usable when this request began: a failed claim is a
                # racing second submit of the same answer.
                if not invitation_claim(
                    invitation_id=access.id, visit_key=access.guard_key()
                ):
                    raise AlreadySent
                channel = Channel.INVITATION
            else:
                rawsql.insert(SubmitGuard, round=round, key=access.guard_key())
                channel = Channel.LINK
            response_seal(
                round=round,
                perspective=Perspective.STAKEHOLDER,
                relationship=relationship,
                channel=channel,
                answers=answers,
            )
    except IntegrityError:
        raise AlreadySent from None
    except RoundNotOpen:
        raise LinkNotUsable from None


@dataclass(frozen=True)
class Turnout:
    """How many stakeholders answered, and per relationship as far as
    ``disclosure.visible_subgroups`` allows: a group needs the round's minimum, and
    those outside the shown groups must be none or at least the minimum. Hidden
    groups are left out, never merged."""

    total: int
    groups: list[tuple[str, int]]
    hidden_groups: bool
    minimum: int
    # A group that meets the minimum is hidden, because of the difference rule.
    hidden_by_difference: bool = False
    # Answers by personal invitation and by the shared link, sealed or released:
    # a burst on the shared link is visible to the whole team.
    by_invitation: int = 0
    by_link: int = 0
    # Whether the split by channel may be shown (``disclosure.sources_shown``).
    channels_shown: bool = False
    # Answered in more than one batch (after a reopen): no groups shown.
    regrouped: bool = False


def turnout(*, round: Round) -> Turnout:
    """Relationship groups count released answers only (what the report shows);
    the totals count sealed ones too (three queries at most)."""
    counts = (
        round.responses.filter(perspective=Perspective.STAKEHOLDER)
        .values_list("relationship")
        .annotate(n=Count("pk"), batch=Max("release"))
        .order_by("relationship")
    )
    rows = list(counts)
    released = sum(n for _name, n, _batch in rows)
    channels = channel_counts(round=round)
    # Stakeholders who gave no relationship are in the total only, as in the report.
    # The groups are judged against the released answers they are part of.
    # Answered in more than one batch (a reopen): the groups are not shown on their
    # own any more, as in the report (``reports.frozen``), or a group would grow
    # by the one new person in it.
    regrouped = any(batch > 1 for _name, _n, batch in rows)
    labelled = {name: n for name, n, _batch in rows if name and not regrouped}
    keep = disclosure.visible_subgroups(released, labelled, round.min_responses)
    reasons = {
        disclosure.subgroup_reason(released, n, round.min_responses, name in keep)
        for name, n in labelled.items()
    }
    return Turnout(
        # Every stakeholder answer, sealed or released: while the round is open all
        # of them are still sealed.
        total=sum(channels.values()),
        by_invitation=channels.get(Channel.INVITATION, 0),
        by_link=channels.get(Channel.LINK, 0),
        channels_shown=bool(
            disclosure.sources_shown(sum(channels.values()), round.min_responses)
        ),
        groups=[(name, n) for name, n in labelled.items() if name in keep],
        hidden_groups=len(keep) < len(labelled),
        minimum=disclosure.effective_minimum(round.min_responses),
        hidden_by_difference=disclosure.DIFFERENCE in reasons,
        regrouped=regrouped,
    )


def channel_counts(*, round: Round) -> dict[str, int]:
    """Stakeholder answers per channel, sealed and released (one query)."""
    channels = stakeholder_channels(round)
    return {Channel.INVITATION: channels.by_invitation, Channel.LINK: channels.by_link}
