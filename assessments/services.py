"""Writes that touch several models: rounds and anonymous answers.

Answers are stored sealed by ``response_submit`` (stakeholders) and
``member_response_submit`` (a team member, who may answer a round once), and opened
by ``answers_release`` when the round closes: see ``docs/anonymity.md``, "How
answers are stored". Who answered (``Participation``, a used invitation) is written
with the sealed answer; what they answered is written later, with everyone else's,
in random order.
"""

from __future__ import annotations

import datetime
import functools
import logging
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.tasks import task
from django.utils import timezone

from assessments import disclosure, sealing, selectors, signals, tallies
from assessments.models import (
    Action,
    Channel,
    Eligibility,
    Note,
    NoteTheme,
    Participation,
    Perspective,
    Rating,
    Response,
    Round,
    RoundDimension,
    RoundMetric,
    SealedAnswer,
    SourceFigure,
    StakeholderGroup,
    StakeholderInvitation,
    StakeholderLink,
    TeamDimension,
)
from assessments.selectors import new_member_answers
from config import rawsql
from teams import services as team_services
from teams.models import ActivityEntry, Membership, Team

logger = logging.getLogger(__name__)


@transaction.atomic
def team_start(*, name: str, description: str, creator: User) -> Team:
    """A new team with its creator as facilitator, its own copy of the framework's
    dimensions and the default stakeholder relationships."""
    team = team_services.team_create(
        name=name, description=description, creator=creator
    )
    TeamDimension.copy_builtins(team)
    StakeholderGroup.create_defaults(team)
    return team


class RoundNotOpen(Exception):
    """The round is a draft, closed, or past its closing date."""


class NotOnRoster(Exception):
    """The member was not in the team when the round opened: not theirs to answer."""


class AlreadyAnswered(Exception):
    """This member has already answered this round."""


class AnotherRoundOpen(Exception):
    """The team already has an open round; close it first."""


class RoundMoved(Exception):
    """A round moved here from another server cannot be reopened: new answers
    would be added to the counts it carried, without its roster, and the
    difference would describe fewer than the minimum."""


class ResponsesExist(Exception):
    """The minimum number of responses cannot change once answers are in."""


@dataclass(frozen=True)
class RatingAnswer:
    dimension: RoundDimension
    level: int | None  # None is "don't know"
    comment: str = ""


@dataclass(frozen=True)
class NoteAnswer:
    kind: str  # a NoteKind value
    text: str
    dimension: RoundDimension | None = None


@dataclass(frozen=True)
class Answers:
    """Everything one person answered, as validated by ``forms.AnswerForm``."""

    ratings: Sequence[RatingAnswer]
    notes: Sequence[NoteAnswer] = field(default_factory=tuple)
    checkin: str = ""
    checkin_reason: str = ""


def response_submit(
    *,
    round: Round,
    perspective: str,
    relationship: str = "",
    channel: str = Channel.LINK,
    answers: Answers,
) -> None:
    """Store one anonymous answer, sealed, until the round's results are released.

    For stakeholders (``perspective=Perspective.STAKEHOLDER``, the relationship
    label they picked and the channel they came through); team members go through
    ``member_response_submit``. Call it inside the transaction that also records
    that the answer was given (an invitation used, a submit guard), so that both
    stand or fall together. Raises ``RoundNotOpen`` when the round no longer takes
    answers; nothing is stored then.
    """
    with transaction.atomic():
        response_seal(
            round=round,
            perspective=perspective,
            relationship=relationship,
            channel=channel,
            answers=answers,
        )


def response_seal(
    *, round: Round, perspective: str, relationship: str, channel: str, answers: Answers
) -> None:
    """``response_submit`` inside the caller's own transaction (no savepoint of its
    own): for services that write their own row with the answer."""
    _seal(round, perspective, channel, relationship, answers)
    _check_open(round)
    transaction.on_commit(lambda: _release_if_batch(round, perspective))


def member_response_submit(*, round: Round, user: User, answers: Answers) -> None:
    """Store a team member's sealed answer and record that they answered.

    Both rows are written in one transaction; a second submission by the same
    member (double click, back button, a second tab, two at the same moment) hits
    the ``participation_once_per_round`` constraint and raises ``AlreadyAnswered``
    with nothing stored. Raises ``RoundNotOpen`` as ``response_submit`` does, and
    ``NotOnRoster`` (nothing stored) if ``user`` is not on the round's roster: the
    roster check is part of the transaction's last statement, not a query more.
    """
    try:
        with transaction.atomic():
            rawsql.insert(Participation, round=round, user=user)
            _seal(round, Perspective.TEAM, Channel.MEMBER, "", answers)
            _check_open(round, on_roster=user)
    except IntegrityError:
        raise AlreadyAnswered from None
    transaction.on_commit(lambda: _release_if_batch(round, Perspective.TEAM))


def _check_open(round: Round, *, on_roster: User | None = None) -> None:
    # Last statement of the transaction: a no-op UPDATE that takes the round's row
    # lock (PostgreSQL; SQLite's IMMEDIATE transaction holds the database lock) and
    # re-checks that it is open (and, for a member, that they are on its roster).
    # Closing waits for it, so an answer is either in before the close (and
    # released with it) or refused; the lock is held only until COMMIT, so
    # concurrent answers barely wait on each other. Written once in SQL (see
    # ``config.rawsql``): it is ``Round.objects.open_now().filter(pk=round.pk)``
    # (with ``eligibilities__user=on_roster``) ``.update(releases=F("releases"))``.
    if not _update_if_open(round, on_roster):
        current = Round.objects.open_now().filter(pk=round.pk)
        if on_roster is not None and current.exists():
            raise NotOnRoster
        raise RoundNotOpen


def _update_if_open(round: Round, on_roster: User | None) -> int:
    t, c = rawsql.table, rawsql.column
    releases, pk = c(Round, "releases"), c(Round, "id")
    closes_at = c(Round, "closes_at")
    sql = (
        f"UPDATE {t(Round)} SET {releases} = {releases} "  # noqa: S608 (names only)
        f"WHERE {pk} = %s AND {c(Round, 'state')} = %s "
        f"AND ({closes_at} IS NULL OR {closes_at} > %s)"
    )
    params: list[Any] = [
        round.pk,
        Round.State.OPEN.value,
        rawsql.prep(Round, "closes_at", timezone.now()),
    ]
    if on_roster is not None:
        sql += (
            f" AND EXISTS(SELECT 1 FROM {t(Eligibility)} e "  # noqa: S608
            f"WHERE e.{c(Eligibility, 'round')} = {t(Round)}.{pk} "
            f"AND e.{c(Eligibility, 'user')} = %s)"
        )
        params.append(on_roster.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _seal(
    round: Round,
    perspective: str,
    channel: str,
    relationship: str,
    answers: Answers,
) -> None:
    dimensions = {r.dimension.round_id for r in answers.ratings} | {
        n.dimension.round_id for n in answers.notes if n.dimension is not None
    }
    if not dimensions <= {round.pk}:
        raise ValueError("Answers name a dimension of another round.")
    content = {
        "relationship": relationship,
        "checkin": answers.checkin,
        "checkin_reason": answers.checkin_reason,
        "ratings": [[r.dimension.pk, r.level, r.comment] for r in answers.ratings],
        "notes": [
            [n.kind, n.text, n.dimension.pk if n.dimension else None]
            for n in answers.notes
        ],
    }
    key = _keys()[0]
    rawsql.insert(
        SealedAnswer,
        round=round,
        perspective=perspective,
        channel=channel,
        sealed=sealing.seal(content, key=key, round_id=round.pk),
    )


@functools.cache
def _keys_for(
    sealing_key: str, secret_key: str, fallbacks: tuple[str, ...]
) -> list[bytes]:
    return sealing.keys_from_settings(sealing_key, secret_key, fallbacks)


def _keys() -> list[bytes]:
    return _keys_for(
        settings.ANSWER_SEALING_KEY,
        settings.SECRET_KEY,
        (*settings.ANSWER_SEALING_KEY_FALLBACKS, *settings.SECRET_KEY_FALLBACKS),
    )


def sealing_keys() -> list[bytes]:
    """The keys that seal answers (the first) and may open older ones."""
    return _keys()


def _release_if_batch(round: Round, perspective: str) -> None:
    """After a reopen, release a perspective's new answers once there are at least
    the round's minimum of them: published figures change all at once, never by
    fewer than the minimum."""
    if round.releases and round.is_open():
        held = round.sealed_answers.filter(perspective=perspective).count()
        if disclosure.batch_released(held, round.min_responses):
            release_or_hold(round=round, perspectives=[perspective])


def answers_release(*, round: Round, perspectives: Sequence[str] | None = None) -> int:
    """Open a round's sealed answers into ``Response``, ``Rating`` and ``Note`` rows
    and delete the sealed rows, in one transaction. Returns how many.

    The first release (when the round first closes) opens everything. Later ones
    (after a reopen) open a perspective only if at least the round's minimum of its
    answers wait, so that nothing published ever changes by fewer than the minimum;
    smaller batches stay sealed. Rows are written in a fresh random order with
    random keys, all carrying this one transaction's id: their order, keys and
    transaction say nothing about whose answer each is. The round's figures
    (``assessments.tallies``) are rewritten in the same transaction.
    """
    caller = round
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=round.pk)
        sealed = round.sealed_answers.all()
        if perspectives is not None:
            sealed = sealed.filter(perspective__in=perspectives)
        rows = list(sealed.values_list("pk", "perspective", "channel", "sealed"))
        first = round.releases == 0
        by_perspective: dict[str, list[tuple[object, str, bytes]]] = {}
        for pk, perspective, channel, blob in rows:
            by_perspective.setdefault(perspective, []).append(
                (pk, channel, bytes(blob))
            )
        opened = [
            (perspective, channel, pk, blob)
            for perspective, batch in by_perspective.items()
            if disclosure.batch_released(len(batch), round.min_responses, first=first)
            for pk, channel, blob in batch
        ]
        if not opened:
            return 0
        release = round.releases + 1
        _write_released(round, release, opened)
        SealedAnswer.objects.filter(pk__in=[pk for _p, _c, pk, _b in opened]).delete()
        _keep_sources(round, release, opened)
        # The round's figures, kept with the answers they count (coach dashboard).
        tallies.keep_for([round.pk])
        Round.objects.filter(pk=round.pk).update(
            releases=release, data_version=F("data_version") + 1
        )
    # The caller's copy counts this release too (a later answer to it after a
    # reopen is then held for a batch, not taken for a first release).
    caller.releases, caller.data_version = release, round.data_version + 1
    released = round
    transaction.on_commit(
        lambda: signals.results_released.send(sender=Round, round=released)
    )
    transaction.on_commit(sealed_copies_forget)
    return len(opened)


def release_or_hold(
    *, round: Round, perspectives: Sequence[str] | None = None
) -> int | None:
    """``answers_release``, unless the server's keys cannot open an answer it would
    release: then nothing of it is released, the round is marked as waiting for the
    operator (``Round.release_blocked``: its pages say so), the round is logged
    (never an answer) and None is returned, so that the caller goes on. One round
    whose answers cannot be opened never stops another's release, a close, or an
    answer already stored. A release that works clears the mark."""
    try:
        with transaction.atomic():
            released = answers_release(round=round, perspectives=perspectives)
    except sealing.SealBroken:
        Round.objects.filter(pk=round.pk).update(release_blocked=True)
        round.release_blocked = True
        logger.error(
            "The answers held for round %s cannot be opened with "
            "ANSWER_SEALING_KEY or its fallbacks: its results wait for the "
            'operator (docs/operations.md, "The sealing key").',
            round.code,
        )
        return None
    if round.release_blocked:
        Round.objects.filter(pk=round.pk).update(release_blocked=False)
        round.release_blocked = False
    return released


def rounds_release_waiting() -> int:
    """Try again to release the closed rounds whose answers the keys could not open
    (``release_or_hold``), each in its own transaction: after the operator put the
    old key back. Returns how many were released."""
    released = 0
    waiting = Round.objects.filter(release_blocked=True, state=Round.State.CLOSED)
    for round in waiting.order_by("pk"):
        with transaction.atomic():
            if release_or_hold(round=round) is not None:
                released += 1
    return released


def rounds_unopenable() -> list[Round]:
    """The rounds holding a sealed answer that no configured key opens (for
    ``manage.py check``), with their teams. Reads every held answer once."""
    keys = _keys()
    bad: set[int] = set()
    held = SealedAnswer.objects.order_by().values_list("round_id", "sealed")
    for round_id, blob in held.iterator(chunk_size=200):
        if round_id in bad:
            continue
        try:
            sealing.unseal(bytes(blob), keys=keys, round_id=round_id)
        except sealing.SealBroken:
            bad.add(round_id)
    return list(Round.objects.filter(pk__in=bad).select_related("team").order_by("pk"))


@dataclass(frozen=True)
class Resealed:
    """What ``sealed_answers_reseal`` did: the rounds and how many of their answers
    were sealed again, the other values sealed again (queued emails' addresses),
    the rounds no key opens, and how many waiting rounds were released after."""

    resealed: list[tuple[Round, int]]
    unopenable: list[Round]
    others: int
    released: int

    @property
    def answers(self) -> int:
        return sum(count for _round, count in self.resealed)


def sealed_answers_reseal() -> Resealed:
    """Seal every held answer again under the current key (``ANSWER_SEALING_KEY``),
    one transaction per round under the round's lock: a round's answers are all
    sealed again or, when one of them opens with no configured key, none (the round
    is reported). Rows keep their random keys and are rewritten in random order.
    Then the receivers of ``signals.sealing_key_rotated`` seal their own values
    again, and the rounds that waited for the operator are released."""
    keys = _keys()
    resealed: list[tuple[Round, int]] = []
    unopenable: list[Round] = []
    round_ids = set(SealedAnswer.objects.values_list("round_id", flat=True))
    for round_id in sorted(round_ids):
        with transaction.atomic():
            round = (
                Round.objects.select_for_update(of=("self",))
                .select_related("team")
                .get(pk=round_id)
            )
            rows = SealedAnswer.objects.filter(round=round).values_list("pk", "sealed")
            try:
                opened = [
                    (pk, sealing.unseal(bytes(b), keys=keys, round_id=round_id))
                    for pk, b in rows
                ]
            except sealing.SealBroken:
                unopenable.append(round)
                continue
            for pk, content in disclosure.shuffled(opened):
                SealedAnswer.objects.filter(pk=pk).update(
                    sealed=sealing.seal(content, key=keys[0], round_id=round_id)
                )
            resealed.append((round, len(opened)))
    others = 0
    for _receiver, count in signals.sealing_key_rotated.send(sender=Round):
        others += count if isinstance(count, int) else 0
    released = rounds_release_waiting()
    sealed_copies_forget()
    return Resealed(resealed, unopenable, others, released)


def sealed_copies_forget() -> None:
    """On SQLite, move the write-ahead log into the database file and empty it, so
    that no sealed answer outlives its release in ``-wal`` in the order it was
    written (``secure_delete``, set for every connection, zeroes the deleted rows in
    the file itself). A reader still on an older snapshot can keep the log from
    emptying: then the next release (or SQLite's own checkpoint) does it."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return  # (in a transaction: a test running the callbacks early)
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = cursor.fetchone()[0]
    except DatabaseError:
        busy = 1  # the release itself is committed; the next one tries again
    if busy:
        logger.info("The SQLite log could not be emptied yet: a reader holds it.")


def _write_released(
    round: Round, release: int, opened: list[tuple[str, str, object, bytes]]
) -> None:
    keys = _keys()
    contents = disclosure.shuffled(
        (perspective, channel, sealing.unseal(blob, keys=keys, round_id=round.pk))
        for perspective, channel, _pk, blob in opened
    )
    responses, ratings, notes = [], [], []
    for perspective, _channel, content in contents:
        response = Response(
            round=round,
            perspective=perspective,
            release=release,
            relationship=content["relationship"],
            checkin=content["checkin"],
            checkin_reason=content["checkin_reason"],
        )
        responses.append(response)
        ratings += [
            Rating(response=response, dimension_id=d, level=level, comment=comment)
            for d, level, comment in content["ratings"]
        ]
        notes += [
            Note(response=response, round=round, kind=kind, text=text, dimension_id=d)
            for kind, text, d in content["notes"]
        ]
    ratings = disclosure.shuffled(ratings)
    notes = disclosure.shuffled(notes)
    Response.objects.bulk_create(responses)
    Rating.objects.bulk_create(ratings)
    Note.objects.bulk_create(notes)


def _keep_sources(
    round: Round, release: int, opened: list[tuple[str, str, object, bytes]]
) -> None:
    """Where the answers of this release came from, kept as counts
    (``SourceFigure``), since no released answer says it. When the stakeholders'
    answers are released, the used invitations go and the others are rewritten
    (``_invitations_forget``)."""
    perspectives = {perspective for perspective, *_rest in opened}
    channels = Counter(
        channel
        for perspective, channel, *_rest in opened
        if perspective == Perspective.STAKEHOLDER
    )
    rows = []
    if Perspective.STAKEHOLDER in perspectives:
        if channels[Channel.LINK]:
            rows.append(
                SourceFigure(
                    round=round,
                    release=release,
                    perspective=Perspective.STAKEHOLDER,
                    source=SourceFigure.Source.LINK,
                    answers=channels[Channel.LINK],
                )
            )
        per_inviter = _invitations_forget(round, channels[Channel.INVITATION])
        rows += [
            SourceFigure(
                round=round,
                release=release,
                perspective=Perspective.STAKEHOLDER,
                source=SourceFigure.Source.INVITATION,
                inviter_id=inviter,
                answers=n,
            )
            for inviter, n in per_inviter.items()
        ]
    if Perspective.TEAM in perspectives:
        kept = SourceFigure.objects.filter(
            round=round, source=SourceFigure.Source.NEW_MEMBER
        ).aggregate(n=Sum("answers"))["n"]
        more = new_member_answers(round) - (kept or 0)
        if more > 0:
            rows.append(
                SourceFigure(
                    round=round,
                    release=release,
                    perspective=Perspective.TEAM,
                    source=SourceFigure.Source.NEW_MEMBER,
                    answers=more,
                )
            )
    SourceFigure.objects.bulk_create(rows)


def _invitations_forget(round: Round, answered: int) -> Counter[int | None]:
    """How many of the ``answered`` invitation answers being released came from
    each facilitator's invitations; then the used ones are deleted (counted from
    then on by ``SourceFigure``) and the others written anew, in a random order,
    with new keys, in this transaction, all marked reminded, so that neither the
    keys, the storage order nor the transaction id of a row follow the emails
    sent, and no row is a used one. An unused one keeps its token: its emailed
    link still opens it after a reopen, and "Revoke unused invitations" revokes
    only those. Rows that an answer being sent holds locked are left alone
    (PostgreSQL's SKIP LOCKED; that answer waits for the round, then is refused,
    or is released with a later batch)."""
    invitations = list(
        StakeholderInvitation.objects.select_for_update(skip_locked=True).filter(
            round=round
        )
    )
    per_inviter = Counter(i.invited_by_id for i in invitations if i.used)
    if sum(per_inviter.values()) != answered:
        # Invitations used before their makers were recorded: not known.
        per_inviter = Counter({None: answered} if answered else {})
    if invitations:
        StakeholderInvitation.objects.filter(
            pk__in=[i.pk for i in invitations]
        ).delete()
        unused = [i for i in invitations if not i.used]
        for invitation in unused:
            invitation.reminded = True
            # New keys: neither a browser that kept an id in its cookie nor a
            # queued email's code tells which invitations are gone.
            invitation.pk, invitation.code = None, uuid.uuid4()
        StakeholderInvitation.objects.bulk_create(disclosure.shuffled(unused))
    return per_inviter


@transaction.atomic
def round_create(
    *,
    team: Team,
    title: str,
    dimensions: Sequence[TeamDimension],
    closes_at: datetime.datetime | None,
    min_responses: int,
    opens_at: datetime.datetime | None = None,
) -> Round:
    """A draft round with a snapshot of the chosen dimensions, in the given order.
    With ``opens_at`` it opens by itself then (a team's schedule)."""
    round = Round.objects.create(
        team=team,
        title=title,
        closes_at=closes_at,
        min_responses=min_responses,
        opens_at=opens_at,
    )
    RoundDimension.snapshot(round, dimensions)
    return round


@transaction.atomic
def round_update(
    *,
    round: Round,
    title: str,
    closes_at: datetime.datetime | None,
    min_responses: int,
    dimensions: Sequence[TeamDimension] | None = None,
) -> Round:
    """Change a round's settings. The dimensions can change only while it is a
    draft; the minimum number of responses only until the first answer is in."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    if min_responses != round.min_responses and round.minimum_fixed():
        raise ResponsesExist
    round.title = title
    round.closes_at = closes_at
    round.min_responses = min_responses
    round.save(update_fields=["title", "closes_at", "min_responses"])
    _release_at_closing_date(round)
    if dimensions is not None and round.state == Round.State.DRAFT:
        round.dimensions.all().delete()
        RoundDimension.snapshot(round, dimensions)
    return round


def round_open(*, round: Round, actor: User | None = None) -> Round:
    """Open a draft, or reopen a closed round. A draft's dimensions take the team's
    current wording now: from here on, the round keeps the wording it is answered
    with, and its roster is written down (``Eligibility``): the team's members now
    are the ones who may answer it and who count, also after a reopen. The team's
    shared stakeholder links (those not revoked) move to this round, by hand or by
    the schedule alike: the link the team handed out always leads to the round open
    now. Raises ``AnotherRoundOpen`` if the team has an open round (nothing opens,
    no link moves), ``RoundMoved`` if a closed round came from another server
    (``moving``). Logged in the team's activity log (``actor`` None: the
    system)."""
    if round.state == Round.State.CLOSED and selectors.round_moved(round):
        raise RoundMoved
    rounds_close_due(team=round.team)
    try:
        with transaction.atomic():
            reopening = round.state == Round.State.CLOSED
            if round.state == Round.State.DRAFT:
                _refresh_wording(round)
                _write_roster(round)
                round.opened_at = timezone.now()
            round.state = Round.State.OPEN
            round.closed_at = None
            # Batches released from now on are published at the next close.
            round.releases = round.releases_at_open = (
                Round.objects.filter(pk=round.pk)
                .values_list("releases", flat=True)
                .get()
            )
            round.save(
                update_fields=["state", "opened_at", "closed_at", "releases_at_open"]
            )
            moving = StakeholderLink.objects.filter(
                round__team=round.team, revoked_at__isnull=True
            ).exclude(round=round)
            moved_from = sorted(set(moving.values_list("round__title", flat=True)))
            moving.update(round=round)
            _release_at_closing_date(round)
            team_services.activity_record(
                team=round.team,
                actor=actor,
                action=ActivityEntry.Action.ROUND_REOPENED
                if reopening
                else ActivityEntry.Action.ROUND_OPENED,
                detail={"round": round.title},
            )
            for title in moved_from:
                team_services.activity_record(
                    team=round.team,
                    actor=actor,
                    action=ActivityEntry.Action.LINK_MOVED,
                    detail={"from": title, "round": round.title},
                )
    except IntegrityError:
        round.refresh_from_db()
        raise AnotherRoundOpen from None
    return round


@task()
def close_due_rounds() -> int:
    """Task: close every round past its closing date and release its answers.
    ``round_open`` and ``round_update`` enqueue it with ``run_after`` = the round's
    closing date when the backend can defer (the database backend of
    ``db_worker``), so the results appear at that date without cron. It takes no
    argument and does what ``manage.py run_schedule`` does for rounds past their
    date; running it twice changes nothing more."""
    return rounds_close_due()


def _release_at_closing_date(round: Round) -> None:
    """Have the task worker close an open round and release its answers at its
    closing date (``close_due_rounds``, deferred to that moment),
    once this transaction commits. Backends that cannot defer (the immediate one of
    development) are skipped: ``manage.py run_schedule --every``, which ``make run``
    starts, does it there. An earlier task left by a changed date finds nothing due
    and does nothing."""
    if round.state != Round.State.OPEN or round.closes_at is None:
        return
    if not close_due_rounds.get_backend().supports_defer:
        return
    task = close_due_rounds.using(run_after=round.closes_at)
    transaction.on_commit(task.enqueue)


def _write_roster(round: Round) -> None:
    members = Membership.objects.filter(team_id=round.team_id).order_by("user_id")
    Eligibility.objects.bulk_create(
        Eligibility(round=round, user_id=user_id)
        for user_id in members.values_list("user_id", flat=True)
    )


def _refresh_wording(round: Round) -> None:
    dims = list(round.dimensions.select_related("team_dimension"))
    for dim in dims:
        if dim.team_dimension is not None:
            for name, value in dim.team_dimension.texts().items():
                setattr(dim, name, value)
            dim.builtin_id = dim.team_dimension.builtin_id
    RoundDimension.objects.bulk_update(dims, [*RoundDimension.TEXT_FIELDS, "builtin"])


@transaction.atomic
def round_close(*, round: Round, actor: User | None = None) -> Round:
    """Close a round; one past its closing date records that date as its close.
    Its sealed answers are released in the same transaction (``release_or_hold``:
    if the keys cannot open them, the round closes and its results wait for the
    operator)."""
    round.close()
    round.save(update_fields=["state", "closed_at"])
    release_or_hold(round=round)
    team_services.activity_record(
        team=round.team,
        actor=actor,
        action=ActivityEntry.Action.ROUND_CLOSED,
        detail={"round": round.title},
    )
    return round


def rounds_close_due(*, team: Team | None = None) -> int:
    """Store the closed state of the rounds past their closing date (of one team, or
    all), at that date, each logged in its team's activity log as closed by the
    system. Scheduled work and write services call it; pages already show these
    rounds closed. Two runs at once close each round once. Returns how many."""
    due = Round.objects.due().select_related("team").order_by("pk")
    if team is not None:
        due = due.filter(team=team)
    closed = 0
    for round in due:
        with transaction.atomic():
            if not Round.objects.filter(pk=round.pk).close_due():
                continue
            release_or_hold(round=round)  # a round no key opens waits, the rest go
            team_services.activity_record(
                team=round.team,
                actor=None,
                action=ActivityEntry.Action.ROUND_CLOSED,
                detail={"round": round.title},
            )
            closed += 1
    return closed


# Themes: groups of a round's notes the team confirmed -----------------------------


@dataclass(frozen=True)
class ThemeDraft:
    """A proposed group to confirm: its dimension (None for untagged notes), its
    label and the ids of its notes."""

    dimension_id: int | None
    label: str
    note_ids: Sequence[str]


class ThemesExist(Exception):
    """The round's themes were confirmed already (a double submit, another tab)."""


@transaction.atomic
def themes_confirm(*, round: Round, drafts: Sequence[ThemeDraft]) -> list[NoteTheme]:
    """Store the proposed groups as the round's confirmed themes. The round row is
    locked first, so of two racing confirmations exactly one stores anything."""
    Round.objects.select_for_update().filter(pk=round.pk).values_list("pk").first()
    if NoteTheme.objects.filter(round=round).exists():
        raise ThemesExist
    themes = []
    for draft in drafts:
        theme = NoteTheme.objects.create(
            round=round, dimension_id=draft.dimension_id, label=draft.label[:120]
        )
        Note.objects.filter(
            round=round, dimension_id=draft.dimension_id, pk__in=draft.note_ids
        ).update(theme=theme)
        themes.append(theme)
    return themes


def theme_rename(*, theme: NoteTheme, label: str) -> None:
    NoteTheme.objects.filter(pk=theme.pk).update(label=label[:120])


@transaction.atomic
def theme_merge(*, theme: NoteTheme, into: NoteTheme) -> bool:
    """Move every note of ``theme`` into ``into`` (same round and dimension) and drop
    ``theme``. Returns False, changing nothing, when they do not belong together or
    ``theme`` is already gone (a repeated submit)."""
    if theme.pk == into.pk or (theme.round_id, theme.dimension_id) != (
        into.round_id,
        into.dimension_id,
    ):
        return False
    Note.objects.filter(theme=theme).update(theme=into)
    deleted, _ = NoteTheme.objects.filter(pk=theme.pk).delete()
    return bool(deleted)


@transaction.atomic
def theme_note_move(
    *, round: Round, note_id: str, to: NoteTheme | None, new_label: str = ""
) -> NoteTheme | None:
    """Move one note of the round into another theme of its dimension, or into a
    new theme of its own (a split) when ``to`` is None. A theme left empty is
    dropped. Returns the theme the note is now in, or None if nothing moved."""
    note = (
        Note.objects.select_for_update()
        .filter(round=round, pk=note_id, theme__isnull=False)
        .only("pk", "dimension_id", "theme_id")
        .first()
    )
    if note is None:
        return None
    if to is None:
        to = NoteTheme.objects.create(
            round=round, dimension_id=note.dimension_id, label=new_label[:120]
        )
    elif (to.round_id, to.dimension_id) != (round.pk, note.dimension_id):
        return None
    old = note.theme_id
    Note.objects.filter(pk=note.pk).update(theme=to)
    if old is not None:
        NoteTheme.objects.filter(pk=old, notes__isnull=True).delete()
    return to


def themes_reset(*, round: Round) -> int:
    """Drop the round's confirmed themes, back to the proposals."""
    deleted, _ = NoteTheme.objects.filter(round=round).delete()
    return deleted


class ActionLimitReached(Exception):
    """The round already has as many actions as the team allows."""


@transaction.atomic
def action_create(
    *,
    round: Round,
    text: str,
    dimension: RoundDimension,
    owner: Membership | None = None,
    due_on: datetime.date | None = None,
) -> Action:
    """An action agreed in a round's retro, up to the team's limit. The round is
    locked so that two facilitators adding at once cannot pass the limit."""
    locked = Round.objects.select_for_update().select_related("team").get(pk=round.pk)
    if locked.actions.count() >= locked.team.action_limit:
        raise ActionLimitReached
    return Action.objects.create(
        team=locked.team,
        round=locked,
        dimension=dimension,
        team_dimension_id=dimension.team_dimension_id,
        text=text,
        owner=owner,
        due_on=due_on,
    )


def action_review(
    *, action: Action, state: str, helped: str, round: Round | None = None
) -> Action:
    """Record how an action went (done, still open or dropped; did it help),
    optionally in the retro of ``round``."""
    if state != action.state:
        action.finished_at = None if state == Action.State.OPEN else timezone.now()
    action.state = state
    action.helped = helped
    if round is not None:
        action.reviewed_in = round
    action.save(update_fields=["state", "helped", "finished_at", "reviewed_in"])
    return action


def metric_record(
    *, round: Round, kind: str, name: str, value: Decimal, unit: str, note: str
) -> RoundMetric:
    """Record a number beside a round; the same name again replaces it."""
    metric, _created = RoundMetric.objects.update_or_create(
        round=round,
        name=name,
        defaults={"kind": kind, "value": value, "unit": unit, "note": note},
    )
    return metric
