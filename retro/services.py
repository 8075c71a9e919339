"""Writes of the retro meeting. Every change the facilitator makes bumps the
session's version, so that members' pages pick it up on their next poll."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from assessments.models import Round, RoundDimension
from retro.models import RetroSession, Vote, VoteCount, Voter


class VotingNotOpen(Exception):
    """Votes are taken only while voting is open."""


class NoVotesLeft(Exception):
    """This person has placed all their votes."""


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
    session.order = order
    session.discuss_index = 0
    return _save(session, "order", "discuss_index")


def voting_open(*, session: RetroSession, votes_each: int) -> RetroSession:
    if session.voting != RetroSession.Voting.NOT_STARTED:
        return session
    session.voting = RetroSession.Voting.OPEN
    session.votes_each = votes_each
    return _save(session, "voting", "votes_each")


@transaction.atomic
def vote_cast(*, session: RetroSession, user: User, dimension: RoundDimension) -> int:
    """Place one dot; returns how many this person has left. The vote row holds
    no user; the voter row only how many dots were used, incremented under a
    row lock, so that double submits and parallel workers never pass the limit."""
    locked = RetroSession.objects.select_for_update().get(pk=session.pk)
    if locked.voting != RetroSession.Voting.OPEN:
        raise VotingNotOpen
    voter, _created = Voter.objects.select_for_update().get_or_create(
        session=locked, user=user
    )
    if voter.used >= locked.votes_each:
        raise NoVotesLeft
    Voter.objects.filter(pk=voter.pk).update(used=F("used") + 1)
    Vote.objects.create(session=locked, dimension=dimension)
    return locked.votes_each - voter.used - 1


@transaction.atomic
def voting_close(*, session: RetroSession) -> RetroSession:
    """Turn the dots into counts and forget the dots and who voted."""
    locked = RetroSession.objects.select_for_update().get(pk=session.pk)
    if locked.voting != RetroSession.Voting.OPEN:
        return locked
    counts = (
        Vote.objects.filter(session=locked)
        .values("dimension_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    VoteCount.objects.bulk_create(
        VoteCount(session=locked, dimension_id=row["dimension_id"], count=row["n"])
        for row in counts
    )
    locked.voters = Voter.objects.filter(session=locked).count()
    Vote.objects.filter(session=locked).delete()
    Voter.objects.filter(session=locked).delete()
    locked.voting = RetroSession.Voting.CLOSED
    return _save(locked, "voting", "voters")


@transaction.atomic
def session_finish(*, session: RetroSession, summary: str) -> RetroSession:
    """Save the summary on the round (so that reports and exports read it) and
    close the retro; saving again only updates the summary."""
    Round.objects.filter(pk=session.round_id).update(retro_summary=summary)
    if session.finished_at is None:
        session.finished_at = timezone.now()
    session.step = RetroSession.Step.CLOSE
    return _save(session, "finished_at", "step")


def session_touch(*, session: RetroSession) -> None:
    """Something shown in the meeting changed (an action added or reviewed)."""
    session.bump()
