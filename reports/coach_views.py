"""The coach's pages: patterns across the teams that share with the signed-in user.

No page takes a team from the URL: every figure comes from the user's own active
shares (``reports.coach_queries``), so there is no team to guess. A coach opens a
team's own report through the team's pages, which check the share
(``teams.access.get_team_for_reader``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_stubs_ext import StrOrPromise

from reports import coach_queries, coaching
from reports.coaching import ANY, UNTAGGED, Dimension, DimensionKey, Theme
from teams.access import AuthenticatedHttpRequest

KIND_LABELS: dict[str, StrOrPromise] = {
    "keep": _("Keep"),
    "stop": _("Stop"),
    "start": _("Start"),
}
CHECKIN_LABELS: dict[str, StrOrPromise] = {
    "underperforming": _("Underperforming"),
    "performing": _("Performing"),
    "high-performing": _("High-performing"),
    coaching.SPLIT: _("Split between two"),
}


@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = coach_queries.shared_teams(request.user)
    if not teams:
        return render(request, "reports/coach_dashboard.html", {"teams": teams})
    dims = coach_queries.dimensions()
    rounds = coach_queries.closed_rounds(request.user)
    scores = coach_queries.dimension_scores(request.user)
    checkins = coaching.checkin_summary(
        rounds, coach_queries.team_checkins(request.user)
    )
    ctx = {
        "teams": teams,
        "team_heatmap": coaching.heatmap(teams, rounds, scores, dims),
        "stakeholder_heatmap": coaching.heatmap(
            teams, rounds, scores, dims, coaching.STAKEHOLDER
        ),
        "patterns": coaching.weak_or_declining(rounds, scores, dims),
        "checkins": checkins,
        "checkin_rows": _checkin_rows(checkins),
        "movement": coaching.movement(rounds, scores, dims),
        "teams_sharing_notes": sum(t.include_notes for t in teams),
    }
    return render(request, "reports/coach_dashboard.html", ctx)


def _checkin_rows(
    summary: coaching.CheckinSummary,
) -> list[tuple[StrOrPromise, int, int | None]]:
    """(label, teams, answers) per check-in; answers is None for "split"."""
    return [
        (
            CHECKIN_LABELS[key],
            summary.teams_by_checkin[key],
            summary.answers_by_checkin.get(key),
        )
        for key in (*coaching.CHECKINS, coaching.SPLIT)
    ]


@dataclass(frozen=True)
class ThemeLink:
    theme: Theme
    url: str


@dataclass(frozen=True)
class ThemeSection:
    kind: StrOrPromise
    dimension: StrOrPromise
    links: list[ThemeLink]


def _theme_data(
    request: AuthenticatedHttpRequest,
) -> tuple[list[Dimension], list[coaching.ThemeGroup], pd.DataFrame, int]:
    teams = coach_queries.shared_teams(request.user)
    dims = coach_queries.dimensions()
    rounds = coach_queries.closed_rounds(request.user)
    latest = coaching.latest_rounds(rounds)["round_id"].tolist()
    notes = coach_queries.shared_notes(request.user, latest)
    notes = coaching.visible_notes(notes, rounds, teams)
    sharing = sum(t.include_notes for t in teams)
    return dims, coaching.themes(notes, dims), notes, sharing


def _dimension_param(key: DimensionKey, dims: list[Dimension]) -> str:
    if isinstance(key, str):
        return key
    return next(d.slug for d in dims if d.builtin_id == key)


def _dimension_label(key: DimensionKey, dims: list[Dimension]) -> StrOrPromise:
    if key == UNTAGGED:
        return _("Not tagged with a framework dimension")
    if key == ANY:
        return _("Across dimensions")
    return next(d.label for d in dims if d.builtin_id == key)


@require_GET
def themes(request: AuthenticatedHttpRequest) -> HttpResponse:
    dims, groups, notes, sharing = _theme_data(request)
    base = reverse("coach:theme_notes")
    sections = [
        ThemeSection(
            kind=KIND_LABELS[group.kind],
            dimension=_dimension_label(group.dimension, dims),
            links=[
                ThemeLink(theme, f"{base}?{_theme_query(theme, dims)}")
                for theme in group.themes
            ],
        )
        for group in groups
    ]
    ctx = {
        "sections": sections,
        "teams_sharing_notes": sharing,
        "min_teams": coaching.THEME_MIN_TEAMS,
    }
    return render(request, "reports/coach_themes.html", ctx)


def _theme_query(theme: Theme, dims: list[Dimension]) -> str:
    dimension = _dimension_param(theme.dimension, dims)
    return urlencode({"kind": theme.kind, "dimension": dimension, "term": theme.key})


@require_GET
def theme_notes(request: AuthenticatedHttpRequest) -> HttpResponse:
    dims, groups, notes, sharing = _theme_data(request)
    dimension: DimensionKey = request.GET.get("dimension", "")
    if dimension not in (UNTAGGED, ANY):
        dimension = next((d.builtin_id for d in dims if d.slug == dimension), -1)
    theme = coaching.find_theme(
        groups, request.GET.get("kind", ""), dimension, request.GET.get("term", "")
    )
    if theme is None:
        # Below three teams, or no longer shared: not a theme, nothing to open.
        raise Http404
    ctx = {
        "theme": theme,
        "kind": KIND_LABELS[theme.kind],
        "dimension": _dimension_label(theme.dimension, dims),
        "notes": coaching.notes_behind(notes, theme),
    }
    return render(request, "reports/coach_theme_notes.html", ctx)
