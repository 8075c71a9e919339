"""Every read of a team's archive (``moving.archive``): the team's own rows, and
its released answers as counts and unlinked texts, never one row per answer.

Each function is one query, whatever the number of rounds or answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Count, Sum, Value

from assessments.models import (
    Action,
    Channel,
    Note,
    NoteTheme,
    Perspective,
    Rating,
    Response,
    Round,
    RoundDimension,
    RoundMetric,
    SourceFigure,
    StakeholderGroup,
    TeamDimension,
    TeamSchedule,
)
from retro.models import RetroSession, RotiCount, VoteCount
from teams.models import AccessLogEntry, ActivityEntry, Membership, Team


def members(team: Team) -> list[Membership]:
    return list(
        Membership.objects.filter(team=team).select_related("user").order_by("joined")
    )


def dimensions(team: Team) -> list[TeamDimension]:
    return list(
        TeamDimension.objects.filter(team=team)
        .select_related("builtin")
        .order_by("position", "id")
    )


def stakeholder_groups(team: Team) -> list[StakeholderGroup]:
    return list(StakeholderGroup.objects.filter(team=team).order_by("position", "id"))


def schedule(team: Team) -> TeamSchedule | None:
    return TeamSchedule.objects.filter(team=team).first()


def rounds(team: Team) -> list[Round]:
    """The team's rounds, oldest first."""
    return list(Round.objects.filter(team=team).order_by("created", "id"))


def round_dimensions(round_ids: Sequence[int]) -> list[RoundDimension]:
    return list(
        RoundDimension.objects.filter(round_id__in=list(round_ids))
        .select_related("builtin", "team_dimension")
        .order_by("round_id", "position", "id")
    )


def response_counts(round_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(round_id, perspective, relationship, checkin, release, n): how many
    released answers of each kind, never one row per answer."""
    return list(
        Response.objects.filter(round_id__in=list(round_ids))
        .values_list("round_id", "perspective", "relationship", "checkin", "release")
        .annotate(n=Count("id"))
        .order_by("round_id", "perspective", "relationship", "checkin", "release")
    )


def rating_counts(round_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(round_id, dimension code, perspective, relationship, release, level, n)."""
    return list(
        Rating.objects.filter(dimension__round_id__in=list(round_ids))
        .values_list(
            "dimension__round_id",
            "dimension__code",
            "response__perspective",
            "response__relationship",
            "response__release",
            "level",
        )
        .annotate(n=Count("id"))
        .order_by(
            "dimension__round_id",
            "dimension__code",
            "response__perspective",
            "response__relationship",
            "response__release",
            "level",
        )
    )


def channel_counts(round_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(round_id, perspective, channel, n): counts per round, as the round page
    shows them; never a channel per answer. The stakeholders' as counted at
    release (``SourceFigure``: no released answer has a channel), the team's
    answers all by the member channel."""
    ids = list(round_ids)
    kept = (
        SourceFigure.objects.filter(
            round_id__in=ids,
            source__in=[SourceFigure.Source.LINK, SourceFigure.Source.INVITATION],
        )
        .values_list("round_id", "perspective", "source")
        .annotate(n=Sum("answers"))
        .order_by()
    )
    members = (
        Response.objects.filter(round_id__in=ids, perspective=Perspective.TEAM)
        .annotate(channel=Value(Channel.MEMBER.value))
        .values_list("round_id", "perspective", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    return sorted(row for row in [*kept, *members] if row[3])


def notes(round_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(round_id, perspective, kind, text, dimension code, theme code), sorted by
    their text: the order says nothing about who wrote them or when."""
    return list(
        Note.objects.filter(round_id__in=list(round_ids))
        .values_list(
            "round_id",
            "response__perspective",
            "kind",
            "text",
            "dimension__code",
            "theme__code",
        )
        .order_by("round_id", "kind", "text", "dimension__code", "theme__code")
    )


def comments(round_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(round_id, perspective, dimension code, comment) of non-empty comments."""
    return list(
        Rating.objects.filter(dimension__round_id__in=list(round_ids))
        .exclude(comment="")
        .values_list(
            "dimension__round_id", "response__perspective", "dimension__code", "comment"
        )
        .order_by("dimension__round_id", "dimension__code", "comment")
    )


def checkin_reasons(round_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(round_id, perspective, reason) of non-empty check-in reasons."""
    return list(
        Response.objects.filter(round_id__in=list(round_ids))
        .exclude(checkin_reason="")
        .values_list("round_id", "perspective", "checkin_reason")
        .order_by("round_id", "checkin_reason")
    )


def themes(round_ids: Sequence[int]) -> list[NoteTheme]:
    return list(
        NoteTheme.objects.filter(round_id__in=list(round_ids))
        .select_related("dimension")
        .order_by("round_id", "label", "id")
    )


def metrics(round_ids: Sequence[int]) -> list[RoundMetric]:
    return list(
        RoundMetric.objects.filter(round_id__in=list(round_ids)).order_by(
            "round_id", "kind", "name"
        )
    )


def actions(team: Team) -> list[Action]:
    return list(
        Action.objects.filter(team=team)
        .select_related(
            "round", "dimension", "team_dimension", "owner__user", "reviewed_in"
        )
        .order_by("created", "id")
    )


def retros(round_ids: Sequence[int]) -> list[RetroSession]:
    return list(RetroSession.objects.filter(round_id__in=list(round_ids)))


def vote_counts(round_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(round_id, dimension code, count) of closed votes."""
    return list(
        VoteCount.objects.filter(session__round_id__in=list(round_ids))
        .values_list("session__round_id", "dimension__code", "count")
        .order_by("session__round_id", "dimension__code")
    )


def roti_counts(round_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(round_id, score, count) of closed "was this worth our time?" answers."""
    return list(
        RotiCount.objects.filter(session__round_id__in=list(round_ids))
        .values_list("session__round_id", "score", "count")
        .order_by("session__round_id", "score")
    )


def activity(team: Team) -> list[ActivityEntry]:
    return list(ActivityEntry.objects.filter(team=team).order_by("at", "id"))


def access_log(team: Team) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(team=team).order_by("at", "id"))


def verified_users(addresses: Sequence[str]) -> dict[str, Any]:
    """Lower-cased address -> the account whose proven address it is. Only a
    verified address links a person to a team (an invitation's label is not
    proof)."""
    found = EmailAddress.objects.filter(
        email__in=list(addresses), verified=True
    ).select_related("user")
    return {address.email.lower(): address.user for address in found}
