"""Reads other apps need about a round and a team's decisions: a round's turnout
from its roster, its actions and the summary of its retros. For the round pages,
the report, the action board and the exports (CSV, PDF, API)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, overload
from uuid import UUID

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from assessments import disclosure
from assessments.disclosure import MIN_RESPONSES_FLOOR
from assessments.models import (
    Action,
    CarriedTurnout,
    Channel,
    Eligibility,
    Participation,
    Perspective,
    Response,
    Round,
    RoundDimension,
    SealedAnswer,
    SourceFigure,
    StakeholderInvitation,
)
from config import rawsql
from teams.models import ActivityEntry, Membership, Team


@dataclass(frozen=True)
class Turnout:
    """ "n of m members answered": ``answered`` members of the ``eligible`` ones.
    Against another round (``turnout(round, compared_with=...)``): how many
    answered only this round (``only_this``) and only the other (``only_other``),
    for ``disclosure.rounds_comparable``; counts of who answered, never what.
    ``held_team`` and ``held_stakeholder``: answers still sealed after a reopen
    (released only once there are the minimum of them, ``docs/anonymity.md``);
    ``new_team`` and ``new_stakeholder``: answers released since the round was
    last opened (published when it closes, ``still_pending``)."""

    answered: int
    eligible: int
    only_this: int = 0
    only_other: int = 0
    held_team: int = 0
    held_stakeholder: int = 0
    new_team: int = 0
    new_stakeholder: int = 0


def count_per_round(
    rows: QuerySet[Eligibility]
    | QuerySet[Participation]
    | QuerySet[SealedAnswer]
    | QuerySet[Response],
) -> Coalesce:
    """How many of ``rows`` belong to the outer round (``rows`` filtered on
    ``OuterRef``), 0 for none: a subquery for an annotation or a SELECT."""
    counted = rows.order_by().values("round_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def carried(field: str, **conditions: object) -> Coalesce:
    """A count the outer round brought from another server (``CarriedTurnout``),
    0 for a round that did not move: a subquery for an annotation."""
    rows = CarriedTurnout.objects.filter(round=OuterRef("pk"), **conditions)
    return Coalesce(Subquery(rows.values(field)[:1], output_field=IntegerField()), 0)


def with_turnout(rounds: QuerySet[Round]) -> QuerySet[Round]:
    """Annotate ``answered`` and ``eligible`` from each round's roster
    (``Eligibility``, written when it opened) and its participations, plus the
    counts it brought if it moved here from another server. The only definition
    of "n of m answered": people who joined after the round opened are not
    counted, people who left still are, on every page."""
    return rounds.annotate(
        eligible=count_per_round(Eligibility.objects.filter(round=OuterRef("pk")))
        + carried("eligible"),
        answered=count_per_round(Participation.objects.filter(round=OuterRef("pk")))
        + carried("answered"),
    )


def turnout(round: Round, *, compared_with: Round | None = None) -> Turnout:
    """The round's "n of m members answered", the answers still sealed and, with
    ``compared_with``, who answered only one of the two (one query either way).
    A draft has no roster yet: its ``m`` is the team's members now."""
    if round.state == Round.State.DRAFT:
        eligible = Membership.objects.filter(team_id=round.team_id).count()
        return Turnout(answered=0, eligible=eligible)
    sealed = SealedAnswer.objects.filter(round=OuterRef("pk"))
    new = Response.objects.filter(
        round=OuterRef("pk"), release__gt=OuterRef("releases_at_open")
    )
    rounds = with_turnout(Round.objects.filter(pk=round.pk)).annotate(
        held_team=count_per_round(sealed.filter(perspective=Perspective.TEAM)),
        held_stakeholder=count_per_round(
            sealed.filter(perspective=Perspective.STAKEHOLDER)
        ),
        new_team=count_per_round(new.filter(perspective=Perspective.TEAM)),
        new_stakeholder=count_per_round(
            new.filter(perspective=Perspective.STAKEHOLDER)
        ),
    )
    if compared_with is not None:
        this = Participation.objects.filter(round=OuterRef("pk"))
        other = Participation.objects.filter(round=compared_with)
        rounds = rounds.annotate(
            # Counted on the server the round moved from, against the same round.
            carried_only_this=carried("only_this", compared_with=compared_with),
            carried_only_other=carried("only_other", compared_with=compared_with),
            only_this=count_per_round(this.exclude(user__in=other.values("user"))),
            only_other=count_per_round(
                other.exclude(
                    user__in=Participation.objects.filter(
                        round=OuterRef(OuterRef("pk"))
                    ).values("user")
                )
            ),
        )
    counted = rounds.only("pk").get()
    return Turnout(
        answered=counted.answered,  # type: ignore[attr-defined]
        eligible=counted.eligible,  # type: ignore[attr-defined]
        only_this=getattr(counted, "only_this", 0)
        + getattr(counted, "carried_only_this", 0),
        only_other=getattr(counted, "only_other", 0)
        + getattr(counted, "carried_only_other", 0),
        held_team=counted.held_team,
        held_stakeholder=counted.held_stakeholder,
        new_team=counted.new_team,
        new_stakeholder=counted.new_stakeholder,
    )


@dataclass(frozen=True)
class Held:
    """Answers still sealed, per perspective, and how many more each needs; and
    how many were released since the round was last opened (``team_new``,
    ``stakeholder_new``: a batch that reached the minimum while the round is open,
    published when it closes)."""

    team: int
    stakeholder: int
    minimum: int
    team_new: int = 0
    stakeholder_new: int = 0

    def team_needed(self) -> int:
        return disclosure.answers_needed(self.team, self.minimum)

    def stakeholder_needed(self) -> int:
        return disclosure.answers_needed(self.stakeholder, self.minimum)


def still_pending(round: Round, held: Held) -> tuple[bool, bool]:
    """Whether the team's and the stakeholders' published results take in a new
    batch when the round closes: after a reopen, the minimum of new answers came
    in while it is open, and was released then (``services._release_if_batch``); nothing
    of it shows while the round is open."""
    if round.state == Round.State.DRAFT or not round.releases or not round.is_open():
        return False, False
    return held.team_new > 0, held.stakeholder_new > 0


def still_needed(round: Round, held: Held) -> tuple[int, int]:
    """What the round page and the report say after a reopen: how many more team
    and stakeholder answers the published results wait for (0: say nothing).
    Nothing before the first release (everything opens then). While reopened the
    team's count is always said, unless a batch is in (``still_pending``): then
    only while answers after it wait sealed, as closing keeps those sealed
    (``services.answers_release``); otherwise a perspective's only while some of its
    answers wait sealed."""
    if round.state == Round.State.DRAFT or not round.releases:
        return 0, 0
    reopened = round.is_open()
    team_pending, _stakeholder_pending = still_pending(round, held)
    waits = (reopened and not team_pending) or held.team
    team = held.team_needed() if waits else 0
    stakeholder = held.stakeholder_needed() if held.stakeholder else 0
    return team, stakeholder


def answers_held(*, round: Round) -> Held:
    """How many answers wait sealed, and how many were released since the round
    was last opened (one query)."""
    sealed = SealedAnswer.objects.filter(round=OuterRef("pk"))
    new = Response.objects.filter(
        round=OuterRef("pk"), release__gt=OuterRef("releases_at_open")
    )
    counted = (
        Round.objects.filter(pk=round.pk)
        .annotate(
            held_team=count_per_round(sealed.filter(perspective=Perspective.TEAM)),
            held_stakeholder=count_per_round(
                sealed.filter(perspective=Perspective.STAKEHOLDER)
            ),
            new_team=count_per_round(new.filter(perspective=Perspective.TEAM)),
            new_stakeholder=count_per_round(
                new.filter(perspective=Perspective.STAKEHOLDER)
            ),
        )
        .values_list("held_team", "held_stakeholder", "new_team", "new_stakeholder")
        .get()
    )
    team, stakeholder, team_new, stakeholder_new = counted
    return Held(
        team=team,
        stakeholder=stakeholder,
        minimum=round.min_responses,
        team_new=team_new,
        stakeholder_new=stakeholder_new,
    )


@dataclass(frozen=True)
class Channels:
    """How many stakeholder answers came by personal invitation and by the shared
    link, sealed or released: counts only, never a figure per channel, so that a
    burst on the shared link is visible to every member and tells nothing of what
    anyone answered."""

    by_invitation: int
    by_link: int
    # The round's minimum: the split is shown once there are at least that many
    # (``disclosure.sources_shown``).
    minimum: int = MIN_RESPONSES_FLOOR

    @property
    def total(self) -> int:
        return self.by_invitation + self.by_link

    @property
    def shown(self) -> bool:
        return bool(disclosure.sources_shown(self.total, self.minimum))


def stakeholder_channels(round: Round) -> Channels:
    """The round's stakeholder answers per channel, sealed and released (one
    query): the released ones as counted at release (``SourceFigure``)."""
    released = (
        SourceFigure.objects.filter(
            round=round,
            perspective=Perspective.STAKEHOLDER,
            source__in=[SourceFigure.Source.LINK, SourceFigure.Source.INVITATION],
        )
        .values_list("source")
        .annotate(n=Sum("answers"))
        .order_by()
    )
    sealed = (
        SealedAnswer.objects.filter(round=round, perspective=Perspective.STAKEHOLDER)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, int] = {}
    for channel, n in released.union(sealed, all=True):
        counts[channel] = counts.get(channel, 0) + n
    return Channels(
        by_invitation=counts.get(Channel.INVITATION, 0),
        by_link=counts.get(Channel.LINK, 0),
        minimum=round.min_responses,
    )


@dataclass(frozen=True)
class Sources:
    """Where a round's answers came from, sealed and released (those released as
    counted at release, ``SourceFigure``): how many of the ``team`` answers came
    from members who joined in the ``days`` days before it opened, and how many
    of the ``stakeholders`` answers by the shared link and from each
    facilitator's invitations (``invited``: (name, answers), by name; name None
    for invitations whose maker is not known any more, listed last). Counts only;
    shown as ``disclosure.sources_shown`` allows (``team_shown``,
    ``stakeholders_shown``)."""

    team: int
    new_members: int
    link: int
    invited: list[tuple[str | None, int]]
    minimum: int
    days: int = SourceFigure.NEW_MEMBER_DAYS

    @property
    def stakeholders(self) -> int:
        return self.link + sum(n for _name, n in self.invited)

    @property
    def team_shown(self) -> bool:
        return bool(disclosure.sources_shown(self.team, self.minimum))

    @property
    def stakeholders_shown(self) -> bool:
        return bool(disclosure.sources_shown(self.stakeholders, self.minimum))


def round_sources(round: Round) -> Sources:
    """Where the round's answers came from (two queries): the counts kept at
    release, the invitations each facilitator made (used ones wait sealed) and
    the answers sealed by the shared link in one; the members who answered and
    those of them who joined just before the round in the other."""
    kept = (
        SourceFigure.objects.filter(round=round)
        .values_list("source", "inviter__username")
        .annotate(n=Sum("answers"))
        .order_by()
    )
    invited = (
        StakeholderInvitation.objects.filter(round=round)
        .annotate(source=Value(SourceFigure.Source.INVITATION.value))
        .values_list("source", "invited_by__username")
        .annotate(n=Count("pk", filter=Q(used=True)))
        .order_by()
    )
    sealed = (
        SealedAnswer.objects.filter(
            round=round, perspective=Perspective.STAKEHOLDER, channel=Channel.LINK
        )
        .annotate(
            source=Value(SourceFigure.Source.LINK.value),
            name=Value(None, output_field=CharField()),
        )
        .values_list("source", "name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    link, kept_new = 0, 0
    per_name: dict[str | None, int] = {}
    for source, name, n in kept.union(invited, sealed, all=True):
        if source == SourceFigure.Source.LINK:
            link += n
        elif source == SourceFigure.Source.INVITATION:
            per_name[name] = per_name.get(name, 0) + n
        else:
            kept_new += n
    answered, new = new_member_answers(round, with_all=True)
    return Sources(
        team=answered,
        # A member who answered and deleted their account since is no longer
        # among the participations: what was counted at release stands.
        new_members=max(new, kept_new),
        link=link,
        invited=sorted(
            per_name.items(), key=lambda item: (item[0] is None, item[0] or "")
        ),
        minimum=round.min_responses,
    )


@overload
def new_member_answers(round: Round) -> int: ...
@overload
def new_member_answers(round: Round, *, with_all: Literal[True]) -> tuple[int, int]: ...
def new_member_answers(
    round: Round, *, with_all: bool = False
) -> int | tuple[int, int]:
    """How many members on the round's roster who joined the team in the
    ``SourceFigure.NEW_MEMBER_DAYS`` days before it opened have answered it (one
    query): joined as the team's activity log says (which a member who left
    since cannot change) or as their membership does. ``with_all``: (how many
    members answered, how many of them are new)."""
    if round.opened_at is None:
        return (0, 0) if with_all else 0
    since = round.opened_at - datetime.timedelta(days=SourceFigure.NEW_MEMBER_DAYS)
    window = {"at__gte": since, "at__lte": round.opened_at}
    logged = ActivityEntry.objects.filter(
        team_id=round.team_id,
        actor_id=OuterRef("user_id"),
        action__in=[
            ActivityEntry.Action.MEMBER_JOINED,
            ActivityEntry.Action.TEAM_CREATED,
        ],
        **window,
    )
    member = Membership.objects.filter(
        team_id=round.team_id,
        user_id=OuterRef("user_id"),
        joined__gte=since,
        joined__lte=round.opened_at,
    )
    counted = Participation.objects.filter(round=round).aggregate(
        answered=Count("pk"),
        new=Count("pk", filter=Q(Exists(logged)) | Q(Exists(member))),
    )
    if with_all:
        return counted["answered"], counted["new"]
    return int(counted["new"])


def report_counts(round: Round) -> tuple[Turnout, Channels]:
    """``turnout(round)`` and ``stakeholder_channels(round)`` in one statement:
    the counts the report page reads on every view (they change with each answer,
    which does not change the round's data version while it is sealed), while
    its figures come from the cache. Counts only, as those two. Written once in
    SQL (``config.rawsql``): the ORM took about 7 ms of CPU to compile the eight
    counts, the database a fraction of one (``tests/test_rawsql.py`` holds it
    equal to the two querysets)."""
    if round.state == Round.State.DRAFT:
        return turnout(round), Channels(
            by_invitation=0, by_link=0, minimum=round.min_responses
        )
    t, c = rawsql.table, rawsql.column

    def count(model: type[Model], *conditions: str) -> str:
        where = " AND ".join(
            [f"{c(model, 'round')} = %s", *(f"{c(model, f)} = %s" for f in conditions)]
        )
        return f"(SELECT COUNT(*) FROM {t(model)} WHERE {where})"  # noqa: S608

    def kept() -> str:
        # Counted at release (SourceFigure): no released answer has a channel.
        model = SourceFigure
        return (
            f"(SELECT COALESCE(SUM({c(model, 'answers')}), 0) FROM {t(model)} "  # noqa: S608
            f"WHERE {c(model, 'round')} = %s AND {c(model, 'perspective')} = %s "
            f"AND {c(model, 'source')} = %s)"
        )

    def released_since_open() -> str:
        since = (
            f"{c(Response, 'release')} > (SELECT {c(Round, 'releases_at_open')} "  # noqa: S608
            f"FROM {t(Round)} WHERE {c(Round, 'id')} = %s)"
        )
        # The round's pk twice: for the batch it was opened at, and its answers.
        return (
            f"(SELECT COUNT(*) FROM {t(Response)} WHERE {since} "  # noqa: S608
            f"AND {c(Response, 'round')} = %s AND {c(Response, 'perspective')} = %s)"
        )

    team, stakeholder = Perspective.TEAM.value, Perspective.STAKEHOLDER.value
    invitation, link = Channel.INVITATION.value, Channel.LINK.value

    def moved(field: str) -> str:
        return (
            f"(SELECT COALESCE(SUM({c(CarriedTurnout, field)}), 0) "  # noqa: S608
            f"FROM {t(CarriedTurnout)} WHERE {c(CarriedTurnout, 'round')} = %s)"
        )

    parts: list[tuple[str, list[int | str]]] = [
        (f"{count(Participation)} + {moved('answered')}", [round.pk]),
        (f"{count(Eligibility)} + {moved('eligible')}", [round.pk]),
        (count(SealedAnswer, "perspective"), [team]),
        (count(SealedAnswer, "perspective", "channel"), [stakeholder, invitation]),
        (count(SealedAnswer, "perspective", "channel"), [stakeholder, link]),
        (count(SealedAnswer, "perspective"), [stakeholder]),
        (kept(), [stakeholder, SourceFigure.Source.INVITATION.value]),
        (kept(), [stakeholder, SourceFigure.Source.LINK.value]),
        (released_since_open(), [round.pk, team]),
        (released_since_open(), [round.pk, stakeholder]),
    ]
    sql = "SELECT " + ", ".join(part for part, _values in parts)
    params: list[int | str] = []
    for _part, values in parts:
        params += [round.pk, *values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    answered, eligible, held_team, sealed_invitation, sealed_link = row[:5]
    held_stakeholder, released_invitation, released_link = row[5:8]
    new_team, new_stakeholder = row[8:]
    return (
        Turnout(
            answered=answered,
            eligible=eligible,
            held_team=held_team,
            held_stakeholder=held_stakeholder,
            new_team=new_team,
            new_stakeholder=new_stakeholder,
        ),
        Channels(
            by_invitation=sealed_invitation + released_invitation,
            by_link=sealed_link + released_link,
            minimum=round.min_responses,
        ),
    )


def round_moved(round: Round) -> bool:
    """Whether the round came from another server (``moving``): its answers are
    the counts the old server showed, without a roster to add to them."""
    return CarriedTurnout.objects.filter(round=round).exists()


def turnouts(pairs: Sequence[tuple[Round, Round | None]]) -> dict[int, Turnout]:
    """``turnout(round, compared_with=other)`` for each (round, other) of many
    rounds at once, in two queries whatever their number (the JSON history and
    the API's rounds)."""
    ids = {r.pk for r, _ in pairs} | {o.pk for _, o in pairs if o is not None}
    sealed = SealedAnswer.objects.filter(round=OuterRef("pk"))
    moved = CarriedTurnout.objects.filter(round=OuterRef("pk"))
    counts = {
        pk: (eligible, team, stakeholder, (answered, compared_with, this, that))
        for pk, eligible, team, stakeholder, answered, compared_with, this, that in (
            Round.objects.filter(pk__in=ids)
            .annotate(
                eligible=count_per_round(
                    Eligibility.objects.filter(round=OuterRef("pk"))
                )
                + carried("eligible"),
                held_team=count_per_round(sealed.filter(perspective=Perspective.TEAM)),
                held_stakeholder=count_per_round(
                    sealed.filter(perspective=Perspective.STAKEHOLDER)
                ),
                carried_answered=carried("answered"),
                carried_with=Subquery(moved.values("compared_with_id")[:1]),
                carried_only_this=carried("only_this"),
                carried_only_other=carried("only_other"),
            )
            .values_list(
                "pk",
                "eligible",
                "held_team",
                "held_stakeholder",
                "carried_answered",
                "carried_with",
                "carried_only_this",
                "carried_only_other",
            )
        )
    }
    people: dict[int, set[int]] = {pk: set() for pk in ids}
    rows = Participation.objects.filter(round_id__in=ids).values_list(
        "round_id", "user_id"
    )
    for round_id, user_id in rows:
        people[round_id].add(user_id)
    result = {}
    for round, other in pairs:
        this = people[round.pk]
        that = people[other.pk] if other is not None else this
        eligible, held_team, held_stakeholder, moved_counts = counts.get(
            round.pk, (0, 0, 0, (0, None, 0, 0))
        )
        answered, compared_with, only_this, only_other = moved_counts
        if other is None or compared_with != other.pk:
            only_this = only_other = 0
        result[round.pk] = Turnout(
            answered=len(this) + answered,
            eligible=eligible,
            only_this=len(this - that) + only_this,
            only_other=len(that - this) + only_other,
            held_team=held_team,
            held_stakeholder=held_stakeholder,
        )
    return result


def round_actions(round: Round) -> list[Action]:
    """The actions agreed in this round's retro, in the order they were agreed,
    with their dimension and owner (one query). ``round.retro_summary`` is the
    retro's summary."""
    return list(
        Action.objects.filter(round=round).select_related(
            "dimension", "team_dimension", "owner__user"
        )
    )


def team_actions(team: Team) -> list[Action]:
    """Every action of the team, oldest first, with its round (one query)."""
    return list(
        Action.objects.for_team(team).select_related(
            "round", "dimension", "team_dimension", "owner__user"
        )
    )


def carried_actions(round: Round) -> list[Action]:
    """The actions agreed before this round that were still open when it opened
    (one query): what "last time we agreed to" shows, and what this round's report
    follows up."""
    opened = round.opened_at or round.created
    return [
        a
        for a in Action.objects.agreed_before(round).select_related(
            "round", "dimension", "team_dimension", "owner__user"
        )
        if a.finished_at is None or a.finished_at >= opened
    ]


def open_actions_before(round: Round) -> list[Action]:
    """The actions agreed before this round that are still open (one query): the
    answer page opens with them ("Last time we agreed to …")."""
    return list(
        Action.objects.agreed_before(round)
        .open()
        .select_related("dimension", "team_dimension")
    )


def open_actions(team: Team) -> list[Action]:
    """The team's open actions, oldest first (one query)."""
    return list(
        Action.objects.for_team(team)
        .open()
        .select_related("round", "dimension", "team_dimension", "owner__user")
    )


@dataclass(frozen=True)
class RoundToAnswer:
    """A round's dimensions (in order, each with its ``round`` and the round's
    ``team`` loaded) and what the answer pages check about the signed-in person:
    their ``role`` in the team (None: not a member) and whether they are on the
    round's roster."""

    dimensions: list[RoundDimension]
    role: str | None
    on_roster: bool


def round_to_answer(code: UUID, user_id: int) -> RoundToAnswer | None:
    """The round with this code for the answer form, in one query written once
    (``config.rawsql``: the busiest request of all, where compiling the equivalent
    queryset cost ten times running it); None if it has no dimensions (or does not
    exist). Equal to ``RoundDimension.objects.filter(round__code=code)
    .select_related("round__team")`` with the role and roster as annotations
    (``tests/assessments/test_answer.py``)."""
    dim, rnd, team = (
        rawsql.columns(RoundDimension, "d"),
        rawsql.columns(Round, "r"),
        rawsql.columns(Team, "t"),
    )
    t, c = rawsql.table, rawsql.column
    sql = (
        f"SELECT {dim.sql}, {rnd.sql}, {team.sql}, "  # noqa: S608 (names, not values)
        f"(SELECT m.{c(Membership, 'role')} FROM {t(Membership)} m "
        f"WHERE m.{c(Membership, 'team')} = t.{c(Team, 'id')} "
        f"AND m.{c(Membership, 'user')} = %s), "
        f"EXISTS(SELECT 1 FROM {t(Eligibility)} e "
        f"WHERE e.{c(Eligibility, 'round')} = r.{c(Round, 'id')} "
        f"AND e.{c(Eligibility, 'user')} = %s) "
        f"FROM {t(RoundDimension)} d "
        f"JOIN {t(Round)} r ON d.{c(RoundDimension, 'round')} = r.{c(Round, 'id')} "
        f"JOIN {t(Team)} t ON r.{c(Round, 'team')} = t.{c(Team, 'id')} "
        f"WHERE r.{c(Round, 'code')} = %s "
        f"ORDER BY d.{c(RoundDimension, 'position')}, d.{c(RoundDimension, 'id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id, rawsql.prep(Round, "code", code)])
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    a, b = dim.width, dim.width + rnd.width
    round = rnd.instance(first[a:b])
    round.team = team.instance(first[b : b + team.width])
    dimensions = []
    for row in rows:
        dimension = dim.instance(row[:a])
        dimension.round = round
        dimensions.append(dimension)
    role, on_roster = first[-2], first[-1]
    return RoundToAnswer(dimensions=dimensions, role=role, on_roster=bool(on_roster))
