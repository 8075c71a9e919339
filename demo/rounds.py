"""Demo rounds and answers for seed_demo.

Each demo team tells a different story, so that reports and coach views have
something to show:

- Payments (quarterly check-ins, all twelve dimensions) is getting better: code
  quality and observability climb after a hard start.
- Mobile (monthly retros) is sliding as it grows: flow and role clarity drop, and it
  renamed "Flow & Efficiency" to "Release flow" half-way (earlier rounds keep the
  old name).
- Platform (quarterly, nine dimensions plus its own "On-call health") rates itself
  steadily well, but its stakeholders see customer focus very differently: a blind
  spot.

Answers go through the same services as real ones (``demo.seeding.play_round``).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.models import User
from django.utils import timezone

from assessments.models import Checkin, Round, TeamDimension
from assessments.services import Answers, NoteAnswer, RatingAnswer
from demo.seeding import RoundAnswers, StakeholderAnswer, play_round
from teams.models import Team

CLOSED_ROUNDS = 4
DONT_KNOW_RATE = 0.07
COMMENT_RATE = 0.08


@dataclass
class Story:
    cadence_days: int
    monthly: bool
    # slug -> team's mean level in the first round, and its change per round.
    start: dict[str, float]
    slope: dict[str, float]
    default_start: float
    default_slope: float
    spread: float
    # slug -> how much lower (or higher) stakeholders see it than the team.
    stakeholder_offset: dict[str, float]
    default_offset: float
    # Stakeholder answers per closed round, by the team's group position.
    stakeholders: tuple[int, ...]
    notes_early: list[tuple[str, str, str | None]]
    notes_late: list[tuple[str, str, str | None]]
    open_round_answers: tuple[str, ...]
    dimensions: tuple[str, ...] = ()  # built-in slugs; empty means all twelve
    custom: dict[str, str] = field(default_factory=dict)


STORIES = {
    "Payments": Story(
        cadence_days=91,
        monthly=False,
        start={
            "code-quality-technical-health": 1.2,
            "observability-operational-readiness": 1.1,
            "engineering-discipline": 1.5,
            "customer-business-focus": 2.3,
        },
        slope={
            "code-quality-technical-health": 0.35,
            "observability-operational-readiness": 0.4,
            "engineering-discipline": 0.25,
        },
        default_start=1.8,
        default_slope=0.12,
        spread=0.55,
        stakeholder_offset={"planning-execution": -0.5},
        default_offset=-0.1,
        stakeholders=(4, 3, 1),
        notes_early=[
            ("keep", "Pairing on the risky payment changes", None),
            (
                "keep",
                "The weekly demo with the checkout team",
                "collaboration-communication",
            ),
            ("keep", "Blameless incident write-ups", None),
            ("stop", "Deploying on Friday afternoons", "engineering-discipline"),
            (
                "stop",
                "Merging without a second review",
                "code-quality-technical-health",
            ),
            (
                "stop",
                "Finding out about outages from customer support",
                "observability-operational-readiness",
            ),
            (
                "start",
                "Alerting on payment failure rates",
                "observability-operational-readiness",
            ),
            (
                "start",
                "Paying down the legacy refund module",
                "code-quality-technical-health",
            ),
            (
                "start",
                "Writing down who decides on scope",
                "role-clarity-decision-making",
            ),
        ],
        notes_late=[
            (
                "keep",
                "The dashboards for the card flows",
                "observability-operational-readiness",
            ),
            (
                "keep",
                "Small pull requests, reviewed the same day",
                "code-quality-technical-health",
            ),
            ("keep", "Rotating who runs the retro", None),
            (
                "stop",
                "Taking on unplanned work without telling product",
                "planning-execution",
            ),
            (
                "stop",
                "Leaving flaky tests in quarantine for weeks",
                "engineering-discipline",
            ),
            (
                "start",
                "Sharing the incident review with the support team",
                "collaboration-communication",
            ),
            (
                "start",
                "Measuring lead time, not only deployments",
                "data-driven-improvement",
            ),
            (
                "start",
                "Inviting finance to sprint review",
                "business-technical-integration",
            ),
        ],
        open_round_answers=("dan", "erin"),
    ),
    "Mobile": Story(
        cadence_days=30,
        monthly=True,
        start={
            "flow-efficiency": 2.6,
            "role-clarity-decision-making": 2.5,
            "capabilities-adaptability": 2.6,
        },
        slope={
            "flow-efficiency": -0.35,
            "role-clarity-decision-making": -0.3,
            "planning-execution": -0.2,
        },
        default_start=2.4,
        default_slope=-0.08,
        spread=0.6,
        stakeholder_offset={"planning-execution": -0.4, "flow-efficiency": -0.3},
        default_offset=-0.2,
        stakeholders=(3, 0, 0, 2),
        notes_early=[
            ("keep", "Shipping a release every two weeks", "flow-efficiency"),
            ("keep", "Designers in our stand-up", "collaboration-communication"),
            (
                "keep",
                "Crash-free rate on the team screen",
                "observability-operational-readiness",
            ),
            ("stop", "Long-lived feature branches", "flow-efficiency"),
            ("stop", "Estimating in hours", "planning-execution"),
            ("start", "Beta testers for the Android app", "customer-business-focus"),
            (
                "start",
                "Snapshot tests for the new design system",
                "code-quality-technical-health",
            ),
        ],
        notes_late=[
            (
                "keep",
                "Helping the new joiners through their first release",
                "capabilities-adaptability",
            ),
            ("keep", "The app store review rota", None),
            (
                "stop",
                "Two people deciding the same thing in two meetings",
                "role-clarity-decision-making",
            ),
            ("stop", "Waiting a week for the release train", "flow-efficiency"),
            (
                "stop",
                "Starting new features before the last one is in the store",
                "flow-efficiency",
            ),
            (
                "start",
                "Agreeing who owns the iOS and Android release",
                "role-clarity-decision-making",
            ),
            ("start", "Splitting into two smaller teams", None),
            ("start", "Saying no to mid-sprint requests", "planning-execution"),
        ],
        open_round_answers=("heidi", "ivan"),
    ),
    "Platform": Story(
        cadence_days=91,
        monthly=False,
        start={
            "customer-business-focus": 2.6,
            "collaboration-communication": 2.0,
            "on-call-health": 1.6,
        },
        slope={"on-call-health": 0.15},
        default_start=2.2,
        default_slope=0.02,
        spread=0.5,
        stakeholder_offset={
            "customer-business-focus": -1.1,
            "collaboration-communication": -0.4,
        },
        default_offset=-0.15,
        stakeholders=(3, 4),
        notes_early=[
            ("keep", "The paved road for new services", "engineering-discipline"),
            (
                "keep",
                "Quick answers in the platform help channel",
                "collaboration-communication",
            ),
            ("stop", "Pages at 3am for disks filling up", "on-call-health"),
            ("stop", "Building tools nobody asked for", "customer-business-focus"),
            (
                "start",
                "Asking product teams what slows them down",
                "customer-business-focus",
            ),
            (
                "start",
                "Runbooks for every alert",
                "observability-operational-readiness",
            ),
        ],
        notes_late=[
            ("keep", "The CI cache: builds are twice as fast", "flow-efficiency"),
            ("keep", "Follow-the-sun hand-over notes", "on-call-health"),
            (
                "stop",
                "Changing the deploy pipeline without an announcement",
                "collaboration-communication",
            ),
            ("stop", "Treating every request as urgent", "planning-execution"),
            (
                "start",
                "A quarterly survey of the teams we serve",
                "customer-business-focus",
            ),
            (
                "start",
                "Error budgets for the shared clusters",
                "data-driven-improvement",
            ),
        ],
        open_round_answers=("niaj", "olivia", "peggy"),
        dimensions=(
            "collaboration-communication",
            "planning-execution",
            "data-driven-improvement",
            "code-quality-technical-health",
            "observability-operational-readiness",
            "flow-efficiency",
            "customer-business-focus",
            "engineering-discipline",
            "capabilities-adaptability",
        ),
        custom={
            "name": "On-call health",
            "prompt": "Can we carry on-call for years without burning out?",
            "signs_of_struggle": "Night pages, the same two people always on call, "
            "alerts nobody acts on.",
            "level_1": "On-call is dreaded; pages are frequent and rarely actionable.",
            "level_2": "On-call is shared fairly; most pages need action.",
            "level_3": "On-call is calm; every page is actionable and improves the "
            "system.",
        },
    ),
}

CHECKIN_REASONS = {
    Checkin.UNDERPERFORMING: [
        "Too much firefighting to get anything planned done.",
        "We keep missing what we promised.",
        "Half the team is new and we have not found our rhythm.",
    ],
    Checkin.PERFORMING: [
        "We deliver what we plan, mostly.",
        "Solid quarter, but the same problems keep coming back.",
        "Good at the basics; not much time to improve them.",
    ],
    Checkin.HIGH_PERFORMING: [
        "We ship often and sleep well.",
        "Stakeholders come to us early, and we can say yes.",
        "We fixed most of what we complained about last year.",
    ],
}
COMMENTS = {
    1: ["We keep saying we will fix this.", "This hurts us every week."],
    2: ["Fine, but it depends on who is on the ticket.", "Better than last time."],
    3: ["A real strength now.", "Other teams ask us how we do this."],
}


def seed_rounds(users: dict[str, User], teams: dict[str, Team]) -> None:
    """Closed rounds with answers and one open round per demo team (idempotent:
    a team that has any round is left alone)."""
    for name, story in STORIES.items():
        team = teams.get(name)
        if team is None or team.rounds.exists():
            continue
        _seed_team(team, story, users)


def _seed_team(team: Team, story: Story, users: dict[str, User]) -> None:
    rng = random.Random(team.name)  # noqa: S311 - repeatable demo data
    members = [m.user for m in team.memberships.select_related("user")]
    groups = list(team.stakeholder_groups.values_list("name", flat=True))
    _customise(team, story)
    now = timezone.localtime()
    for index in range(CLOSED_ROUNDS + 1):
        if story.monthly and index == 2:
            _rename(team, "flow-efficiency", "Release flow")
        back = CLOSED_ROUNDS - index
        opened = now - datetime.timedelta(days=story.cadence_days * back + 3)
        is_open = index == CLOSED_ROUNDS
        if is_open:
            answering = [users[u] for u in story.open_round_answers]
        else:
            answering = rng.sample(members, k=len(members) - rng.choice([0, 0, 1]))
        counts = story.stakeholders if not is_open else (1,)

        answer = partial(
            _round_answers,
            story=story,
            index=index,
            rng=rng,
            members=answering,
            stakeholders=list(zip(groups, counts, strict=False)),
        )
        play_round(
            team=team,
            title=_title(now, back, story.monthly),
            dimensions=list(team.dimensions.active().order_by("position")),
            answer=answer,
            opened_at=opened,
            closed_at=None if is_open else opened + datetime.timedelta(days=10),
            closes_at=_end_of_day(now + datetime.timedelta(days=11))
            if is_open
            else None,
        )


def _round_answers(
    round: Round,
    *,
    story: Story,
    index: int,
    rng: random.Random,
    members: list[User],
    stakeholders: list[tuple[str, int]],
) -> RoundAnswers:
    own = [(user, _answers(round, story, index, rng)) for user in members]
    outside = [
        StakeholderAnswer(group, _answers(round, story, index, rng, stakeholder=True))
        for group, count in stakeholders
        for _ in range(count)
    ]
    return own, outside


def _end_of_day(moment: datetime.datetime) -> datetime.datetime:
    next_day = moment.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time()))


def _customise(team: Team, story: Story) -> None:
    if story.dimensions:
        team.dimensions.exclude(builtin__slug__in=story.dimensions).update(
            archived=True
        )
    if story.custom:
        TeamDimension.objects.get_or_create(
            team=team,
            name=story.custom["name"],
            defaults={**story.custom, "position": 13},
        )


def _rename(team: Team, slug: str, name: str) -> None:
    team.dimensions.filter(builtin__slug=slug).update(name=name, short_name=name)


def _title(now: datetime.datetime, back: int, monthly: bool) -> str:
    """The title of a round ``back`` months (or quarters) before now."""
    months = now.year * 12 + now.month - 1 - back * (1 if monthly else 3)
    year, month = divmod(months, 12)
    if monthly:
        return f"{datetime.date(year, month + 1, 1):%B %Y} retro"
    return f"Q{month // 3 + 1} {year} check-in"


def _slug(dimension_name: str, builtin_slug: str | None) -> str:
    return builtin_slug or dimension_name.lower().replace(" ", "-")


def _answers(
    round: Round,
    story: Story,
    index: int,
    rng: random.Random,
    *,
    stakeholder: bool = False,
) -> Answers:
    dims = list(round.dimensions.select_related("builtin").order_by("position"))
    slugs = [_slug(d.name, d.builtin.slug if d.builtin else None) for d in dims]
    ratings = []
    for dim, slug in zip(dims, slugs, strict=True):
        mean = story.start.get(slug, story.default_start) + index * story.slope.get(
            slug, story.default_slope
        )
        if stakeholder:
            mean += story.stakeholder_offset.get(slug, story.default_offset)
        level: int | None = max(1, min(3, round_half(rng.gauss(mean, story.spread))))
        if rng.random() < DONT_KNOW_RATE * (3 if stakeholder else 1):
            level = None
        comment = ""
        if level is not None and rng.random() < COMMENT_RATE:
            comment = rng.choice(COMMENTS[level])
        ratings.append(RatingAnswer(dimension=dim, level=level, comment=comment))
    pool = story.notes_early if index < 2 else story.notes_late
    by_slug = dict(zip(slugs, dims, strict=True))
    notes = [
        NoteAnswer(kind=kind, text=text, dimension=by_slug.get(slug or ""))
        for kind, text, slug in rng.sample(
            pool, k=rng.randint(0 if stakeholder else 1, 3)
        )
    ]
    if stakeholder:
        return Answers(ratings=ratings, notes=notes)
    rated = [r.level for r in ratings if r.level is not None]
    overall = sum(rated) / len(rated) + rng.gauss(0, 0.15)
    checkin = (
        Checkin.UNDERPERFORMING
        if overall < 1.8
        else Checkin.PERFORMING
        if overall < 2.35
        else Checkin.HIGH_PERFORMING
    )
    reason = rng.choice(CHECKIN_REASONS[checkin]) if rng.random() < 0.7 else ""
    return Answers(ratings=ratings, notes=notes, checkin=checkin, checkin_reason=reason)


def round_half(value: float) -> int:
    return int(value + 0.5)
