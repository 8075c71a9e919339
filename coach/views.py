"""The coach's pages: patterns across the teams that share with the signed-in user.

No page takes a team from the URL: every figure comes from the user's own active
shares (``coach.selectors``), so there is no team to guess. A coach opens a
team's own report through the team's pages, which check the share
(``teams.access.get_team_for_reader``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_stubs_ext import StrOrPromise

from coach import patterns as coaching
from coach import selectors as coach_queries
from coach.patterns import ANY, UNTAGGED, Dimension, DimensionKey, Theme
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
        return render(request, "coach/dashboard.html", {"teams": teams})
    dims = coach_queries.dimensions()
    rounds = coach_queries.closed_rounds(request.user)
    scores, checkin_rows = coach_queries.round_figures(request.user, rounds)
    checkins = coaching.checkin_summary(rounds, checkin_rows)
    ctx = {
        "teams": teams,
        "team_heatmap": _heat_table(coaching.heatmap(teams, rounds, scores, dims)),
        "stakeholder_heatmap": _heat_table(
            coaching.heatmap(teams, rounds, scores, dims, coaching.STAKEHOLDER)
        ),
        "patterns": coaching.weak_or_declining(rounds, scores, dims),
        "checkins": checkins,
        "checkin_rows": _checkin_rows(checkins),
        "movement": coaching.movement(rounds, scores, dims),
        "teams_sharing_notes": sum(t.include_notes for t in teams),
    }
    return render(request, "coach/dashboard.html", ctx)


@dataclass(frozen=True)
class HeatTable:
    heatmap: coaching.Heatmap
    # (row, link to the team's overview or "", the row's cells as HTML)
    rows: list[tuple[coaching.HeatRow, str, SafeString]]


def _heat_table(heatmap: coaching.Heatmap) -> HeatTable:
    """The heatmap with each row's cells already rendered: a coach with hundreds of
    teams has thousands of cells, which the template engine renders slowly."""
    overview = _overview_url()
    rows = [
        (
            row,
            overview.replace(PLACEHOLDER, row.team.code) if overview else "",
            # Safe: bands are fixed class names and texts are formatted numbers.
            mark_safe(
                "".join(
                    f'<td class="{c.band} text-center">{c.text}</td>' for c in row.cells
                )
            ),
        )
        for row in heatmap.rows
    ]
    return HeatTable(heatmap, rows)


PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def _overview_url() -> str:
    """The address of a team's overview (the team report) with a placeholder code,
    reversed once for all rows; "" if the reports app has none."""
    try:
        return reverse("reports:team", args=[PLACEHOLDER])
    except NoReverseMatch:
        return ""


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
    latest = coaching.latest_rounds(rounds)
    sharing = sorted(t.team_id for t in teams if t.include_notes)

    def compute() -> tuple[pd.DataFrame, list[coaching.ThemeGroup]]:
        rows = coach_queries.shared_notes(request.user, latest["round_id"].tolist())
        notes = coaching.visible_notes(rows, rounds, teams)
        return notes, coaching.themes(notes, dims)

    notes, groups = coach_queries.cached("themes", latest, sharing, compute)
    return dims, groups, notes, len(sharing)


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
    return render(request, "coach/themes.html", ctx)


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
    return render(request, "coach/theme_notes.html", ctx)
