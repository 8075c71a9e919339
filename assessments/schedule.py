"""Scheduled work on rounds, run by ``manage.py run_schedule``: draft and open the
rounds of teams with a recurring schedule, and claim the emails that are due.

Every step may run twice at once (two cron hosts, a slow run overlapping the next):
a scheduled draft is unique per team and opening moment, a draft opens under a row
lock only if it is still a draft, and each email is claimed by inserting its
``RoundEmail`` marker (unique per round and kind) before its task is enqueued.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext

from assessments import services
from assessments.models import (
    Heartbeat,
    Response,
    Round,
    RoundEmail,
    RoundQuerySet,
    TeamDimension,
    TeamSchedule,
)
from assessments.tasks import send_round_email

# A scheduled round is drafted this many days before it opens, so that the
# facilitator can see it on the home page and change it.
DRAFT_DAYS_AHEAD = 3
# "Results are ready" goes out only for rounds that closed this recently: turning
# the schedule on never mails about old rounds.
RESULTS_EMAIL_DAYS = 7
# The scheduled work runs every minute (``run_schedule --every 60``): a heartbeat
# older than this means nobody runs it, and results wait past their closing date.
HEARTBEAT_STALE = datetime.timedelta(minutes=5)
HEARTBEAT = "run_schedule"

logger = logging.getLogger(__name__)


def heartbeat_beat(*, now: datetime.datetime | None = None) -> None:
    """Record that the scheduled work finished a run now. A clock behind the last
    run's (set back since) is logged: rounds it closed too early are reopened
    (``rounds_closed_early_reopen``)."""
    now = now or timezone.now()
    last = Heartbeat.objects.filter(name=HEARTBEAT).values_list("at", flat=True).first()
    if last is not None and last > now + datetime.timedelta(minutes=1):
        logger.warning(
            "The clock moved back: the scheduled work last ran at %s, it is %s now.",
            last.isoformat(),
            now.isoformat(),
        )
    Heartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"at": now})


def schedule_late(
    *, now: datetime.datetime | None = None
) -> tuple[bool, datetime.datetime | None]:
    """Whether the scheduled work is late, and when it last ran (None: never):
    late when it has not run for ``HEARTBEAT_STALE`` while it has work to do (a
    round open with a closing date, a draft that opens by itself, a recurring
    schedule). Reads only (three small queries)."""
    now = now or timezone.now()
    last = Heartbeat.objects.filter(name=HEARTBEAT).values_list("at", flat=True).first()
    if last is not None and now - last <= HEARTBEAT_STALE:
        return False, last
    work = (
        Round.objects.filter(
            Q(state=Round.State.OPEN, closes_at__isnull=False)
            | Q(state=Round.State.DRAFT, opens_at__isnull=False)
        ).exists()
        or TeamSchedule.objects.filter(recurring=True).exists()
    )
    return work, last


def rounds_closed_early_reopen(*, now: datetime.datetime | None = None) -> int:
    """Reopen the rounds closed at their closing date while that date is still ahead
    by the clock now: the scheduled work closed them under a clock set forward,
    since set back. Their released results stay as they are; answers given from now
    on count as after any reopen (in batches of the minimum). A round whose team
    has another round open stays closed, logged. Returns how many reopened."""
    now = now or timezone.now()
    early = Round.objects.filter(
        state=Round.State.CLOSED, closes_at__gt=now, closed_at=F("closes_at")
    ).select_related("team")
    reopened = 0
    for round in early.order_by("pk"):
        try:
            services.round_open(round=round, actor=None)
        except services.AnotherRoundOpen:
            logger.warning(
                "Round %s was closed before its closing date (the clock had moved "
                "back); its team has another round open, so it stays closed.",
                round.code,
            )
            continue
        logger.warning(
            "Round %s was closed before its closing date (the clock had moved "
            "back): reopened until that date.",
            round.code,
        )
        reopened += 1
    return reopened


def midnight(day: datetime.date) -> datetime.datetime:
    """The start of ``day`` in the site's time zone."""
    return datetime.datetime.combine(
        day, datetime.time(), tzinfo=timezone.get_current_timezone()
    )


def _dimensions_for(schedule: TeamSchedule) -> tuple[list[TeamDimension], int]:
    """The dimensions and minimum of the team's last round (those still in use),
    else all the team's dimensions in use and the default minimum."""
    team = schedule.team
    previous = team.rounds.exclude(state=Round.State.DRAFT).order_by("-created").first()
    chosen: list[TeamDimension] = []
    if previous is not None:
        chosen = [
            d.team_dimension
            for d in previous.dimensions.select_related("team_dimension")
            if d.team_dimension is not None and not d.team_dimension.archived
        ]
    if not chosen:
        chosen = list(team.dimensions.active())
    minimum = previous.min_responses if previous is not None else 3
    return chosen, minimum


def scheduled_rounds_draft(*, today: datetime.date | None = None) -> int:
    """Draft the next round of every recurring team whose next opening is at most
    ``DRAFT_DAYS_AHEAD`` days away: the last round's dimensions and minimum, opening
    at the start of that day and closing after the schedule's number of days. The
    team's open actions come with it (the answer page shows them). Returns how many."""
    today = today or timezone.localdate()
    schedules = TeamSchedule.objects.filter(
        recurring=True,
        next_opens_on__isnull=False,
        next_opens_on__lte=today + datetime.timedelta(days=DRAFT_DAYS_AHEAD),
    ).select_related("team")
    drafted = 0
    for schedule in schedules:
        if schedule.next_opens_on is None:  # excluded by the query; for the types
            continue
        opens_at = midnight(schedule.next_opens_on)
        if Round.objects.filter(team=schedule.team, opens_at=opens_at).exists():
            continue
        dimensions, minimum = _dimensions_for(schedule)
        title = gettext("Check-in of %(date)s") % {
            "date": formats.date_format(schedule.next_opens_on, "DATE_FORMAT")
        }
        closes_on = schedule.next_opens_on + datetime.timedelta(days=schedule.open_days)
        try:
            services.round_create(
                team=schedule.team,
                title=title,
                dimensions=dimensions,
                closes_at=midnight(closes_on),
                min_responses=minimum,
                opens_at=opens_at,
            )
        except IntegrityError:
            continue  # drafted at the same moment by another run
        drafted += 1
    return drafted


def scheduled_rounds_open(*, now: datetime.datetime | None = None) -> int:
    """Open the drafts whose opening moment has come (``Round.opens_at``), move the
    team's shared stakeholder link to the new round (the link always leads to the
    latest round), set the team's next opening day and claim the "round is open"
    email. A draft whose team still has a round open waits for the next run; one
    whose closing date has already passed is left a draft. Returns how many opened."""
    now = now or timezone.now()
    due = Round.objects.filter(
        state=Round.State.DRAFT, opens_at__lte=now, closes_at__gt=now
    ).order_by("opens_at", "pk")
    opened = 0
    for candidate in due:
        try:
            with transaction.atomic():
                round = (
                    Round.objects.select_for_update()
                    .select_related("team")
                    .filter(pk=candidate.pk, state=Round.State.DRAFT)
                    .first()
                )
                if round is None:
                    continue  # opened by another run
                services.round_open(round=round, actor=None)  # moves the link too
                _advance(round)
                claim(round, RoundEmail.Kind.OPENED)
        except services.AnotherRoundOpen:
            continue
        opened += 1
    return opened


def _advance(round: Round) -> None:
    schedule = TeamSchedule.objects.filter(team=round.team, recurring=True).first()
    if schedule is None or round.opens_at is None:
        return
    opened_on = timezone.localtime(round.opens_at).date()
    if schedule.next_opens_on is not None and schedule.next_opens_on > opened_on:
        return  # the facilitator already chose a later day
    schedule.next_opens_on = schedule.following(opened_on)
    schedule.save(update_fields=["next_opens_on"])


def claim(round: Round, kind: str, *, send: bool = True) -> bool:
    """Insert the marker for this email; only the run that inserts it enqueues the
    task, after its transaction commits. False if it was claimed before."""
    try:
        with transaction.atomic():
            RoundEmail.objects.create(
                round=round, kind=kind, sent_at=None if send else timezone.now()
            )
    except IntegrityError:
        return False
    if send:
        transaction.on_commit(
            partial(send_round_email.enqueue, round=str(round.code), kind=kind)
        )
    return True


def round_emails_due(*, now: datetime.datetime | None = None) -> int:
    """Claim the reminders and "results are ready" emails that are due. Reminders:
    ``remind_after_days`` after opening and the day before closing (the team's
    schedule, or the defaults); when both are due at once only the last call goes.
    Returns how many emails were claimed."""
    now = now or timezone.now()
    claimed = 0
    open_rounds = list(Round.objects.open_now().filter(opened_at__isnull=False))
    released = list(_recently_released(now))
    done = set(
        RoundEmail.objects.filter(
            round__in=[r.pk for r in open_rounds + released]
        ).values_list("round_id", "kind")
    )
    schedules = {s.team_id: s for s in TeamSchedule.objects.all()}
    for round in open_rounds:
        schedule = schedules.get(round.team_id) or TeamSchedule(team_id=round.team_id)
        if round.opened_at is None:  # excluded by the query; for the types
            continue
        last_call = schedule.remind_before_closing and (
            round.closes_at is not None
            and now >= round.closes_at - datetime.timedelta(days=1)
        )
        early = schedule.remind_after_days and now >= round.opened_at + (
            datetime.timedelta(days=schedule.remind_after_days)
        )
        if last_call and (round.pk, RoundEmail.Kind.LAST_CALL) not in done:
            claimed += claim(round, RoundEmail.Kind.LAST_CALL)
            # an early reminder not sent yet would only repeat it
            claim(round, RoundEmail.Kind.REMINDER, send=False)
        elif early and (round.pk, RoundEmail.Kind.REMINDER) not in done:
            claimed += claim(round, RoundEmail.Kind.REMINDER)
    for round in released:
        if (round.pk, RoundEmail.Kind.RESULTS) not in done:
            claimed += claim(round, RoundEmail.Kind.RESULTS)
    return claimed


def _recently_released(now: datetime.datetime) -> RoundQuerySet:
    """Rounds whose results came out in the last ``RESULTS_EMAIL_DAYS`` days: closed,
    their sealed answers released (``answers_release``, at closing), with at least
    their minimum of team answers (below it nothing is shown)."""
    since = now - datetime.timedelta(days=RESULTS_EMAIL_DAYS)
    return (
        Round.objects.results_ready()
        .with_closed_on()
        .filter(closed_on__gte=since, releases__gt=0)  # type: ignore[misc]
        .annotate(
            team_answers=Count(
                "responses",
                filter=Q(responses__perspective=Response.Perspective.TEAM),
            )
        )
        .filter(team_answers__gte=F("min_responses"))
    )
