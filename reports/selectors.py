"""Every query of a team's report: rows for ``reports.figures``, fetched in a fixed
number of queries.

Counting happens in the database (GROUP BY): a round of 10,000 answers comes back as
a few dozen rows, and no row ever stands for one person. Every function here makes
one query, whatever the number of rounds, dimensions or answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from django.db.models import Count

from assessments import selectors as round_selectors
from assessments.framework_texts import builtin_text
from assessments.models import Note, Rating, Response, Round, RoundDimension
from reports.figures import frame
from teams.models import Team

RATING_COLUMNS = [
    "round_id",
    "dimension_id",
    "builtin_id",
    "team_dimension_id",
    "perspective",
    "relationship",
    "level",
    "release",
    "n",
]
RESPONSE_COLUMNS = [
    "round_id",
    "perspective",
    "relationship",
    "checkin",
    "release",
    "n",
]
DIMENSION_COLUMNS = [
    "dimension_id",
    "round_id",
    "builtin_id",
    "team_dimension_id",
    "name",
    "short_name",
    "position",
    "prompt",
]


def fetch_rating_rows(round_ids: Iterable[int]) -> pd.DataFrame:
    """How many answers gave each level to each round dimension, per perspective
    and relationship (one query). Columns: round_id, dimension_id, builtin_id,
    team_dimension_id, perspective, relationship, level (missing = "don't know"),
    release (the batch it was released in), n."""
    rows = (
        Rating.objects.filter(dimension__round_id__in=list(round_ids))
        .values_list(
            "dimension__round_id",
            "dimension_id",
            "dimension__builtin_id",
            "dimension__team_dimension_id",
            "response__perspective",
            "response__relationship",
            "level",
            "response__release",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    return frame(rows, RATING_COLUMNS)


def fetch_response_rows(round_ids: Iterable[int]) -> pd.DataFrame:
    """How many responses of each perspective and relationship gave each overall
    check-in, by the batch they were released in (one query). Columns: round_id,
    perspective, relationship, checkin, release, n."""
    rows = (
        Response.objects.filter(round_id__in=list(round_ids))
        .values_list("round_id", "perspective", "relationship", "checkin", "release")
        .annotate(n=Count("id"))
        .order_by()
    )
    return frame(rows, RESPONSE_COLUMNS)


def fetch_dimension_rows(round_ids: Iterable[int]) -> pd.DataFrame:
    """The rounds' dimensions in order (one query). Columns: dimension_id,
    round_id, builtin_id, team_dimension_id, name, short_name, position, prompt,
    label, key. ``key`` identifies the same dimension across a team's rounds: its team
    dimension, or the round dimension itself if that was deleted."""
    rows = (
        RoundDimension.objects.filter(round_id__in=list(round_ids))
        .order_by("round_id", "position", "id")
        .values_list(
            "id",
            "round_id",
            "builtin_id",
            "team_dimension_id",
            "name",
            "short_name",
            "position",
            "prompt",
        )
    )
    dims = frame(rows, DIMENSION_COLUMNS)
    # Built-in texts in the reader's language, a team's own wording as written
    # (docs/languages.md); whatever caches this frame keys it on the language.
    builtin = dims["builtin_id"].notna()
    for field in ("name", "short_name", "prompt"):
        dims[field] = [
            builtin_text(field, str(text)) if is_builtin else text
            for text, is_builtin in zip(dims[field], builtin, strict=True)
        ]
    dims["label"] = dims["short_name"].where(dims["short_name"] != "", dims["name"])
    dims["key"] = [
        f"team-dimension:{int(td)}" if pd.notna(td) else f"round-dimension:{rd}"
        for td, rd in zip(dims["team_dimension_id"], dims["dimension_id"], strict=True)
    ]
    return dims


def team_rounds(team: Team) -> list[Round]:
    """The team's rounds, oldest first (one query)."""
    return list(Round.objects.filter(team=team).order_by("created", "id"))


def round_notes(
    round: Round, perspectives: Sequence[str]
) -> list[tuple[str, str, int | None, str]]:
    """(kind, text, dimension_id, perspective) of the round's notes written from
    these perspectives, in no meaningful order (one query)."""
    return list(
        Note.objects.filter(
            round=round, response__perspective__in=list(perspectives)
        ).values_list("kind", "text", "dimension_id", "response__perspective")
    )


def round_comments(
    round: Round, perspectives: Sequence[str]
) -> list[tuple[int, str, str]]:
    """(dimension_id, perspective, comment) of the round's non-empty comments from
    these perspectives (one query)."""
    return list(
        Rating.objects.filter(
            dimension__round=round, response__perspective__in=list(perspectives)
        )
        .exclude(comment="")
        .values_list("dimension_id", "response__perspective", "comment")
    )


def checkin_reasons(round: Round, perspectives: Sequence[str]) -> list[tuple[str, str]]:
    """(perspective, reason) of the round's check-in reasons from these perspectives
    (one query)."""
    return list(
        Response.objects.filter(round=round, perspective__in=list(perspectives))
        .exclude(checkin_reason="")
        .values_list("perspective", "checkin_reason")
    )


def rounds_notes(
    round_ids: Sequence[int], perspectives: Iterable[str]
) -> list[tuple[int, str, str, int | None, str]]:
    """(round_id, kind, text, dimension_id, perspective) of these rounds' notes
    written from these perspectives, in no meaningful order (one query)."""
    return list(
        Note.objects.filter(
            round_id__in=list(round_ids), response__perspective__in=list(perspectives)
        ).values_list(
            "round_id", "kind", "text", "dimension_id", "response__perspective"
        )
    )


def rounds_comments(
    round_ids: Sequence[int], perspectives: Iterable[str]
) -> list[tuple[int, int, str, str]]:
    """(round_id, dimension_id, perspective, comment) of these rounds' non-empty
    comments from these perspectives (one query)."""
    return list(
        Rating.objects.filter(
            dimension__round_id__in=list(round_ids),
            response__perspective__in=list(perspectives),
        )
        .exclude(comment="")
        .values_list(
            "dimension__round_id", "dimension_id", "response__perspective", "comment"
        )
    )


def rounds_checkin_reasons(
    round_ids: Sequence[int], perspectives: Iterable[str]
) -> list[tuple[int, str, str]]:
    """(round_id, perspective, reason) of these rounds' check-in reasons from these
    perspectives (one query)."""
    return list(
        Response.objects.filter(
            round_id__in=list(round_ids), perspective__in=list(perspectives)
        )
        .exclude(checkin_reason="")
        .values_list("round_id", "perspective", "checkin_reason")
    )


def turnout(
    round: Round, *, compared_with: Round | None = None
) -> round_selectors.Turnout:
    """ "n of m members answered" from the round's roster, as every page counts
    it, and who answered only one of it and ``compared_with`` (one query:
    ``assessments.selectors.turnout``)."""
    return round_selectors.turnout(round, compared_with=compared_with)


def turnouts(
    pairs: Sequence[tuple[Round, Round | None]],
) -> dict[int, round_selectors.Turnout]:
    """``turnout`` of many rounds, each against the round it is compared with, in
    two queries (``assessments.selectors.turnouts``)."""
    return round_selectors.turnouts(pairs)
