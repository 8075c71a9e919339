"""The team report of a round, the team overview, their charts and exports.

Readers are the team's members and coaches the team shares with (read-only; without
notes unless the share includes them). A round is found by its code and then access
is checked on its team, so an unknown round and another team's round both give 404.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.csp import CSP
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe
from matplotlib.figure import Figure

from assessments.models import Round
from reports import charts, exports
from reports.report import (
    RadarData,
    TeamOverview,
    build_round_report,
    build_team_overview,
    radar_data,
    round_context,
    team_rounds,
)
from teams.access import AuthenticatedHttpRequest, get_team_for_reader
from teams.models import CoachShare, Membership, Team

# Charts are keyed on the data's version, so a cached one is never stale; the
# timeout only frees memory.
CHART_TIMEOUT = 60 * 60 * 24 * 7
# matplotlib's SVG carries its own <style>; allow it in the image, nothing else.
SVG_CSP = {"default-src": [CSP.NONE], "style-src": [CSP.UNSAFE_INLINE]}


@dataclass(frozen=True)
class Reader:
    team: Team
    membership: Membership | None
    share: CoachShare | None

    @property
    def is_coach(self) -> bool:
        return self.membership is None

    @property
    def sees_notes(self) -> bool:
        return self.share is None or self.share.include_notes


def _get_reader(request: AuthenticatedHttpRequest, team_code: UUID | str) -> Reader:
    team, membership, share = get_team_for_reader(request, team_code)
    return Reader(team, membership, share)


def _get_round(
    request: AuthenticatedHttpRequest, code: UUID
) -> tuple[Round, list[Round], Reader]:
    """The round, its team's rounds (oldest first) and who is reading, or 404."""
    team_code = Round.objects.filter(code=code).values_list("team__code", flat=True)
    if not team_code:
        raise Http404
    reader = _get_reader(request, team_code[0])
    rounds = team_rounds(reader.team)
    round = next((r for r in rounds if r.code == code), None)
    if round is None:  # deleted in between
        raise Http404
    for r in rounds:
        r.team = reader.team
    return round, rounds, reader


def _chart_response(data: bytes, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=charts.FORMATS[fmt])
    response["Cache-Control"] = "private, max-age=300"
    return response


def draw_radar(data: RadarData) -> Figure:
    series = [
        charts.Series(label, values, style) for label, style, values in data.series
    ]
    return charts.radar(data.labels, series)


def radar_key(round: Round, previous: Round | None, fmt: str) -> str:
    before = f"{previous.code}:{previous.data_version}" if previous else "-"
    return ":".join(
        [
            "reports:radar",
            str(round.code),
            str(round.data_version),
            round.state,
            str(round.min_responses),
            before,
            fmt,
            get_language() or "",
        ]
    )


@require_safe
def round_report(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, rounds, reader = _get_round(request, code)
    report = build_round_report(round, rounds=rounds, show_notes=reader.sees_notes)
    ctx = {
        "report": report,
        "round": round,
        "team": reader.team,
        "reader": reader,
        "radar": radar_data(report),
    }
    return render(request, "reports/round.html", ctx)


@require_safe
@csp_override(SVG_CSP)
def radar(request: AuthenticatedHttpRequest, code: UUID, fmt: str) -> HttpResponse:
    round, rounds, reader = _get_round(request, code)
    context = round_context(round, rounds)
    if not context.has_results:
        raise Http404
    key = radar_key(round, context.previous, fmt)
    data = cache.get(key)
    if data is None:
        report = build_round_report(
            round, rounds=rounds, show_notes=False, texts=False, context=context
        )
        data = charts.render_figure(draw_radar(radar_data(report)), fmt)
        cache.set(key, data, CHART_TIMEOUT)
    return _chart_response(data, fmt)


def _attachment(
    round: Round, extension: str, content: bytes, content_type: str
) -> HttpResponse:
    """A download named after the team and the round."""
    name = slugify(f"{round.team.name} {round.title}") or "report"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="team-mirror-{name}.{extension}"'
    )
    return response


@require_safe
def round_csv(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, rounds, reader = _get_round(request, code)
    report = build_round_report(round, rounds=rounds, show_notes=False, texts=False)
    if not report.has_results:
        raise Http404
    response = _attachment(round, "csv", b"", "text/csv; charset=utf-8")
    exports.write_csv(report, response)
    return response


@require_safe
def round_pdf(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, rounds, reader = _get_round(request, code)
    report = build_round_report(round, rounds=rounds, show_notes=reader.sees_notes)
    if not report.has_results:
        raise Http404
    radar_figure = draw_radar(radar_data(report))
    return _attachment(
        round, "pdf", exports.pdf(report, radar_figure), "application/pdf"
    )


@require_safe
def team_overview(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    reader = _get_reader(request, code)
    rounds = team_rounds(reader.team)
    overview = build_team_overview(reader.team, rounds)
    for r in rounds:
        r.team = reader.team
    latest = overview.latest_report()
    ctx = {
        "team": reader.team,
        "reader": reader,
        "overview": overview,
        "latest_radar": radar_data(latest) if latest else None,
        "all_rounds": list(reversed(rounds)),
    }
    return render(request, "reports/team.html", ctx)


def trends_key(team: Team, rounds: list[Round]) -> str:
    versions = ",".join(
        f"{r.code}:{r.data_version}:{r.state}:{r.min_responses}:{r.title}"
        for r in rounds
    )
    digest = hashlib.sha256(versions.encode()).hexdigest()[:32]
    return f"reports:trends:{team.code}:{digest}:{get_language() or ''}"


@require_safe
@csp_override(SVG_CSP)
def trends_chart(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    reader = _get_reader(request, code)
    rounds = team_rounds(reader.team)
    key = trends_key(reader.team, rounds)
    data = cache.get(key)
    if data is None:
        overview = build_team_overview(reader.team, rounds)
        if not overview.rounds:
            raise Http404
        data = charts.render_figure(draw_trends(overview), "svg")
        cache.set(key, data, CHART_TIMEOUT)
    return _chart_response(data, "svg")


def draw_trends(overview: TeamOverview) -> Figure:
    return charts.trend_grid(
        [t.label for t in overview.trends],
        [r.title for r in overview.rounds],
        [t.team for t in overview.trends],
        [t.stakeholders for t in overview.trends],
        team_label=_("Team"),
        stakeholders_label=_("Stakeholders"),
    )
