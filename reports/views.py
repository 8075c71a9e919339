"""The team report of a round, the team overview, their charts and exports.

Readers are the team's members and coaches the team shares with (read-only; without
notes unless the share includes them). A round is found by its code and then access
is checked on its team, so an unknown round and another team's round both give 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.csp import CSP
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST, require_safe
from matplotlib.figure import Figure

from assessments import services
from assessments.caching import cache_key, compute_once
from assessments.models import Action, NoteTheme, Round, RoundMetric
from assessments.selectors import (
    Channels,
    Held,
    carried_actions,
    report_counts,
    round_actions,
    round_sources,
    stakeholder_channels,
    still_needed,
    still_pending,
    team_actions,
)
from reports import agenda, charts, exports, history, pdf, themes
from reports.assembly import (
    RadarData,
    RoundReport,
    TeamOverview,
    agenda_facts,
    build_round_report,
    build_team_overview,
    build_team_reports,
    dimension_lights,
    held_of,
    radar_data,
    report_rounds,
)
from reports.figures import TREND_STEADY
from reports.followups import followups
from reports.forms import ThemeNameForm
from reports.selectors import team_rounds
from teams.access import (
    AuthenticatedHttpRequest,
    get_team_for_facilitator,
    get_team_for_member,
    get_team_for_reader,
)
from teams.models import CoachShare, LanguagePreference, Membership, Team

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


def radar_key(
    round: Round, rounds: list[Round], fmt: str, *, outside: bool = False
) -> str:
    """The radar of ``round`` depends on its figures and those of the round it is
    compared with, which is one of the team's earlier rounds whose results are out
    (``assembly.report_rounds``), on the reader's view and the language: known
    before anything is computed, so that a cached chart costs only the access
    checks."""
    language = get_language() or ""
    return cache_key(
        "reports:radar",
        report_rounds(round, rounds),
        round.pk,
        str(round.code),
        round.current_state(),
        fmt,
        language,
        outside,
    )


# What a report shows that changes with each answer, not with a data version:
# answered, eligible, team and stakeholder answers needed, the stakeholders'
# channels, and whether a team / stakeholder batch is in for the close.
Counts = tuple[int, int, int, int, Channels | None, tuple[bool, bool]]


def report_key(
    kind: str,
    round: Round,
    rounds: list[Round],
    *,
    show_notes: bool,
    outside: bool,
    counts: Counts,
    decisions: list[tuple[Any, ...]],
    extra: tuple[object, ...] = (),
    listed: bool = True,
) -> str:
    """The one key of everything a round's report shows (the page and the PDF):
    the data versions of the round and of the team's earlier rounds whose results
    are out (the one compared with is among them; answers, state, minimum, title),
    whether the round's results are out (a closing date passes without a new
    version), the titles and states of the team's other rounds (the page lists
    them; not with ``listed=False``: the PDF does not), the team's name, the
    reader's view (notes, outside the team), the counts that change with each
    sealed answer without a new version ("n of m answered", the answers held after
    a reopen and whether a batch of them is in for the close
    (``still_pending``), the stakeholder answers per channel:
    ``counts``), the team's decisions it shows (``decisions``) and the language.
    Two readers share an entry only if they would be shown the same."""
    answered, eligible, team_needed, stakeholder_needed, channels, pending = counts
    return cache_key(
        kind,
        report_rounds(round, rounds),
        round.pk,
        # A database may give a deleted round's id to a new one: its code never.
        str(round.code),
        round.current_state(),
        [(r.pk, r.title, r.current_state()) for r in rounds] if listed else None,
        round.team.name,
        show_notes,
        outside,
        (answered, eligible, team_needed, stakeholder_needed, pending),
        (channels.by_invitation, channels.by_link) if channels else None,
        decisions,
        get_language() or "",
        *extra,
    )


# Part of the report page's cache key: raise it when the page's templates, their
# tags or what the page shows change, so that no page laid out the old way is
# served (entries otherwise last CHART_TIMEOUT).
PAGE_LAYOUT = 3


def _followup_decisions(actions: list[Action]) -> list[tuple[Any, ...]]:
    """What the report page shows of the actions carried into its round."""
    return [
        (
            str(a.code),
            a.text,
            a.team_dimension_id,
            a.dimension_id,
            a.dimension_label,
            a.round_id,
            a.round.title,
            a.state,
        )
        for a in actions
    ]


def report_page_key(
    round: Round,
    rounds: list[Round],
    reader: Reader,
    counts: Counts,
    actions: list[Action],
    waiting: str = "",
) -> str:
    """The report page's body is the same for every reader with the same view of
    the same versions: ``report_key`` with the actions it follows up and what its
    results wait for (``results_waiting``)."""
    return report_key(
        "reports:page",
        round,
        rounds,
        show_notes=reader.sees_notes,
        outside=reader.is_coach,
        counts=counts,
        decisions=_followup_decisions(actions),
        extra=(reader.membership is not None, PAGE_LAYOUT, waiting),
    )


def results_waiting(round: Round, held: Held) -> str:
    """What a closed round's results wait for: "operator" when the server's keys
    could not open its answers (``Round.release_blocked``), "preparing" when its
    closing date passed and the scheduled work has not released its answers yet
    (no worker ran since), else nothing: never "too few answers" for those."""
    if round.release_blocked:
        return "operator"
    if round.results_ready() and not round.releases and (held.team or held.stakeholder):
        return "preparing"
    return ""


def _round_body(
    round: Round,
    rounds: list[Round],
    reader: Reader,
    channels: Channels,
    actions: list[Action],
    waiting: str = "",
) -> str:
    """The report page's body (``reports/_round_body.html``): the whole report
    assembled from the cached figures and rendered, for ``report_page_key``."""
    report = build_round_report(
        round, rounds=rounds, show_notes=reader.sees_notes, outside=reader.is_coach
    )
    report.channels = channels
    facts = agenda_facts(report)
    ctx = {
        "report": report,
        "round": round,
        "team": reader.team,
        "reader": reader,
        "radar": radar_data(report),
        "points": agenda.talking_points(facts),
        "lights": dimension_lights(facts),
        "followups": followups(report, actions) if report.has_results else [],
        "waiting": waiting,
    }
    return str(render_to_string("reports/_round_body.html", ctx))


@require_safe
def round_report(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    """The report page. Its body is rendered once per version of what it shows
    and shared by every reader with the same view (``report_page_key``); a view
    makes the access checks, one query for the counts and one for the actions
    carried into the round, whatever the round's size."""
    round, rounds, reader = _get_round(request, code)
    turnout, channels = report_counts(round)
    held = held_of(round, turnout)
    team_needed, stakeholder_needed = still_needed(round, held)
    actions = carried_actions(round)
    counts = (
        turnout.answered,
        turnout.eligible,
        team_needed,
        stakeholder_needed,
        channels,
        still_pending(round, held),
    )
    waiting = results_waiting(round, held)
    body = compute_once(
        report_page_key(round, rounds, reader, counts, actions, waiting),
        lambda: _round_body(round, rounds, reader, channels, actions, waiting),
        CHART_TIMEOUT,
    )
    ctx = {
        "round": round,
        "team": reader.team,
        "body": mark_safe(body),
        # For the team's members: what one person could add (not a coach's view).
        "sources": round_sources(round)
        if reader.membership is not None and round.state != Round.State.DRAFT
        else None,
    }
    return render(request, "reports/round.html", ctx)


@require_safe
@csp_override(SVG_CSP)
def radar(request: AuthenticatedHttpRequest, code: UUID, fmt: str) -> HttpResponse:
    round, rounds, reader = _get_round(request, code)

    def report() -> RoundReport:
        built = build_round_report(
            round, rounds=rounds, show_notes=False, texts=False, outside=reader.is_coach
        )
        if not built.has_results:
            raise Http404  # nothing cached: the lock is given back
        return built

    key = radar_key(round, rounds, fmt, outside=reader.is_coach)
    return _chart_response(_radar_once(key, report, fmt), fmt)


def _radar_once(key: str, report: Callable[[], RoundReport], fmt: str) -> bytes:
    def render_chart() -> bytes:
        return charts.render_figure(draw_radar(radar_data(report())), fmt)

    return compute_once(key, render_chart, CHART_TIMEOUT)


def radar_bytes(report: RoundReport, fmt: str) -> bytes:
    """The round's radar chart, drawn once per data version (the key names it, so
    never stale) and shared by the chart view and the exports."""
    key = radar_key(report.round, report.rounds, fmt, outside=report.outside)
    return _radar_once(key, lambda: report, fmt)


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
    report = build_round_report(
        round, rounds=rounds, show_notes=False, texts=False, outside=reader.is_coach
    )
    if not report.has_results:
        raise Http404
    response = _attachment(round, "csv", b"", "text/csv; charset=utf-8")
    exports.write_csv(report, response)
    return response


@require_safe
def round_notes_csv(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, rounds, reader = _get_round(request, code)
    if not reader.sees_notes:  # a coach whose share is scores only
        raise Http404
    report = build_round_report(
        round, rounds=rounds, show_notes=True, outside=reader.is_coach
    )
    if not report.has_results:
        raise Http404
    response = _attachment(round, "notes.csv", b"", "text/csv; charset=utf-8")
    if reader.is_coach:  # the retro's decisions stay with the team
        exports.write_text_csv(report, response)
    else:
        exports.write_text_csv(
            report,
            response,
            actions=round_actions(round),
            summary=round.retro_summary,
        )
    return response


@require_safe
def round_pdf(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, rounds, reader = _get_round(request, code)
    report = pdf_report(
        round, rounds, show_notes=reader.sees_notes, outside=reader.is_coach
    )
    if not report.has_results:
        raise Http404
    # Actions and input metrics are the team's own records: members only.
    actions: list[Any] = []
    metrics: list[Any] = []
    if reader.membership is not None:
        actions, metrics = member_records(round)
    content = pdf_bytes(report, actions=actions, metrics=metrics)
    return _attachment(round, "pdf", content, "application/pdf")


def pdf_report(
    round: Round, rounds: list[Round], *, show_notes: bool, outside: bool
) -> RoundReport:
    """The report a PDF is made from: the one place for the download and the
    release task (``round_pdfs``), so that both look up the same cache key."""
    report = build_round_report(
        round, rounds=rounds, show_notes=show_notes, outside=outside
    )
    if report.has_results:
        report.channels = stakeholder_channels(round)
    return report


def member_records(round: Round) -> tuple[list[Any], list[Any]]:
    """What a member's PDF holds beyond the report: the round's actions and input
    metrics."""
    return round_actions(round), list(round.metrics.all())


@dataclass(frozen=True)
class PdfView:
    """One way a round's PDF is asked for: in a language, with or without the
    notes, by a member (with the team's actions and metrics) or by a coach."""

    language: str
    show_notes: bool
    outside: bool


def pdf_views(team: Team) -> list[PdfView]:
    """The PDFs of a round of ``team`` that its readers ask for: the members' in
    the team's language and in each language a member chose for themselves, and
    each sharing coach's (notes or not) in theirs or the team's (two queries). A
    browser's language nobody chose in their settings is not known ahead."""
    member = {team.language}
    member.update(
        language
        for language in LanguagePreference.objects.filter(
            user__memberships__team=team
        ).values_list("language", flat=True)
        if language
    )
    languages = [team.language, *sorted(member - {team.language})]
    views = [PdfView(language, True, False) for language in languages]
    shares = CoachShare.objects.active().filter(team=team)
    coach = {
        PdfView(language or team.language, notes, True)
        for notes, language in shares.values_list(
            "include_notes", "coach__language_preference__language"
        )
    }
    return views + sorted(coach, key=lambda v: (v.show_notes, v.language))


def round_pdfs(round: Round) -> int:
    """Lay out every PDF of the round that ``pdf_views`` names, unless it is
    cached, under the key its reader's download looks up: what
    ``reports.tasks.prerender_round_pdf`` calls after a release and after a change
    to what the PDF shows, so that the first reader finds it ready (or waits for
    the worker's layout instead of making a second one). Returns how many views
    were asked for; none while the round has no results."""
    rounds = team_rounds(round.team)
    for r in rounds:
        r.team = round.team
    found = next((r for r in rounds if r.pk == round.pk), None)
    if found is None:
        return 0
    actions, metrics = member_records(found)
    views = pdf_views(round.team)
    for view in views:
        with translation.override(view.language):
            report = pdf_report(
                found, rounds, show_notes=view.show_notes, outside=view.outside
            )
            if not report.has_results:
                return 0
            if view.outside:  # the team's own records stay with the team
                pdf_bytes(report, actions=[], metrics=[])
            else:
                pdf_bytes(report, actions=actions, metrics=metrics)
    return len(views)


# Part of every PDF's cache key: raise it when the print template or its layout
# changes, so that no PDF laid out the old way is served.
PDF_LAYOUT = 4


def pdf_key(report: RoundReport, actions: list[Any], metrics: list[Any]) -> str:
    """Everything a round's PDF is made of: ``report_key`` (data versions, the
    reader's view, the team's name, the counts) with the round's actions and
    metrics as they are now and the layout; not the team's other rounds (the PDF
    does not list them: a new draft round leaves it as it is)."""
    decisions = [
        (
            str(a.code),
            a.text,
            a.dimension_label,
            a.owner.user.get_full_name() or a.owner.user.get_username()
            if a.owner
            else "",
            a.due_on,
            a.state,
        )
        for a in actions
    ] + [(m.kind, m.name, str(m.value), m.unit, m.note) for m in metrics]
    return report_key(
        "reports:pdf",
        report.round,
        report.rounds,
        show_notes=report.show_notes,
        outside=report.outside,
        counts=(
            report.answered,
            report.eligible,
            report.team_needed,
            report.stakeholder_needed,
            report.channels,
            (report.team_pending, report.stakeholder_pending),
        ),
        decisions=decisions,
        # Not the day: the header dates the PDF by its layout ("As of ..."), so a
        # version laid out at release is still served the days after. The dates it
        # prints of the round are in: a reopen and a close without a new answer
        # change nothing else.
        extra=(PDF_LAYOUT, report.round.opened_at, report.round.closed_at),
        listed=False,
    )


def pdf_bytes(report: RoundReport, *, actions: list[Any], metrics: list[Any]) -> bytes:
    """The round's PDF, laid out once per version of what it shows (``pdf_key``)
    and shared by every reader with the same view: layout takes seconds for a
    large round, a repeat download only the queries. The texts' random order is
    drawn once per version, which tells nothing more than any one order does."""

    def render_pdf() -> bytes:
        return pdf.pdf(
            report, radar_bytes(report, "svg"), actions=actions, metrics=metrics
        )

    return compute_once(pdf_key(report, actions, metrics), render_pdf, CHART_TIMEOUT)


@require_safe
def team_history(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    """The team's whole history as JSON: members only (a coach gets 404)."""
    team, _membership = get_team_for_member(request, code)
    rounds = team_rounds(team)
    for r in rounds:
        r.team = team
    # Every round in the same few queries, however many rounds the team has.
    reports = build_team_reports(rounds, show_notes=True)
    actions = team_actions(team)
    metrics = list(RoundMetric.objects.filter(round__team=team))
    name = slugify(team.name) or "team"
    data = history.history(team, reports, actions=actions, metrics=metrics)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = (
        f'attachment; filename="team-mirror-{name}-history.json"'
    )
    return response


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
        "trend_steady": TREND_STEADY,
    }
    return render(request, "reports/team.html", ctx)


def trends_key(team: Team, rounds: list[Round]) -> str:
    return cache_key("reports:trends", rounds, team.pk, get_language() or "")


@require_safe
@csp_override(SVG_CSP)
def trends_chart(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    reader = _get_reader(request, code)
    rounds = team_rounds(reader.team)

    def render_chart() -> bytes:
        overview = build_team_overview(reader.team, rounds)
        if not overview.rounds:
            raise Http404  # nothing cached: the lock is given back
        return charts.render_figure(draw_trends(overview), "svg")

    data = compute_once(trends_key(reader.team, rounds), render_chart, CHART_TIMEOUT)
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


# Themes: the team confirms groups of its notes -----------------------------------


def _get_round_for_themes(
    request: AuthenticatedHttpRequest, code: UUID, *, facilitator: bool = False
) -> tuple[Round, RoundReport]:
    """The round and its report, for a member (GET) or a facilitator (POST). A coach
    gets 404 like an outsider: coaches see confirmed themes across teams only."""
    team_code = Round.objects.filter(code=code).values_list("team__code", flat=True)
    if not team_code:
        raise Http404
    get_team = get_team_for_facilitator if facilitator else get_team_for_member
    team, membership = get_team(request, team_code[0])
    rounds = team_rounds(team)
    round = next((r for r in rounds if r.code == code), None)
    if round is None:
        raise Http404
    for r in rounds:
        r.team = team
    report = build_round_report(round, rounds=rounds, show_notes=True, texts=False)
    return round, report


@require_safe
def round_themes(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, report = _get_round_for_themes(request, code)
    return _themes_page(request, round, report)


def _themes_page(
    request: AuthenticatedHttpRequest,
    round: Round,
    report: RoundReport,
    *,
    rename: tuple[NoteTheme, ThemeNameForm] | None = None,
) -> HttpResponse:
    """The themes page; ``rename`` is a rejected rename, shown with its error next
    to the theme's name and the typed name kept."""
    can_edit = round.team.memberships.filter(
        user=request.user, role=Membership.Role.FACILITATOR
    ).exists()
    ctx = {
        "round": round,
        "team": round.team,
        "report": report,
        "themes": themes.round_themes(report) if report.has_results else None,
        "can_edit": can_edit,
        "rename_theme": rename[0].pk if rename else None,
        "rename_form": rename[1] if rename else None,
    }
    return render(request, "reports/themes.html", ctx, status=400 if rename else 200)


def _themes_redirect(round: Round) -> HttpResponse:
    return redirect("reports:themes", round.code)


@require_POST
def round_themes_confirm(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, report = _get_round_for_themes(request, code, facilitator=True)
    if not report.has_results:
        raise Http404
    try:
        services.themes_confirm(round=round, drafts=themes.drafts_to_confirm(report))
    except services.ThemesExist:
        messages.info(request, _("These themes were confirmed already."))
    else:
        messages.success(request, _("Themes confirmed: rename, merge or split them."))
    return _themes_redirect(round)


@require_POST
def round_themes_reset(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, report = _get_round_for_themes(request, code, facilitator=True)
    services.themes_reset(round=round)
    messages.success(request, _("Back to the suggested groups."))
    return _themes_redirect(round)


def _theme(round: Round, code: UUID | str | None) -> NoteTheme | None:
    try:
        return round.themes.filter(code=code).first() if code else None
    except ValidationError:
        return None


@require_POST
def theme_rename(
    request: AuthenticatedHttpRequest, code: UUID, theme: UUID
) -> HttpResponse:
    round, report = _get_round_for_themes(request, code, facilitator=True)
    found = get_object_or_404(round.themes, code=theme)
    form = ThemeNameForm(request.POST)
    if not form.is_valid():
        return _themes_page(request, round, report, rename=(found, form))
    services.theme_rename(theme=found, label=form.cleaned_data["label"])
    messages.success(request, _("Theme renamed."))
    return _themes_redirect(round)


@require_POST
def theme_merge(
    request: AuthenticatedHttpRequest, code: UUID, theme: UUID
) -> HttpResponse:
    round, report = _get_round_for_themes(request, code, facilitator=True)
    found = _theme(round, theme)
    into = _theme(round, request.POST.get("into"))
    if found is None:  # merged already: a repeated submit
        return _themes_redirect(round)
    if into is None or not services.theme_merge(theme=found, into=into):
        messages.error(request, _("Choose another theme of the same dimension."))
    else:
        messages.success(request, _("Themes merged."))
    return _themes_redirect(round)


@require_POST
def theme_note_move(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, report = _get_round_for_themes(request, code, facilitator=True)
    target = request.POST.get("to", "")
    to = None if target == "new" else _theme(round, target)
    if target != "new" and to is None:
        messages.error(request, _("Choose where the note goes."))
        return _themes_redirect(round)
    note_id = request.POST.get("note", "")
    try:
        moved = services.theme_note_move(
            round=round, note_id=note_id, to=to, new_label=_("New theme")
        )
    except ValidationError:
        moved = None
    if moved is None:
        messages.error(request, _("That note could not be moved there."))
    else:
        messages.success(request, _("Note moved."))
    return _themes_redirect(round)
