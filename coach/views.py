"""The coach's pages: patterns across the teams that share with the signed-in user.

No page takes a team from the URL: every figure comes from the user's own active
shares (``coach.selectors``), so there is no team to guess. A coach opens a
team's own report through the team's pages, which check the share
(``teams.access.get_team_for_reader``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from urllib.parse import urlencode

from django.core.cache import cache as django_cache
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_stubs_ext import StrOrPromise

from assessments.caching import compute_once
from assessments.models import Checkin, NoteKind
from coach import patterns, selectors
from coach.patterns import Dimension
from coach.themes import THEME_MIN_TEAMS, RecurringTheme, find, recurring_themes
from reports import scale
from teams.access import AuthenticatedHttpRequest
from teams.templatetags.bidi import bidi

KIND_LABELS: dict[str, StrOrPromise] = dict(NoteKind.choices)
CHECKIN_LABELS: dict[str, StrOrPromise] = {
    **dict(Checkin.choices),
    patterns.SPLIT: _("Split between two"),
}
# The thresholds the dashboard explains, from the code that applies them.
THRESHOLDS = {
    "weak_below": patterns.WEAK_BELOW,
    "strong_from": patterns.STRONG_FROM,
    "meeting_from": scale.MEETING_FROM,
    "decline_at_least": patterns.DECLINE_AT_LEAST,
}


# Teams per page of the heatmaps: a table a person can read. The summary above
# each heatmap covers all the teams.
TEAMS_PER_PAGE = 50


# Raised whenever DashboardPatterns changes shape: entries cached by another version
# of the code are then never read.
FIGURES_LAYOUT = 4


def _figures(
    request: AuthenticatedHttpRequest,
    teams: list[patterns.SharedTeam],
    dims: list[Dimension],
    ready: selectors.ReadyRounds,
) -> patterns.DashboardPatterns:
    rows = selectors.dashboard_rows(request.user, ready)
    return patterns.dashboard(teams, rows.rounds, rows.checkins, rows.levels, dims)


FRAGMENT_TEMPLATE = "coach/dashboard_figures.html"


@cache
def _fragment_version() -> str:
    """A digest of the templates the cached fragment is rendered from: a deploy
    that changes them never serves a fragment rendered by the old ones."""
    sources = [
        get_template(name).template.source  # type: ignore[attr-defined]
        for name in (FRAGMENT_TEMPLATE, "coach/heatmap.html")
    ]
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()[:16]


def _fragment(
    request: AuthenticatedHttpRequest,
    teams: list[patterns.SharedTeam],
    page: Page[patterns.SharedTeam],
    ready: selectors.ReadyRounds,
    key: str,
) -> str:
    """The figures' part of the page (heatmaps, summaries, patterns, check-ins,
    movement) as HTML, rendered once per version of the figures (``key``), page,
    page size and time zone; the key already names the language."""
    fragment_key = (
        f"{key}:page:{page.number}:{page.paginator.per_page}"
        f":{timezone.get_current_timezone_name()}:{_fragment_version()}"
    )
    found: str | None = django_cache.get(fragment_key)
    if found is not None:
        return found
    dims = selectors.dimensions()
    figures = compute_once(
        key, lambda: _figures(request, teams, dims, ready), selectors.CACHE_SECONDS
    )
    ids = {t.team_id for t in page.object_list}
    ctx = {
        "page": page,
        "page_range": list(page.paginator.get_elided_page_range(page.number)),
        "team_heatmap": _heat_table(
            patterns.heat_page(figures.team_heatmap, ids), _("members answered")
        ),
        "stakeholder_heatmap": _heat_table(
            patterns.heat_page(figures.stakeholder_heatmap, ids),
            _("stakeholders answered"),
        ),
        "team_summary": _summary_rows(figures.team_summary),
        "stakeholder_summary": _summary_rows(figures.stakeholder_summary),
        "patterns": figures.patterns,
        "checkins": figures.checkins,
        "checkin_rows": _checkin_rows(figures.checkins),
        "movement": figures.movement,
        **THRESHOLDS,
    }
    html = render_to_string(FRAGMENT_TEMPLATE, ctx)
    django_cache.set(fragment_key, html, selectors.CACHE_SECONDS)
    return html


@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = selectors.shared_teams(request.user)
    if not teams:
        return render(request, "coach/dashboard.html", {"teams": teams})
    order = sorted(teams, key=lambda t: (t.name.casefold(), t.code))
    paginator = Paginator(order, TEAMS_PER_PAGE)
    asked = request.GET.get("page")
    page = paginator.get_page(paginator.num_pages if asked == "last" else asked)
    ready = selectors.ready_rounds(request.user)
    key = selectors.figures_key(
        f"dashboard:{FIGURES_LAYOUT}",
        ready.versions,
        (
            [(t.team_id, t.name, t.code) for t in teams],
            # Closing times order the rounds (a team's latest, the quarters): a
            # reopen and a close without a release changes nothing else.
            [(row[0], row[5]) for row in ready.rows],
        ),
    )
    ctx = {
        "teams": teams,
        # Safe: rendered by our own template, which escapes what it shows.
        "figures": mark_safe(_fragment(request, teams, page, ready, key)),
        "teams_sharing_notes": sum(t.include_notes for t in teams),
    }
    return render(request, "coach/dashboard.html", ctx)


@dataclass(frozen=True)
class SummaryTable:
    summary: patterns.HeatSummary
    # (dimension, [(band, teams)]) in the order of ``patterns.BANDS``
    rows: list[tuple[Dimension, list[tuple[str, int]]]]


def _summary_rows(summary: patterns.HeatSummary) -> SummaryTable:
    return SummaryTable(
        summary,
        [
            (row.dimension, list(zip(patterns.BANDS, row.counts, strict=True)))
            for row in summary.rows
        ],
    )


@dataclass(frozen=True)
class HeatTable:
    heatmap: patterns.Heatmap
    # Each row of the page as HTML
    rows: list[SafeString]


def _heat_table(heatmap: patterns.Heatmap, responses_label: StrOrPromise) -> HeatTable:
    """The heatmap with each row already rendered: a coach with hundreds of teams
    has thousands of cells, which the template engine renders slowly. The same
    markup as a template would write: names and titles escaped and isolated
    (``bidi``), the closing date in the reader's format and time zone."""
    overview = _overview_url()
    label = escape(responses_label)
    rows = []
    for row in heatmap.rows:
        name = bidi(row.team.name)
        if overview:
            link = escape(overview.replace(PLACEHOLDER, row.team.code))
            name = SafeString(f'<a href="{link}">{name}</a>')
        closed = "" if row.closed_at is None else date_format(localtime(row.closed_at))
        # Bands are fixed class names and texts are formatted numbers.
        cells = "".join(
            f'<td class="{c.band} text-center">{c.text}</td>' for c in row.cells
        )
        rows.append(
            SafeString(
                f'<tr>\n    <th scope="row">{name}</th>\n'
                f'    <td class="small">{bidi(row.round_title)}<br>'
                f'<span class="text-body-secondary">{escape(closed)} · '
                f"{escape(localize(row.responses))} {label}</span></td>\n"
                f"    {cells}\n  </tr>"
            )
        )
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
    summary: patterns.CheckinSummary,
) -> list[tuple[StrOrPromise, int, int | None]]:
    """(label, teams, answers) per check-in; answers is None for "split"."""
    return [
        (
            CHECKIN_LABELS[key],
            summary.teams_by_checkin[key],
            summary.answers_by_checkin.get(key),
        )
        for key in (*patterns.CHECKINS, patterns.SPLIT)
    ]


@dataclass(frozen=True)
class ThemeLink:
    theme: RecurringTheme
    url: str


@dataclass(frozen=True)
class ThemeSection:
    dimension: StrOrPromise
    links: list[ThemeLink]


def _theme_data(
    request: AuthenticatedHttpRequest,
) -> tuple[list[Dimension], list[RecurringTheme], int]:
    """The recurring themes across the teams that share their notes, cached for
    the rounds they come from in their current versions."""
    teams = selectors.shared_teams(request.user)
    dims = selectors.dimensions()
    rounds = patterns.qualifying_rounds(selectors.closed_rounds(request.user))
    sharing = sorted(t.team_id for t in teams if t.include_notes)

    def compute() -> list[RecurringTheme]:
        found = selectors.confirmed_themes(request.user, rounds)
        return recurring_themes(found)

    recurring = selectors.cached("confirmed-themes", rounds, sharing, compute)
    return dims, recurring, len(sharing)


def _dimension_name(key: object, dims: list[Dimension]) -> StrOrPromise:
    found = next((d.label for d in dims if d.builtin_id == key), None)
    return found or _("Not tagged with a framework dimension")


@require_GET
def themes(request: AuthenticatedHttpRequest) -> HttpResponse:
    dims, recurring, sharing = _theme_data(request)
    order = {d.builtin_id: i for i, d in enumerate(dims)}
    recurring = sorted(recurring, key=lambda t: order.get(t.dimension, len(order)))  # type: ignore[call-overload]
    base = reverse("coach:theme_notes")
    sections = [
        ThemeSection(
            dimension=_dimension_name(dimension, dims),
            links=[
                ThemeLink(t, f"{base}?{urlencode({'theme': t.key})}") for t in group
            ],
        )
        for dimension, group in groupby(recurring, key=lambda t: t.dimension)
    ]
    ctx = {
        "sections": sections,
        "teams_sharing_notes": sharing,
        "min_teams": THEME_MIN_TEAMS,
    }
    return render(request, "coach/themes.html", ctx)


@require_GET
def theme_notes(request: AuthenticatedHttpRequest) -> HttpResponse:
    dims, recurring, sharing = _theme_data(request)
    theme = find(recurring, request.GET.get("theme", ""))
    if theme is None:
        # Below three teams, or no longer shared: not a theme, nothing to open.
        raise Http404
    ctx = {
        "theme": theme,
        "dimension": _dimension_name(theme.dimension, dims),
        "notes": selectors.theme_note_texts(theme.theme_ids),
    }
    return render(request, "coach/theme_notes.html", ctx)
