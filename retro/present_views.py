"""The retro on a shared screen, joining it by code, and the soft timer.

The presenter page is the facilitator's (403 for a member, 404 for anyone outside
the team): the current step only, large type, nothing to click. It follows the
session the way members' pages do: htmx polls ``present_step`` with the version
it shows; without JavaScript the page reloads itself.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from retro import presenting, selectors
from retro.forms import TimerForm
from retro.models import RetroSession
from retro.views import _context, _get_round, _session
from teams.access import AuthenticatedHttpRequest


def _present_context(
    request: AuthenticatedHttpRequest, session: RetroSession
) -> dict[str, Any]:
    round = session.round
    code = presenting.join_code_for(session)
    join_url = request.build_absolute_uri(reverse("retro:join")) + f"?code={code}"
    ctx: dict[str, Any] = {
        "round": round,
        "team": round.team,
        "session": session,
        "join_code": code,
        "join_url": join_url,
        "join_qr": mark_safe(presenting.qr_svg(join_url, _("Join the retro"))),
        "timer": presenting.timer(session),
        "poll_version": presenting.poll_version(session),
    }
    ctx.update(selectors.step_context(session, request.user.pk))
    return ctx


@require_safe
def present(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, _membership = _get_round(request, code, facilitator=True)
    session = _session(round)
    return render(request, "retro/present.html", _present_context(request, session))


@require_safe
def present_step(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, _membership = _get_round(request, code, facilitator=True)
    session = _session(round)
    if request.GET.get("v") == presenting.poll_version(session):
        return HttpResponse(status=204)
    return render(
        request, "retro/_present_step.html", _present_context(request, session)
    )


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Join a running retro of one of your teams by the code on the shared
    screen. Any code that is not one (unknown, closed, another team's) gets the
    same answer: not found (404), the code kept in the field."""
    typed = request.POST.get("code", "") if request.method == "POST" else ""
    typed = typed or request.GET.get("code", "")
    if not typed:
        return render(request, "retro/join.html", {"code": ""})
    session = presenting.find_running(typed, request.user.pk)
    if session is None:
        ctx = {"code": typed[:12], "not_found": True}
        return render(request, "retro/join.html", ctx, status=404)
    return redirect("retro:session", session.round.code)


@require_POST
def timer(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code, facilitator=True)
    session = _session(round)
    form = TimerForm(request.POST)
    if not form.is_valid() or session.step != RetroSession.Step.DISCUSS:
        ctx = _context(request, round, membership, session, timer_form=form)
        return render(request, "retro/session.html", ctx, status=400)
    presenting.timer_set(session=session, minutes=form.cleaned_data["minutes"])
    return redirect("retro:session", round.code)
