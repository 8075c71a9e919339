"""``figures.compute`` (plain Python over the rows, for speed) gives exactly the
frames of ``figures.compute_reference`` (the pandas functions step by step), on
random rounds: several rounds, team and stakeholders in random relationship groups,
"don't know", missing check-ins, minimums from 1 to 6, grouped rows (n > 1) as
the database returns them. No database."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from reports import figures as fig

LABELS = ["", "Leadership", "Customer", "Peer"]


@st.composite
def rounds(draw: st.DrawFn) -> tuple[dict[int, int], pd.DataFrame, pd.DataFrame]:
    minimums = {
        round_id: draw(st.integers(min_value=1, max_value=6))
        for round_id in draw(st.sets(st.integers(1, 4), min_size=1, max_size=3))
    }
    responses, ratings = [], []
    for round_id in minimums:
        for _ in range(draw(st.integers(0, 6))):
            perspective = draw(st.sampled_from([fig.TEAM, fig.STAKEHOLDER]))
            relationship = (
                draw(st.sampled_from(LABELS)) if perspective == fig.STAKEHOLDER else ""
            )
            checkin = draw(st.sampled_from([*fig.CHECKINS, ""]))
            n = draw(st.integers(1, 5))
            responses.append((round_id, perspective, relationship, checkin, n))
            for dimension in range(2):
                level = draw(st.sampled_from([1, 2, 3, None]))
                ratings.append(
                    (
                        round_id,
                        round_id * 10 + dimension,
                        perspective,
                        relationship,
                        level,
                        n,
                    )
                )
    # A round asked for with no rows at all, and rows of a round not asked for.
    responses.append((99, fig.TEAM, "", "performing", 4))
    ratings.append((99, 990, fig.TEAM, "", 2, 4))
    response_frame = pd.DataFrame.from_records(
        responses, columns=["round_id", "perspective", "relationship", "checkin", "n"]
    )
    rating_frame = pd.DataFrame.from_records(
        ratings,
        columns=[
            "round_id",
            "dimension_id",
            "perspective",
            "relationship",
            "level",
            "n",
        ],
    )
    return minimums, response_frame, rating_frame


def _same(a: fig.Figures, b: fig.Figures) -> None:
    for name in ("sizes", "stats", "checkins", "gaps"):
        pd.testing.assert_frame_equal(
            getattr(a, name).reset_index(drop=True),
            getattr(b, name).reset_index(drop=True),
            check_dtype=True,
            obj=name,
        )


@given(rounds())
def test_compute_equals_the_pandas_reference(
    case: tuple[dict[int, int], pd.DataFrame, pd.DataFrame],
) -> None:
    minimums, responses, ratings = case
    dimensions = pd.DataFrame({"dimension_id": [], "key": []})
    args = {
        "dimensions": dimensions,
        "ratings": ratings,
        "responses": responses,
        "minimums": minimums,
    }
    fast = fig.compute(**args)
    _same(fast, fig.compute_reference(**args))
    # With the sizes handed in, as the team overview does.
    _same(fig.compute(**args, sizes=fast.sizes), fast)
