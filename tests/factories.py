"""Build rounds and anonymous answers directly, for tests that need data in place.

Views and services that *store* answers are tested through their own pages; these
helpers only set the scene for reading (reports, coach dashboards, progress), except
``stakeholders_answer``, which sends answers through the answer service (sealed until
their round's release) for tests of the release itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.utils import timezone

from assessments import services, tallies
from assessments.models import (
    Eligibility,
    Note,
    Participation,
    Rating,
    Response,
    Round,
    RoundDimension,
    SourceFigure,
    TeamDimension,
)
from assessments.services import Answers, RatingAnswer
from teams.models import Team


def make_round(
    team: Team,
    *,
    title: str = "Q1 check-in",
    state: str = Round.State.OPEN,
    min_responses: int = 3,
    dimensions: int | Sequence[TeamDimension] | None = None,
) -> Round:
    """A round snapshotting the team's dimensions: all of them, the first N, or the
    given ones in the given order. An open or closed round has its roster, as
    ``services.round_open`` writes it: the team's members now."""
    now = timezone.now()
    round = Round.objects.create(
        team=team,
        title=title,
        state=state,
        min_responses=min_responses,
        opened_at=now if state != Round.State.DRAFT else None,
        closed_at=now if state == Round.State.CLOSED else None,
    )
    chosen: Sequence[TeamDimension]
    if dimensions is None or isinstance(dimensions, int):
        chosen = list(team.dimensions.active().order_by("position")[:dimensions])
    else:
        chosen = dimensions
    RoundDimension.snapshot(round, chosen)
    if state != Round.State.DRAFT:
        Eligibility.objects.bulk_create(
            Eligibility(round=round, user_id=user_id)
            for user_id in team.memberships.values_list("user_id", flat=True)
        )
    return round


def add_response(
    round: Round,
    levels: Sequence[int | None] | None = None,
    *,
    perspective: str = Response.Perspective.TEAM,
    relationship: str = "",
    checkin: str = "",
    checkin_reason: str = "",
    comments: Sequence[str] | None = None,
    notes: Iterable[tuple[str, str] | tuple[str, str, int]] = (),
    channel: str = "",
    release: int = 1,
    by: User | None = None,
) -> Response:
    """One anonymous response, as released. ``levels[i]`` answers the round's i-th
    dimension (None is "don't know"); ``notes`` are (kind, text) or (kind, text,
    position). ``by``: the member who answered, recorded as a ``Participation`` (as
    the answer service does, with no link to the response), for pages that count
    turnout."""
    if by is not None:
        Participation.objects.create(round=round, user=by)
    dims = list(round.dimensions.order_by("position"))
    if not channel:
        team = perspective == Response.Perspective.TEAM
        channel = Response.Channel.MEMBER if team else Response.Channel.LINK
    if channel != Response.Channel.MEMBER:
        # How it came in is counted at release, not kept with the answer.
        SourceFigure.objects.create(
            round=round,
            release=release,
            perspective=perspective,
            source=channel,
            answers=1,
        )
    response = Response.objects.create(
        round=round,
        perspective=perspective,
        release=release,
        relationship=relationship,
        checkin=checkin,
        checkin_reason=checkin_reason,
    )
    if levels is not None:
        Rating.objects.bulk_create(
            Rating(
                response=response,
                dimension=dim,
                level=level,
                comment=(comments[i] if comments and i < len(comments) else ""),
            )
            for i, (dim, level) in enumerate(zip(dims, levels, strict=False))
        )
    by_position = {d.position: d for d in dims}
    Note.objects.bulk_create(
        Note(
            response=response,
            round=round,
            kind=note[0],
            text=note[1],
            dimension=by_position.get(note[2]) if len(note) > 2 else None,  # type: ignore[misc]
        )
        for note in notes
    )
    round.bump_data_version()
    # As a release does: the round's figures follow its released rows.
    tallies.keep_for([round.pk])
    return response


def put_on_roster(round: Round, *users: User) -> None:
    """Add members to a round's roster as if they had been in the team when it
    opened (for tests that add members after making the round)."""
    Eligibility.objects.bulk_create(Eligibility(round=round, user=u) for u in users)


def stakeholders_answer(round: Round, n: int, level: int = 2) -> None:
    """``n`` stakeholders answer every dimension of the round with ``level``, through
    the answer service: held sealed until the round's release, as a link's are."""
    dims = list(round.dimensions.all())
    for _ in range(n):
        services.response_submit(
            round=round,
            perspective=Response.Perspective.STAKEHOLDER,
            answers=Answers(ratings=[RatingAnswer(d, level, "") for d in dims]),
        )
