"""The reads of the retro: what the current step shows, and nothing else.

Only the current step's figures are fetched and handed to the template, so nothing
not yet revealed reaches a browser. Every figure comes from the report assembly
(``reports.assembly``), where the minimum rule has been applied already.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from assessments import selectors as assessment_selectors
from assessments.disclosure import meets_minimum
from assessments.models import Action, Eligibility, Round, RoundMetric
from reports import agenda
from reports.assembly import (
    DimensionReport,
    NoteView,
    RoundReport,
    agenda_facts,
    build_round_report,
    dimension_lights,
    radar_data,
)
from reports.selectors import team_rounds
from retro import ballots, starter
from retro.models import Ballot, RetroSession, RotiCount, VoteCount
from teams.models import Team


def review_actions(round: Round) -> list[Action]:
    """Actions of the team's earlier rounds to review in this round's retro: those
    still open, and those already reviewed here."""
    return list(
        Action.objects.agreed_before(round)
        .filter(Q(state=Action.State.OPEN) | Q(reviewed_in=round))
        .select_related("dimension", "team_dimension", "owner__user", "round")
    )


def round_actions(round: Round) -> list[Action]:
    return list(
        Action.objects.filter(round=round).select_related("dimension", "owner__user")
    )


def _report(round: Round, *, texts: bool) -> RoundReport:
    rounds = team_rounds(round.team)
    for r in rounds:
        r.team = round.team
    return build_round_report(round, rounds=rounds, show_notes=True, texts=texts)


@dataclass
class Discussion:
    dimension: DimensionReport | None
    position: int  # 1-based
    total: int
    facts: agenda.Facts | None
    notes: list[NoteView] = field(default_factory=list)
    starter: list[str] = field(default_factory=list)


def discussion_order(report: RoundReport, order: str) -> list[agenda.Facts]:
    return agenda.discussion_order(agenda_facts(report), order)


def discussion_count(session: RetroSession) -> int:
    report = _report(session.round, texts=False)
    return len(discussion_order(report, session.order))


def discussion(session: RetroSession) -> tuple[RoundReport, Discussion]:
    report = _report(session.round, texts=True)
    ordered = discussion_order(report, session.order)
    if not ordered:
        return report, Discussion(None, 0, 0, None)
    index = min(session.discuss_index, len(ordered) - 1)
    facts = ordered[index]
    dimension = next(d for d in report.dimensions if d.key == facts.key)
    notes = [n for n in report.notes if n.dimension_label == dimension.label]
    lines = starter.starter(starter_facts(report, dimension, facts))
    return report, Discussion(dimension, index + 1, len(ordered), facts, notes, lines)


def _note_texts(notes: list[NoteView], label: str) -> list[str]:
    return [n.text for n in notes if n.dimension_label == label for _ in range(n.count)]


def _carried_action(round: Round, key: str) -> starter.CarriedAction | None:
    """The latest action of an earlier round on the dimension ``key`` that this
    retro reviews (open, or reviewed here)."""
    found = [
        a
        for a in review_actions(round)
        if key
        in (
            f"team-dimension:{a.team_dimension_id}",
            f"team-dimension:{a.dimension.team_dimension_id}" if a.dimension else "",
            f"round-dimension:{a.dimension_id}",
        )
    ]
    if not found:
        return None
    latest = max(found, key=lambda a: (a.created, a.text))
    return starter.CarriedAction(latest.text, latest.state)


def starter_facts(
    report: RoundReport, dimension: DimensionReport, facts: agenda.Facts
) -> starter.StarterFacts:
    """What the conversation starter may draw on: the figures the discussion
    screen shows (the report has applied the disclosure rules)."""
    team = dimension.team if report.team_visible else None
    shown = team is not None and team.shown and team.mean is not None
    given = (
        [label for label, count, _pct in team.distribution if count]
        if team is not None and shown
        else []
    )
    before = next(
        (d for d in report.previous_dimensions if d.key == dimension.key), None
    )
    before_team = before.team if before is not None else None
    return starter.StarterFacts(
        label=dimension.label,
        minimum=report.round.min_responses,
        agreement=team.agreement if team is not None and shown else None,
        low=given[0] if given else "",
        high=given[-1] if given else "",
        change=facts.change,
        rated=team.rated if team is not None and shown else 0,
        rated_before=before_team.rated if before_team is not None else 0,
        gap=facts.gap,
        action=_carried_action(report.round, dimension.key),
        notes=_note_texts(report.notes, dimension.label),
        other_notes=[
            _note_texts(report.notes, d.label)
            for d in report.dimensions
            if d.key != dimension.key
        ],
    )


@dataclass
class Tally:
    label: str
    count: int
    key: int = 0  # what was voted for (a round dimension's id, a score)


@dataclass
class Voting:
    state: str
    votes_each: int
    used: int
    voters: int
    counts_shown: bool
    counts: list[Tally]
    on_roster: bool = True
    mine: list[Tally] = field(default_factory=list)  # this person's own dots

    @property
    def left(self) -> int:
        return max(0, self.votes_each - self.used)


def on_roster(session: RetroSession, user_id: int) -> bool:
    """Whether this person votes in the session's round: whether they were a
    member when it opened."""
    return Eligibility.objects.filter(
        round_id=session.round_id, user_id=user_id
    ).exists()


def voting(session: RetroSession, user_id: int) -> Voting:
    """This person's own dots while voting is open (opened from their sealed
    ballot, for them alone); the counts once it has closed, if at least the round's
    minimum voted (fewer would let a voter work out how the others voted)."""
    mine: list[Tally] = []
    if session.voting == RetroSession.Voting.OPEN:
        own = ballots.own(session, Ballot.Kind.DOTS, user_id)
        mine = [
            Tally(d.label, own[d.pk], d.pk)
            for d in session.round.dimensions.all()
            if own.get(d.pk, 0) > 0
        ]
    shown = session.voting == RetroSession.Voting.CLOSED and meets_minimum(
        session.voters, session.round.min_responses
    )
    counts: list[Tally] = []
    if shown:
        counts = [
            Tally(c.dimension.label, c.count)
            for c in VoteCount.objects.filter(session=session).select_related(
                "dimension"
            )
        ]
    return Voting(
        state=session.voting,
        votes_each=session.votes_each,
        used=sum(t.count for t in mine),
        voters=session.voters,
        counts_shown=shown,
        counts=counts,
        on_roster=on_roster(session, user_id),
        mine=mine,
    )


@dataclass
class Roti:
    """ "Was this worth our time?": this person's own answer while it is open;
    once closed, the count per score (1-5) and the mean, if at least the round's
    minimum answered."""

    state: str
    voters: int
    counts_shown: bool
    counts: list[Tally]
    mine: int | None = None
    on_roster: bool = True

    @property
    def mean(self) -> float | None:
        if not self.counts_shown or not self.voters:
            return None
        return sum(t.key * t.count for t in self.counts) / self.voters


def roti(session: RetroSession, user_id: int) -> Roti:
    mine = None
    if session.roti == RetroSession.Voting.OPEN:
        own = ballots.own(session, Ballot.Kind.ROTI, user_id)
        mine = next(iter(own), None)
    shown = session.roti == RetroSession.Voting.CLOSED and meets_minimum(
        session.roti_voters, session.round.min_responses
    )
    counts: list[Tally] = []
    if shown:
        counts = [
            Tally(str(c.score), c.count, c.score)
            for c in RotiCount.objects.filter(session=session)
        ]
    return Roti(
        state=session.roti,
        voters=session.roti_voters,
        counts_shown=shown,
        counts=counts,
        mine=mine,
        on_roster=on_roster(session, user_id),
    )


@dataclass
class RotiPoint:
    round: Round
    voters: int
    mean: float | None  # None: fewer than the round's minimum answered


def roti_trend(team: Team) -> list[RotiPoint]:
    """ "Was this worth our time?" across the team's retros, oldest first (two
    queries). A retro where fewer than its round's minimum answered is listed
    without a figure, never merged with another."""
    sessions = list(
        RetroSession.objects.filter(round__team=team, roti=RetroSession.Voting.CLOSED)
        .select_related("round")
        .order_by("round__created", "round_id")
    )
    sums: dict[int, int] = {}
    for session_id, score, count in RotiCount.objects.filter(
        session__in=sessions
    ).values_list("session_id", "score", "count"):
        sums[session_id] = sums.get(session_id, 0) + score * count
    points = []
    for s in sessions:
        shown = meets_minimum(s.roti_voters, s.round.min_responses)
        mean = sums.get(s.pk, 0) / s.roti_voters if shown and s.roti_voters else None
        points.append(RotiPoint(s.round, s.roti_voters, mean))
    return points


def step_context(session: RetroSession, user_id: int) -> dict[str, Any]:
    """What the session's current step shows."""
    round = session.round
    step = session.step
    ctx: dict[str, Any] = {}
    if step == RetroSession.Step.REVIEW:
        ctx["review_actions"] = review_actions(round)
    elif step == RetroSession.Step.REVEAL:
        report = _report(round, texts=False)
        facts = agenda_facts(report)
        ctx["report"] = report
        ctx["radar"] = radar_data(report)
        ctx["points"] = agenda.talking_points(facts)
        ctx["lights"] = dimension_lights(facts)
    elif step == RetroSession.Step.DISCUSS:
        report, current = discussion(session)
        ctx["report"] = report
        ctx["discussion"] = current
    elif step == RetroSession.Step.VOTE:
        ctx["voting"] = voting(session, user_id)
        ctx["dimensions"] = list(round.dimensions.all())
    elif step in (RetroSession.Step.ACTIONS, RetroSession.Step.CLOSE):
        ctx["actions"] = round_actions(round)
        ctx["voting"] = voting(session, user_id)
        if step == RetroSession.Step.CLOSE:
            ctx["roti"] = roti(session, user_id)
    return ctx


def latest_summary(team: Team) -> Round | None:
    """The team's latest round with a retro summary, for the team page."""
    return (
        Round.objects.filter(team=team)
        .exclude(retro_summary="")
        .order_by("-created")
        .first()
    )


@dataclass
class Board:
    open: list[Action]
    done: list[Action]
    dropped: list[Action]

    @property
    def median_days_to_done(self) -> int | None:
        days = sorted(d for a in self.done if (d := a.days_to_done()) is not None)
        if not days:
            return None
        return days[len(days) // 2]


def action_board(team: Team) -> Board:
    actions = assessment_selectors.team_actions(team)
    return Board(
        open=[a for a in actions if a.state == Action.State.OPEN],
        done=[a for a in actions if a.state == Action.State.DONE],
        dropped=[a for a in actions if a.state == Action.State.DROPPED],
    )


@dataclass
class MetricTrend:
    rounds: list[Round]
    rows: list[tuple[str, str, list[Decimal | None]]]  # (name, unit, value per round)


def metric_trend(team: Team) -> MetricTrend:
    """Each measure the team recorded, across its rounds oldest first (two
    queries). Context only: never combined, never compared with other teams."""
    rounds = list(Round.objects.filter(team=team).order_by("created", "id"))
    values: dict[tuple[str, str], dict[int, Decimal]] = {}
    for name, unit, round_id, value in RoundMetric.objects.filter(
        round__team=team
    ).values_list("name", "unit", "round_id", "value"):
        values.setdefault((name, unit), {})[round_id] = value
    with_values = [r for r in rounds if any(r.pk in v for v in values.values())]
    rows = [
        (name, unit, [by_round.get(r.pk) for r in with_values])
        for (name, unit), by_round in sorted(values.items())
    ]
    return MetricTrend(rounds=with_values, rows=rows)
