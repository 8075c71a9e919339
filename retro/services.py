"""Writes of the retro meeting. Every change the facilitator makes bumps the
session's version, so that members' pages pick it up on their next poll."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from assessments import disclosure
from assessments import services as assessment_services
from assessments.models import Eligibility, Round, RoundDimension
from retro import ballots
from retro.models import Ballot, RetroSession, RotiCount, VoteCount


class VotingNotOpen(Exception):
    """Votes are taken only while voting is open."""


class NoVotesLeft(Exception):
    """This person has placed all their votes."""


class NotOnRoster(Exception):
    """Only the round's roster votes: the people who were members when it opened
    (a member who joined later could otherwise be the difference in a count)."""


# Per kind of vote: the session's field with its state, and the one that keeps how
# many people voted once the ballots are gone.
_FIELDS = {
    Ballot.Kind.DOTS: ("voting", "voters"),
    Ballot.Kind.ROTI: ("roti", "roti_voters"),
}


def session_start(*, round: Round) -> RetroSession:
    """The round's retro, started once: a second start returns the first."""
    try:
        with transaction.atomic():
            return RetroSession.objects.create(round=round)
    except IntegrityError:
        return RetroSession.objects.get(round=round)


def _save(session: RetroSession, *fields: str) -> RetroSession:
    session.version = F("version") + 1
    session.save(update_fields=[*fields, "version"])
    session.refresh_from_db()
    return session


def session_move(
    *, session: RetroSession, forward: bool, dimensions: int
) -> RetroSession:
    """One screen on or back: within the discussion, one dimension at a time
    (``dimensions`` is how many there are to discuss)."""
    steps = RetroSession.STEPS
    index = steps.index(RetroSession.Step(session.step))
    if session.step == RetroSession.Step.DISCUSS:
        moved = session.discuss_index + (1 if forward else -1)
        if 0 <= moved < dimensions:
            session.discuss_index = moved
            return _save(session, "discuss_index")
    index = max(0, min(len(steps) - 1, index + (1 if forward else -1)))
    session.step = steps[index]
    if session.step == RetroSession.Step.DISCUSS:
        session.discuss_index = 0 if forward else max(0, dimensions - 1)
    return _save(session, "step", "discuss_index")


def session_set_order(*, session: RetroSession, order: str) -> RetroSession:
    """A new order starts the discussion again from its first dimension, without
    a time box (one set before was for a dimension now elsewhere)."""
    session.order = order
    session.discuss_index = 0
    session.timer_ends_at = session.timer_index = None
    return _save(session, "order", "discuss_index", "timer_ends_at", "timer_index")


def voting_open(*, session: RetroSession, votes_each: int) -> RetroSession:
    if session.voting != RetroSession.Voting.NOT_STARTED:
        return session
    session.voting = RetroSession.Voting.OPEN
    session.votes_each = votes_each
    return _save(session, "voting", "votes_each")


def _ballot_change(
    *,
    session: RetroSession,
    kind: str,
    user: User,
    change: Callable[[RetroSession, ballots.Choices], ballots.Choices],
) -> ballots.Choices:
    """Rewrite this person's sealed ballot with ``change`` applied to its choices,
    under the session's row lock (double submits and parallel workers see each
    other's changes). A ballot left empty is deleted."""
    with transaction.atomic():
        locked = RetroSession.objects.select_for_update().get(pk=session.pk)
        if getattr(locked, _FIELDS[Ballot.Kind(kind)][0]) != RetroSession.Voting.OPEN:
            raise VotingNotOpen
        if not Eligibility.objects.filter(round_id=locked.round_id, user=user).exists():
            raise NotOnRoster
        mine = Ballot.objects.filter(session=locked, kind=kind, user=user)
        choices = change(locked, ballots.own(locked, kind, user.pk))
        if not any(n > 0 for n in choices.values()):
            mine.delete()
        elif not mine.update(sealed=ballots.seal(locked, kind, user.pk, choices)):
            Ballot.objects.create(
                session=locked,
                kind=kind,
                user=user,
                sealed=ballots.seal(locked, kind, user.pk, choices),
            )
        return choices


def _ballots_close(*, session: RetroSession, kind: str) -> Counter[int] | None:
    """Close an open vote inside the caller's transaction: open every ballot, sum
    the choices, delete the ballots and keep how many people voted. None if the
    vote was not open."""
    locked = RetroSession.objects.select_for_update().get(pk=session.pk)
    state, voters = _FIELDS[Ballot.Kind(kind)]
    if getattr(locked, state) != RetroSession.Voting.OPEN:
        return None
    totals: Counter[int] = Counter()
    rows = Ballot.objects.filter(session=locked, kind=kind)
    people = 0
    for user_id, blob in rows.values_list("user_id", "sealed"):
        choices = ballots.opened(locked, kind, user_id, blob)
        people += any(n > 0 for n in choices.values())
        totals.update(choices)
    rows.delete()
    # On SQLite, no sealed ballot outlives the close in the write-ahead log.
    transaction.on_commit(assessment_services.sealed_copies_forget)
    setattr(locked, state, RetroSession.Voting.CLOSED)
    setattr(locked, voters, people)
    _save(locked, state, voters)
    return totals


def vote_cast(*, session: RetroSession, user: User, dimension: RoundDimension) -> int:
    """Place one dot; returns how many this person has left."""

    def place(locked: RetroSession, choices: ballots.Choices) -> ballots.Choices:
        if sum(choices.values()) >= locked.votes_each:
            raise NoVotesLeft
        return choices | {dimension.pk: choices.get(dimension.pk, 0) + 1}

    choices = _ballot_change(
        session=session, kind=Ballot.Kind.DOTS, user=user, change=place
    )
    return session.votes_each - sum(choices.values())


def vote_take_back(
    *, session: RetroSession, user: User, dimension: RoundDimension
) -> int:
    """Take back one of this person's dots on ``dimension`` (none there: nothing
    changes); returns how many they have left."""

    def take(_locked: RetroSession, choices: ballots.Choices) -> ballots.Choices:
        return choices | {dimension.pk: max(0, choices.get(dimension.pk, 0) - 1)}

    choices = _ballot_change(
        session=session, kind=Ballot.Kind.DOTS, user=user, change=take
    )
    return session.votes_each - sum(choices.values())


@transaction.atomic
def voting_close(*, session: RetroSession) -> RetroSession:
    """Turn the ballots into counts per dimension, written in random order, and
    forget the ballots."""
    totals = _ballots_close(session=session, kind=Ballot.Kind.DOTS)
    if totals is not None:
        dimensions = set(session.round.dimensions.values_list("pk", flat=True))
        VoteCount.objects.bulk_create(
            disclosure.shuffled(
                VoteCount(session=session, dimension_id=d, count=n)
                for d, n in totals.items()
                if n > 0 and d in dimensions
            )
        )
    session.refresh_from_db()
    return session


def roti_open(*, session: RetroSession) -> RetroSession:
    """Ask "was this worth our time?"; asked once, never reopened (a second round
    of answers next to the first would tell what the late ones said)."""
    if session.roti != RetroSession.Voting.NOT_STARTED:
        return session
    session.roti = RetroSession.Voting.OPEN
    return _save(session, "roti")


def roti_answer(*, session: RetroSession, user: User, score: int) -> None:
    """This person's 1-5 answer, replacing any earlier one while the question is
    open: a sealed ballot like the dot vote's."""
    if score not in RotiCount.SCORES:
        raise ValueError(score)
    _ballot_change(
        session=session,
        kind=Ballot.Kind.ROTI,
        user=user,
        change=lambda _locked, _choices: {score: 1},
    )


@transaction.atomic
def roti_close(*, session: RetroSession) -> RetroSession:
    """Count the answers (one row per score, in random order) and forget the
    ballots."""
    totals = _ballots_close(session=session, kind=Ballot.Kind.ROTI)
    if totals is not None:
        RotiCount.objects.bulk_create(
            disclosure.shuffled(
                RotiCount(session=session, score=s, count=totals.get(s, 0))
                for s in RotiCount.SCORES
            )
        )
    session.refresh_from_db()
    return session


@transaction.atomic
def session_finish(*, session: RetroSession, summary: str) -> RetroSession:
    """Save the summary on the round (so that reports and exports read it) and
    close the retro; saving again only updates the summary. A "worth our time?"
    question still open is closed with it."""
    roti_close(session=session)
    Round.objects.filter(pk=session.round_id).update(retro_summary=summary)
    if session.finished_at is None:
        session.finished_at = timezone.now()
    session.step = RetroSession.Step.CLOSE
    return _save(session, "finished_at", "step")


def session_touch(*, session: RetroSession) -> None:
    """Something shown in the meeting changed (an action added or reviewed)."""
    session.bump()
