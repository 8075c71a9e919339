"""Demo coach shares for seed_demo.

cora coaches six teams. Payments, Mobile and Platform are the main demo teams; Search,
Identity and Onboarding are made here, each with three quarterly rounds already
closed, so that the coach dashboard has patterns to show (a theme needs notes from
at least three teams). Mobile shares its scores only; the others share notes too.
"""

from __future__ import annotations

import random
from datetime import timedelta
from functools import partial

from django.contrib.auth.models import User
from django.utils import timezone

from assessments.models import (
    BuiltinDimension,
    Checkin,
    Round,
    RoundDimension,
    TeamDimension,
)
from assessments.services import (
    Answers,
    NoteAnswer,
    RatingAnswer,
    team_start,
    themes_confirm,
)
from demo.ownership import demo_team, demo_user
from demo.seeding import RoundAnswers, StakeholderAnswer, play_round
from reports.assembly import build_round_report
from reports.selectors import team_rounds
from reports.themes import drafts_to_confirm
from teams.models import CoachShare, Membership, Team
from teams.services import coach_share_grant

COACH = "cora"

# team -> (facilitator, members, description)
COACHED_TEAMS = {
    "Search": ("victor", ["walter", "xena", "yuri", "zoe"], "Search and discovery."),
    "Identity": ("quinn", ["rupert", "sybil", "ted", "uma"], "Sign-in and accounts."),
    "Onboarding": ("amir", ["bea", "cyd", "dora", "eli"], "Sign-up and first steps."),
}
# team -> shares its keep / stop / start notes as well as its scores
SHARES = {
    "Payments": True,
    "Mobile": False,
    "Platform": True,
    "Search": True,
    "Identity": True,
    "Onboarding": True,
}

# What the coach should notice: Flow is weak nearly everywhere, Observability is
# slipping, Collaboration is a strength.
BASE_LEVEL = {
    "collaboration-communication": 2.6,
    "flow-efficiency": 1.5,
    "data-driven-improvement": 1.8,
    "observability-operational-readiness": 2.5,
}
TREND = {"observability-operational-readiness": -0.35, "flow-efficiency": 0.1}
TEAM_SHIFT = {"Search": 0.2, "Identity": -0.1, "Onboarding": 0.0}

# (kind, dimension slug or None, ways people wrote it). The first CORE_NOTES come
# up in every team's rounds, so they recur across teams; the rest now and then.
CORE_NOTES = 5
NOTES = [
    (
        "stop",
        "flow-efficiency",
        [
            "Unplanned work interrupting the sprint",
            "So much unplanned work mid sprint",
            "Taking unplanned work without asking the PO",
        ],
    ),
    (
        "start",
        "flow-efficiency",
        ["WIP limits on the board", "Agree on WIP limits", "Respect WIP limits"],
    ),
    (
        "keep",
        "collaboration-communication",
        ["Pairing on tricky stories", "Pairing with the designers", "Pairing!"],
    ),
    (
        "start",
        "code-quality-technical-health",
        ["Fixing flaky tests first", "Quarantine flaky tests", "No more flaky tests"],
    ),
    (
        "keep",
        "observability-operational-readiness",
        ["Blameless incident reviews", "The blameless incident reviews"],
    ),
    (
        "stop",
        "flow-efficiency",
        ["Starting new tickets before finishing", "Too many tickets in progress"],
    ),
    (
        "stop",
        "code-quality-technical-health",
        ["Merging without code review", "Skipping code review when in a hurry"],
    ),
    (
        "stop",
        None,
        ["Long meetings without an agenda", "Meetings without an agenda"],
    ),
    (
        "start",
        "observability-operational-readiness",
        ["Runbooks for on-call", "Write runbooks for the alerts", "On-call runbooks"],
    ),
    (
        "start",
        "data-driven-improvement",
        ["Look at cycle time in retros", "Track cycle time"],
    ),
    ("keep", "customer-business-focus", ["Demo every sprint", "Sprint demo"]),
]

ROUND_AGES = (200, 110, 20)  # days since each demo round closed, oldest first
STAKEHOLDERS = {"Search": 4, "Identity": 3, "Onboarding": 2}  # latest round only


def seed_coach_shares(users: dict[str, User], teams: dict[str, Team]) -> None:
    """Share the demo teams with the demo coach, cora (idempotent)."""
    coach = users[COACH]
    all_teams = {**teams, **_coached_teams(users)}
    for name, include_notes in SHARES.items():
        team = all_teams[name]
        # Any share, even a revoked one, means the team already decided.
        if CoachShare.objects.filter(team=team, coach=coach).exists():
            continue
        facilitator = (
            team.memberships.filter(role=Membership.Role.FACILITATOR)
            .select_related("user")
            .first()
        )
        if facilitator is None:
            continue
        coach_share_grant(
            team=team, coach=coach, include_notes=include_notes, actor=facilitator.user
        )
    for team in all_teams.values():
        confirm_themes(team)


def confirm_themes(team: Team) -> None:
    """Confirm the suggested themes of the team's closed rounds, as a team would in
    its retro, so that the coach's recurring themes have something to show. Rounds
    already confirmed are left as they are (idempotent)."""
    rounds = team_rounds(team)
    for round in rounds:
        round.team = team
        if round.state != Round.State.CLOSED or round.themes.exists():
            continue
        report = build_round_report(round, rounds=rounds, show_notes=True, texts=False)
        if report.has_results:
            themes_confirm(round=round, drafts=drafts_to_confirm(report))


def _coached_teams(users: dict[str, User]) -> dict[str, Team]:
    # The demo password's hash, reused: hashing it again per user is slow.
    password = users[COACH].password
    teams: dict[str, Team] = {}
    for name, (facilitator, members, description) in COACHED_TEAMS.items():
        people = {}
        for username in [facilitator, *members]:
            people[username], _ = demo_user(username, password=password)
        team = demo_team(name, usernames=people)
        if team is None:
            team = _create_team(name, description, people[facilitator])
        for username in members:
            Membership.objects.get_or_create(team=team, user=people[username])
        if not team.rounds.exists():
            _seed_rounds(team, list(people.values()))
        teams[name] = team
    return teams


def _create_team(name: str, description: str, facilitator: User) -> Team:
    team = team_start(name=name, description=description, creator=facilitator)
    if name == "Search":
        # Teams may rename a dimension; the coach still sees it in its column.
        team.dimensions.filter(builtin__slug="flow-efficiency").update(
            name="Flow", short_name="Flow"
        )
    if name == "Identity":
        # A team's own dimension: in its report, not in cross-team views.
        TeamDimension.objects.create(
            team=team,
            name="Security posture",
            prompt="Do we treat security as part of every change?",
            level_1="Security is an afterthought.",
            level_2="Security is reviewed for risky changes.",
            level_3="Security is designed in from the start.",
            position=13,
        )
    return team


def _seed_rounds(team: Team, people: list[User]) -> None:
    rng = random.Random(f"team-mirror-demo-{team.name}")  # noqa: S311 - demo data
    dims = list(team.dimensions.active().order_by("position"))
    slugs = dict(
        BuiltinDimension.objects.filter(
            pk__in=[d.builtin_id for d in dims if d.builtin_id]
        ).values_list("pk", "slug")
    )
    # Each team differs a little from the common pattern, dimension by dimension.
    shift = {d.pk: TEAM_SHIFT.get(team.name, 0) + rng.uniform(-0.3, 0.3) for d in dims}
    now = timezone.now()
    for index, age in enumerate(ROUND_AGES):
        closed_at = now - timedelta(days=age)
        stakeholders = STAKEHOLDERS[team.name] if index == len(ROUND_AGES) - 1 else 0
        play_round(
            team=team,
            title=f"{closed_at:%Y} Q{(closed_at.month - 1) // 3 + 1} check-in",
            dimensions=dims,
            answer=partial(
                _round_answers,
                rng=rng,
                people=people,
                stakeholders=stakeholders,
                means=[
                    BASE_LEVEL.get(slugs.get(d.builtin_id or 0, ""), 2.1)
                    + shift[d.pk]
                    + TREND.get(slugs.get(d.builtin_id or 0, ""), 0) * index
                    for d in dims
                ],
                slugs=slugs,
            ),
            opened_at=closed_at - timedelta(days=10),
            closed_at=closed_at,
        )


def _round_answers(
    round: Round,
    *,
    rng: random.Random,
    people: list[User],
    stakeholders: int,
    means: list[float],
    slugs: dict[int, str],
) -> RoundAnswers:
    """Every member answers; the stakeholders see each dimension a little lower."""
    round_dims = list(round.dimensions.order_by("position"))
    count = len(people) + stakeholders
    columns = [
        _levels(rng, mean, len(people)) + _levels(rng, mean - 0.3, stakeholders)
        for mean in means
    ]
    answers = []
    for i in range(count):
        levels = [column[i] for column in columns]
        notes = _notes(rng, round_dims, slugs, core=NOTES[i % CORE_NOTES])
        answers.append(_answer(round_dims, levels, notes, stakeholder=i >= len(people)))
    own = list(zip(people, answers[: len(people)], strict=True))
    outside = [
        StakeholderAnswer("Product / business", a) for a in answers[len(people) :]
    ]
    return own, outside


def _levels(rng: random.Random, mean: float, count: int) -> list[int | None]:
    """``count`` levels for one dimension whose mean is close to ``mean``, with some
    disagreement, and now and then a "don't know"."""
    if count == 0:
        return []
    total = min(3 * count, max(count, round_half(mean * count)))
    low, extra = divmod(total, count)
    group = [low + 1] * extra + [low] * (count - extra)
    # Move one answer up and another down: the same mean, less unanimity.
    if count > 2 and rng.random() < 0.6 and group[0] < 3 and group[-1] > 1:
        group[0] += 1
        group[-1] -= 1
    rng.shuffle(group)
    return [None if rng.random() < 0.04 else v for v in group]


def _answer(
    round_dims: list[RoundDimension],
    levels: list[int | None],
    notes: list[NoteAnswer],
    *,
    stakeholder: bool,
) -> Answers:
    ratings = [
        RatingAnswer(dimension=dim, level=level)
        for dim, level in zip(round_dims, levels, strict=True)
    ]
    if stakeholder:
        return Answers(ratings=ratings, notes=notes)
    rated = [lv for lv in levels if lv is not None]
    average = sum(rated) / len(rated) if rated else 2
    checkin = (
        Checkin.UNDERPERFORMING
        if average < 1.9
        else Checkin.HIGH_PERFORMING
        if average > 2.3
        else Checkin.PERFORMING
    )
    return Answers(ratings=ratings, notes=notes, checkin=checkin)


def _notes(
    rng: random.Random,
    round_dims: list[RoundDimension],
    slugs: dict[int, str],
    core: tuple[str, str | None, list[str]],
) -> list[NoteAnswer]:
    by_slug = {slugs[d.builtin_id]: d for d in round_dims if d.builtin_id}
    others = rng.sample(NOTES[CORE_NOTES:], rng.randint(0, 2))
    return [
        NoteAnswer(
            kind=kind,
            text=rng.choice(texts),
            dimension=by_slug.get(slug) if slug else None,
        )
        for kind, slug, texts in [core, *others]
    ]


def round_half(value: float) -> int:
    return int(value + 0.5)
