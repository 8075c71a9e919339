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

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
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
    DimensionFigure,
    Note,
    NoteTheme,
    Response,
    Round,
    RoundFigure,
)
from coach.patterns import (
    CHECKIN_COLUMNS,
    LEVEL_COLUMNS,
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


# Past this many rounds the scores are read for all ready rounds and narrowed
# here: an IN list that long would pass SQLite's limit on parameters.
MAX_LISTED_ROUNDS = 20_000


def dimension_scores(
    coach: User, round_ids: Sequence[int] | None = None
) -> pd.DataFrame:
    """Per closed round (all, or those of ``round_ids``), built-in dimension and
    perspective: how many gave a level and their mean, from the tallies kept at
    release (one row each, however many answered). Custom dimensions (no
    built-in) are not comparable across teams and are left out here. One query."""
    listed = round_ids is not None and len(round_ids) <= MAX_LISTED_ROUNDS
    figures = DimensionFigure.objects.filter(
        Q(round_id__in=list(round_ids or ()))
        if listed
        else Q(round__in=_ready_rounds(coach)),
        builtin__isnull=False,
    )
    rows = list(
        figures.order_by().values_list(
            "round_id", "builtin_id", "perspective", *LEVEL_COLUMNS
        )
    )
    values, is_team = _int_columns(rows, text_column=2)
    if round_ids is not None and not listed:
        kept = np.isin(values[:, 0], np.asarray(round_ids, dtype=np.int64))
        values, is_team = values[kept], is_team[kept]
    levels = values[:, 2:].astype(float)
    rated = levels.sum(axis=1)
    weighted = levels @ np.array([1.0, 2.0, 3.0])
    mean = np.divide(weighted, rated, out=np.full_like(rated, np.nan), where=rated > 0)
    return pd.DataFrame(
        {
            "round_id": values[:, 0],
            "builtin_id": values[:, 1],
            "perspective": _perspectives(is_team),
            "rated": rated.astype(np.int64),
            "mean": mean,
            "level_1": values[:, 2],
            "level_2": values[:, 3],
            "level_3": values[:, 4],
        }
    )


def _int_columns(
    rows: Sequence[Sequence[Any]], text_column: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of integers and one perspective column as an integer matrix (without
    that column) and whether each row is the team's own view: column by column,
    far faster than a frame from records for tens of thousands of rows."""
    width = len(rows[0]) if rows else 6
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
    numbers = [
        np.asarray(c, dtype=np.int64) for i, c in enumerate(columns) if i != text_column
    ]
    matrix = np.column_stack(numbers) if rows else np.zeros((0, width - 1), np.int64)
    is_team = np.asarray(columns[text_column], dtype=object) == TEAM
    return matrix, is_team


def _perspectives(is_team: np.ndarray) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(
        is_team.astype(np.int8), categories=pd.Index([STAKEHOLDER, TEAM])
    )


def team_checkins(coach: User) -> pd.DataFrame:
    """How many team members gave each check-in, per closed round (kept at
    release). One query."""
    fields = RoundFigure.CHECKIN_FIELDS
    rows = (
        RoundFigure.objects.filter(
            round__in=_ready_rounds(coach), perspective=Response.Perspective.TEAM
        )
        .order_by()
        .values_list("round_id", *fields.values())
    )
    return _checkin_frame(rows)


def _checkin_frame(rows: Iterable[Sequence[int]]) -> pd.DataFrame:
    """(round_id, count of each check-in) rows as ``round_id, checkin, n``."""
    fields = RoundFigure.CHECKIN_FIELDS
    return frame(
        [
            (round_id, checkin, n)
            for round_id, *counts in rows
            for checkin, n in zip(fields, counts, strict=True)
            if n
        ],
        CHECKIN_COLUMNS,
    )


def round_versions(coach: User) -> list[RoundVersion]:
    """What the coach's figures depend on, round by round (the cache key): a light
    query, no dates, no join."""
    rows = (
        _ready_rounds(coach)
        .order_by()
        .values_list("id", "data_version", "min_responses", "title")
    )
    closed = Round.State.CLOSED.value
    return [
        (pk, version, closed, minimum, title) for pk, version, minimum, title in rows
    ]


def dashboard_rounds(coach: User) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The closed rounds as ``closed_rounds`` gives them, and the check-ins of
    their team members, in two queries without a join: the rounds, then their
    figures kept at release."""
    rows = (
        Round.objects.filter(team_id__in=_shared_team_ids(coach))
        .results_ready()
        .with_closed_on()
        .order_by()
        .values_list(  # type: ignore[misc]  # closed_on: with_closed_on's annotation
            "id", "team_id", "title", "closed_on", "min_responses", "data_version"
        )
    )
    rounds = frame(
        rows,
        [
            "round_id",
            "team_id",
            "title",
            "closed_at",
            "min_responses",
            "data_version",
        ],
    )
    rounds["closed_at"] = pd.to_datetime(rounds["closed_at"], utc=True)
    fields = RoundFigure.CHECKIN_FIELDS
    counts = list(
        RoundFigure.objects.filter(round__in=_ready_rounds(coach))
        .order_by()
        .values_list("round_id", "perspective", "responses", *fields.values())
    )
    values, is_team = _int_columns(counts, text_column=1)
    team = values[is_team]
    stakeholder = values[~is_team]
    ids = rounds["round_id"].to_numpy()
    rounds["team_responses"] = _lookup(ids, team[:, 0], team[:, 1])
    rounds["stakeholder_responses"] = _lookup(ids, stakeholder[:, 0], stakeholder[:, 1])
    checkins = _checkin_frame([(int(r[0]), *(int(n) for n in r[2:])) for r in team])
    return rounds[[*ROUND_COLUMNS, "data_version"]], checkins


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
    dashboard's cache key depends on (``versions``, as ``round_versions`` gives
    them) and the rounds it shows, as the driver gives them (id, team, title,
    minimum, version, closing time)."""

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


def _lookup(ids: np.ndarray, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` at ``keys`` for each of ``ids``, 0 where a key is missing."""
    found = pd.Series(values, index=keys)
    return found.reindex(ids, fill_value=0).to_numpy(dtype=np.int64)


def figures_key(
    kind: str, rounds: pd.DataFrame | Sequence[RoundVersion], extra: object
) -> str:
    """The cache key of ``kind`` computed from these rounds in their current
    versions (a frame as from ``closed_rounds``, or ``round_versions``), whatever
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


def round_figures(coach: User) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The dimension scores and the check-ins of the coach's closed rounds, from
    the figures kept at release. Two queries; the dashboard caches what it makes
    of them (``cached``)."""
    return dimension_scores(coach), team_checkins(coach)


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
