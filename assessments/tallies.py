"""The figures kept at release: per round and perspective how many answered and
gave each check-in (``RoundFigure``), per dimension how many gave each level and
how many said "don't know" (``DimensionFigure``).

Readers that span many rounds (the coach's dashboard) read these few rows instead of
aggregating every rating on each view. They are counts only: no row per answer,
nothing that could be joined to who answered. ``answers_release`` rewrites a
round's figures in the transaction that releases its answers, so they change
exactly when the published results do (after a reopen: only once at least the
minimum of new answers came out, ``answers_release``'s rule). Whether a figure may
be *shown* is still decided when it is read (``assessments.disclosure``).

``keep`` takes the model classes so that the data migration that fills in the
figures of rounds released before they existed (``0009``) runs the same code with
its historical models.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q

from assessments import disclosure
from assessments.models import (
    Checkin,
    DimensionFigure,
    Rating,
    Response,
    RoundFigure,
)
from assessments.packed import pack_levels

LEVELS = (1, 2, 3)


def keep(
    round_ids: Sequence[int],
    *,
    round_figure: Any,
    dimension_figure: Any,
    response: Any,
    rating: Any,
) -> int:
    """Recompute the figures of these rounds from their released rows, replacing
    any kept before. Five queries for any number of rounds. Returns how many
    figure rows were written."""
    ids = list(round_ids)
    round_figure.objects.filter(round_id__in=ids).delete()
    dimension_figure.objects.filter(round_id__in=ids).delete()
    checkins = {value: Count("id", filter=Q(checkin=value)) for value in Checkin.values}
    groups = (
        response.objects.filter(round_id__in=ids)
        .values_list("round_id", "perspective", "release", "round__min_responses")
        .annotate(n=Count("id"), **checkins)
        .order_by()
    )
    # Release once, then freeze, inside a batch too (``disclosure.batches_taken``):
    # a reopen's batch moves the check-in tally only if it adds none or at least
    # the minimum of check-ins, a dimension's tally only if it adds none or at
    # least the minimum of levels; the number who answered grows by each batch.
    answered: dict[tuple[int, str], int] = {}
    given: dict[tuple[int, str], dict[int, list[int]]] = {}
    minimums: dict[int, int] = {}
    for round_id, perspective, release, minimum, n, *counts in groups:
        key = (round_id, perspective)
        minimums[round_id] = minimum
        answered[key] = answered.get(key, 0) + n
        batch = given.setdefault(key, {}).setdefault(release or 1, [0] * len(counts))
        for i, count in enumerate(counts):
            batch[i] += count
    figures = []
    for key, batches in given.items():
        cutoff = disclosure.batches_taken(
            {release: sum(counts) for release, counts in batches.items()},
            minimums[key[0]],
        )
        kept = [
            sum(counts[i] for release, counts in batches.items() if release <= cutoff)
            for i in range(len(Checkin.values))
        ]
        figures.append(
            round_figure(
                round_id=key[0],
                perspective=key[1],
                responses=answered[key],
                checkin_underperforming=kept[0],
                checkin_performing=kept[1],
                checkin_high_performing=kept[2],
            )
        )
    levels = {f"level_{n}": Count("id", filter=Q(level=n)) for n in LEVELS}
    tallies = (
        rating.objects.filter(dimension__round_id__in=ids)
        .values_list(
            "dimension__round_id",
            "dimension_id",
            "dimension__builtin_id",
            "response__perspective",
            "response__release",
        )
        .annotate(**levels, dont_know=Count("id", filter=Q(level__isnull=True)))
        .order_by()
    )
    per_dimension: dict[tuple[int, int, Any, str], dict[int, list[int]]] = {}
    for round_id, dimension_id, builtin_id, perspective, release, *counts in tallies:
        key4 = (round_id, dimension_id, builtin_id, perspective)
        batch = per_dimension.setdefault(key4, {}).setdefault(release or 1, [0] * 4)
        for i, count in enumerate(counts):
            batch[i] += count
    dimensions = []
    for (
        round_id,
        dimension_id,
        builtin_id,
        perspective,
    ), batches in per_dimension.items():
        cutoff = disclosure.batches_taken(
            {release: sum(counts[:3]) for release, counts in batches.items()},
            minimums.get(round_id, disclosure.MIN_RESPONSES_FLOOR),
        )
        level_1, level_2, level_3, dont_know = (
            sum(counts[i] for release, counts in batches.items() if release <= cutoff)
            for i in range(4)
        )
        dimensions.append(
            dimension_figure(
                round_id=round_id,
                dimension_id=dimension_id,
                builtin_id=builtin_id,
                perspective=perspective,
                level_1=level_1,
                level_2=level_2,
                level_3=level_3,
                dont_know=dont_know,
            )
        )
    # The built-in dimensions' tallies packed on each round figure as well (the
    # coach's dashboard reads those); a historical model without the column (the
    # data migration 0009) just ignores the attribute.
    packed: dict[tuple[int, str], list[tuple[int, int, int, int, int]]] = {}
    for figure in dimensions:
        if figure.builtin_id is not None:
            packed.setdefault((figure.round_id, figure.perspective), []).append(
                (
                    figure.builtin_id,
                    figure.dimension_id,
                    figure.level_1,
                    figure.level_2,
                    figure.level_3,
                )
            )
    for round_figure_row in figures:
        found = sorted(
            packed.get((round_figure_row.round_id, round_figure_row.perspective), ())
        )
        round_figure_row.builtin_levels = pack_levels(
            (b, one, two, three) for b, _dimension, one, two, three in found
        )
    round_figure.objects.bulk_create(figures, batch_size=1000)
    dimension_figure.objects.bulk_create(dimensions, batch_size=1000)
    return len(figures) + len(dimensions)


def keep_for(round_ids: Sequence[int]) -> int:
    """``keep`` with the current models."""
    return keep(
        round_ids,
        round_figure=RoundFigure,
        dimension_figure=DimensionFigure,
        response=Response,
        rating=Rating,
    )
