"""The rows behind the coach's pages: one query each, for any number of teams.

Every query starts from the coach's *active* shares, so a revoked share stops
counting on the very next request. Counts and means are computed in the database;
``coach.patterns`` reshapes them. Ratings' comments, check-in reasons and anything
about who answered are never fetched.

The heavy rows (scores of every closed round) are cached under a key made of the
rounds they come from and each round's ``data_version``, which every stored answer
bumps: a new answer, a newly closed round or a revoked share gives another key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connections
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from assessments.caching import RoundVersion, cache_key
from assessments.framework_texts import builtin_text
from assessments.models import (
    BuiltinDimension,
    Note,
    NoteTheme,
    Response,
    Round,
    RoundFigure,
)
from coach.patterns import (
    ROUND_COLUMNS,
    STAKEHOLDER,
    TEAM,
    ClosedRound,
    Dimension,
    SharedTeam,
    quarter,
)
from coach.themes import TeamTheme
from reports.figures import frame
from teams.models import CoachShare

CACHE_SECONDS = 60 * 60


def _shared_team_ids(coach: User) -> QuerySet[CoachShare, Any]:
    return CoachShare.objects.active().filter(coach=coach).values("team_id")


def shared_teams(coach: User) -> list[SharedTeam]:
    rows = (
        CoachShare.objects.active()
        .filter(coach=coach)
        .order_by("team__name", "team__code")
        .values_list("team_id", "team__name", "team__code", "include_notes")
    )
    return [
        SharedTeam(team_id, name, str(code), include_notes)
        for team_id, name, code, include_notes in rows
    ]


def dimensions() -> list[Dimension]:
    rows = BuiltinDimension.objects.order_by("position").values_list(
        "id", "slug", "short_name", "name"
    )
    return [
        Dimension(
            pk,
            slug,
            builtin_text("short_name", short) or builtin_text("name", name),
        )
        for pk, slug, short, name in rows
    ]


def _ready_rounds(coach: User) -> QuerySet[Round]:
    """The shared teams' rounds whose results are out (``Round.results_ready``)."""
    return Round.objects.filter(team_id__in=_shared_team_ids(coach)).results_ready()


def closed_rounds(coach: User) -> pd.DataFrame:
    """The shared teams' rounds whose results are out, with how many of each
    perspective answered (the figures kept at release, ``assessments.tallies``).
    One query."""
    team = Q(figures__perspective=Response.Perspective.TEAM)
    stakeholder = Q(figures__perspective=Response.Perspective.STAKEHOLDER)
    rows = (
        Round.objects.filter(team_id__in=_shared_team_ids(coach))
        .results_ready()
        .with_closed_on()
        .annotate(
            team_responses=Coalesce(Sum("figures__responses", filter=team), 0),
            stakeholder_responses=Coalesce(
                Sum("figures__responses", filter=stakeholder), 0
            ),
        )
        .order_by()
        .values_list(
            "id",
            "team_id",
            "title",
            "closed_on",
            "min_responses",
            "team_responses",
            "stakeholder_responses",
            "data_version",
        )
    )
    rounds = frame(rows, [*ROUND_COLUMNS, "data_version"])
    rounds["closed_at"] = pd.to_datetime(rounds["closed_at"], utc=True)
    return rounds


@contextmanager
def _driver_rows(queryset: QuerySet[Any, Any]) -> Iterator[Iterator[tuple[Any, ...]]]:
    """The rows of a ``values_list`` query as the database driver gives them,
    without Django's converter per value (on SQLite a date is parsed one value at a
    time): for thousands of rows, converted once by the caller, one row at a time
    (no list of them all kept). Name annotations last in ``values_list``: the
    columns come in the order of the SQL."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        yield iter(cursor)


def _moment(value: datetime | str) -> datetime:
    """A date as the driver gives it (SQLite: text in UTC) as an aware datetime."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class DashboardRows:
    rounds: list[ClosedRound]
    # round id -> how many team members gave each check-in (``CHECKINS`` order)
    checkins: dict[int, tuple[int, int, int]]
    # perspective -> round id -> its built-in dimensions' tallies, packed
    levels: dict[str, dict[int, str]]


@dataclass(frozen=True)
class ReadyRounds:
    """The shared teams' rounds whose results are out, in one query: what the
    dashboard's cache key depends on (``versions``) and the rounds it shows, as
    the driver gives them (id, team, title, minimum, version, closing time)."""

    versions: list[RoundVersion]
    rows: list[tuple[Any, ...]]


def ready_rounds(coach: User) -> ReadyRounds:
    rounds = (
        Round.objects.filter(team_id__in=_shared_team_ids(coach))
        .results_ready()
        .with_closed_on()
        .order_by()
    )
    with _driver_rows(
        rounds.values_list(  # type: ignore[misc]  # closed_on: with_closed_on's annotation
            "id", "team_id", "title", "min_responses", "data_version", "closed_on"
        )
    ) as cursor:
        rows = list(cursor)
    closed = Round.State.CLOSED.value
    return ReadyRounds(
        versions=[
            (pk, version, closed, minimum, title)
            for pk, _team, title, minimum, version, _closed_on in rows
        ],
        rows=rows,
    )


def dashboard_rows(coach: User, ready: ReadyRounds | None = None) -> DashboardRows:
    """What ``coach.patterns.dashboard`` needs, from the figures kept at release:
    the shared teams' rounds whose results are out (``ready_rounds``, read here
    unless given), and per round and perspective how many answered, the check-ins
    and the built-in dimensions' tallies in one packed column. One query more,
    without a join: one row per round and perspective, however many dimensions and
    answers."""
    round_rows = (ready or ready_rounds(coach)).rows
    fields = list(RoundFigure.CHECKIN_FIELDS.values())
    answered: dict[str, dict[int, int]] = {TEAM: {}, STAKEHOLDER: {}}
    checkins: dict[int, tuple[int, int, int]] = {}
    levels: dict[str, dict[int, str]] = {TEAM: {}, STAKEHOLDER: {}}
    with _driver_rows(
        RoundFigure.objects.filter(round__in=_ready_rounds(coach))
        .order_by()
        .values_list("round_id", "perspective", "responses", *fields, "builtin_levels")
    ) as figure_rows:
        for (
            round_id,
            perspective,
            responses,
            under,
            performing,
            high,
            packed,
        ) in figure_rows:
            answered[perspective][round_id] = responses
            if perspective == TEAM:
                checkins[round_id] = (under, performing, high)
            if packed:
                levels[perspective][round_id] = packed
    team_answered, stakeholder_answered = answered[TEAM], answered[STAKEHOLDER]
    return DashboardRows(
        rounds=[
            ClosedRound(
                round_id=pk,
                team_id=team_id,
                title=title,
                closed_at=_moment(closed_on),
                min_responses=minimum,
                team_responses=team_answered.get(pk, 0),
                stakeholder_responses=stakeholder_answered.get(pk, 0),
            )
            for pk, team_id, title, minimum, _version, closed_on in round_rows
        ],
        checkins=checkins,
        levels=levels,
    )


def figures_key(
    kind: str, rounds: pd.DataFrame | Sequence[RoundVersion], extra: object
) -> str:
    """The cache key of ``kind`` computed from these rounds in their current
    versions (a frame as from ``closed_rounds``, or ``ReadyRounds.versions``), whatever
    else it depends on (``extra``) and the reader's language (labels inside)."""
    if isinstance(rounds, pd.DataFrame):
        versions: Sequence[RoundVersion] = [
            (int(pk), int(version), Round.State.CLOSED.value, int(minimum), str(title))
            for pk, version, minimum, title in rounds[
                ["round_id", "data_version", "min_responses", "title"]
            ].itertuples(index=False)
        ]
    else:
        versions = rounds
    return cache_key(f"coach:{kind}", versions, extra, get_language())


def cached[T](
    kind: str,
    rounds: pd.DataFrame | Sequence[RoundVersion],
    extra: object,
    compute: Callable[[], T],
) -> T:
    """``compute()``, cached for these rounds in their current versions
    (``figures_key``)."""
    key = figures_key(kind, rounds, extra)
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


def confirmed_themes(coach: User, rounds: pd.DataFrame) -> list[TeamTheme]:
    """The themes the teams confirmed in these rounds (``rounds`` as from
    ``closed_rounds``, already narrowed to qualifying ones), only from teams that
    share their notes with the coach. Two queries."""
    sharing_notes = (
        CoachShare.objects.active()
        .filter(coach=coach, include_notes=True)
        .values("team_id")
    )
    periods = dict(
        zip(
            rounds["round_id"].astype(int),
            quarter(rounds["closed_at"]),
            strict=True,
        )
    )
    rows = list(
        NoteTheme.objects.filter(
            round_id__in=list(periods), round__team_id__in=sharing_notes
        )
        .order_by()
        .values_list(
            "id", "round__team_id", "round_id", "dimension__builtin_id", "label"
        )
    )
    texts: dict[int, list[str]] = {}
    for theme_id, text in (
        Note.objects.filter(theme_id__in=[r[0] for r in rows])
        .order_by("id")
        .values_list("theme_id", "text")
    ):
        texts.setdefault(theme_id, []).append(text)
    return [
        TeamTheme(
            theme_id=theme_id,
            team_id=team_id,
            period=str(periods[round_id]),
            dimension=builtin_id,
            label=label,
            texts=tuple(texts.get(theme_id, ())),
        )
        for theme_id, team_id, round_id, builtin_id, label in rows
    ]


def theme_note_texts(theme_ids: Sequence[int]) -> list[str]:
    """The notes behind a recurring theme, ordered by their random ids (a shuffle
    that does not change on every reload), without team or author. One query."""
    return list(
        Note.objects.filter(theme_id__in=list(theme_ids))
        .order_by("id")
        .values_list("text", flat=True)
    )
