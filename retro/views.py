"""The retro meeting on a closed round, and the team's action board.

Members only: a coach the team shares with, like any outsider, gets 404 here (the
meeting is the team's own conversation). Every write is the facilitator's (403 for
a member), except a member's own votes. Each write redirects back to the meeting,
so a plain form post works without JavaScript; with htmx, members' pages poll the
step endpoint and swap in the new step when the facilitator moves.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe

from assessments import services as assessment_services
from assessments.models import Action, Round, RoundMetric
from reports.assembly import results_ready
from retro import presenting, selectors, services
from retro.forms import (
    ActionForm,
    ActionLimitForm,
    ActionStateForm,
    MetricForm,
    OrderForm,
    ReviewForm,
    RotiForm,
    SummaryForm,
    TimerForm,
    VoteForm,
    VotingForm,
)
from retro.models import RetroSession
from teams.access import (
    AuthenticatedHttpRequest,
    get_team_for_facilitator,
    get_team_for_member,
)
from teams.models import Membership

NOT_ON_ROSTER = _lazy(
    "You joined the team after this round opened, so you do not vote in its "
    "retro: its votes are for the people who were members when it opened."
)


def _get_round(
    request: AuthenticatedHttpRequest, code: UUID, *, facilitator: bool = False
) -> tuple[Round, Membership]:
    """The round and the user's membership of its team; 404 for anyone outside
    the team, 403 for a member where a facilitator is needed."""
    team_code = Round.objects.filter(code=code).values_list("team__code", flat=True)
    if not team_code:
        raise Http404
    getter = get_team_for_facilitator if facilitator else get_team_for_member
    team, membership = getter(request, team_code[0])
    round = get_object_or_404(Round, code=code, team=team)
    round.team = team
    return round, membership


def _session(round: Round) -> RetroSession:
    session = RetroSession.objects.filter(round=round).first()
    if session is None:
        raise Http404
    session.round = round
    return session


def _context(
    request: AuthenticatedHttpRequest,
    round: Round,
    membership: Membership,
    session: RetroSession | None,
    **forms: Any,
) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "round": round,
        "team": round.team,
        "membership": membership,
        "session": session,
        "ready": results_ready(round),
    }
    if session is None:
        return ctx
    ctx.update(selectors.step_context(session, request.user.pk))
    ctx["timer"] = presenting.timer(session)
    ctx["poll_version"] = presenting.poll_version(session)
    if membership.is_facilitator:
        ctx["timer_form"] = TimerForm()
        ctx["order_form"] = OrderForm(initial={"order": session.order})
        ctx["voting_form"] = VotingForm(initial={"votes_each": session.votes_each})
        ctx["action_form"] = ActionForm(round)
        ctx["limit_form"] = ActionLimitForm(instance=round.team)
        ctx["summary_form"] = SummaryForm(initial={"summary": round.retro_summary})
        ctx["review_form"] = ReviewForm()
    ctx["vote_form"] = VoteForm(round)
    ctx["roti_form"] = RotiForm()
    ctx.update(forms)
    return ctx


@require_safe
def session(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code)
    current = RetroSession.objects.filter(round=round).first()
    if current is not None:
        current.round = round
    ctx = _context(request, round, membership, current)
    return render(request, "retro/session.html", ctx)


@require_safe
def step(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    """The current step alone, for members' pages to poll; "nothing new" (204)
    while the session has not moved since the version they show."""
    round, membership = _get_round(request, code)
    current = RetroSession.objects.filter(round=round).first()
    version = presenting.poll_version(current) if current is not None else "-1"
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    if current is not None:
        current.round = round
    ctx = _context(request, round, membership, current)
    return render(request, "retro/_step.html", ctx)


@require_POST
def start(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, _membership = _get_round(request, code, facilitator=True)
    if not results_ready(round):
        messages.error(request, _("A retro starts once the round has closed."))
        return redirect("retro:session", round.code)
    services.session_start(round=round)
    return redirect("retro:session", round.code)


def _move(
    request: AuthenticatedHttpRequest, code: UUID, *, forward: bool
) -> HttpResponse:
    round, _membership = _get_round(request, code, facilitator=True)
    current = _session(round)
    count = selectors.discussion_count(current)
    services.session_move(session=current, forward=forward, dimensions=count)
    return redirect("retro:session", round.code)


@require_POST
def next_step(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _move(request, code, forward=True)


@require_POST
def previous_step(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _move(request, code, forward=False)


@require_POST
def order(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code, facilitator=True)
    current = _session(round)
    form = OrderForm(request.POST)
    if not form.is_valid():
        ctx = _context(request, round, membership, current, order_form=form)
        return render(request, "retro/session.html", ctx, status=400)
    services.session_set_order(session=current, order=form.cleaned_data["order"])
    return redirect("retro:session", round.code)


@require_POST
def review(request: AuthenticatedHttpRequest, code: UUID, action: UUID) -> HttpResponse:
    round, membership = _get_round(request, code, facilitator=True)
    current = _session(round)
    reviewed = next(
        (a for a in selectors.review_actions(round) if a.code == action), None
    )
    if reviewed is None:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick how the action went."))
        return redirect("retro:session", round.code)
    assessment_services.action_review(
        action=reviewed,
        state=form.cleaned_data["state"],
        helped=form.cleaned_data["helped"],
        round=round,
    )
    services.session_touch(session=current)
    return redirect("retro:session", round.code)


@require_POST
def voting_open(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code, facilitator=True)
    current = _session(round)
    form = VotingForm(request.POST)
    if not form.is_valid():
        ctx = _context(request, round, membership, current, voting_form=form)
        return render(request, "retro/session.html", ctx, status=400)
    services.voting_open(session=current, votes_each=form.cleaned_data["votes_each"])
    return redirect("retro:session", round.code)


@require_POST
def voting_close(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, _membership = _get_round(request, code, facilitator=True)
    services.voting_close(session=_session(round))
    return redirect("retro:session", round.code)


def _vote_change(
    request: AuthenticatedHttpRequest, code: UUID, *, take_back: bool
) -> HttpResponse:
    round, membership = _get_round(request, code)
    current = _session(round)
    form = VoteForm(round, request.POST)
    if not form.is_valid():
        ctx = _context(request, round, membership, current, vote_form=form)
        return render(request, "retro/session.html", ctx, status=400)
    change = services.vote_take_back if take_back else services.vote_cast
    try:
        change(
            session=current, user=request.user, dimension=form.cleaned_data["dimension"]
        )
    except services.VotingNotOpen:
        messages.error(request, _("Voting is not open."))
    except services.NotOnRoster:
        messages.error(request, NOT_ON_ROSTER)
    except services.NoVotesLeft:
        messages.error(request, _("You have placed all your votes."))
    else:
        if take_back:
            messages.success(request, _("Your vote is taken back."))
        else:
            messages.success(request, _("Your vote is in, anonymously."))
    return redirect("retro:session", round.code)


@require_POST
def vote(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _vote_change(request, code, take_back=False)


@require_POST
def vote_take_back(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _vote_change(request, code, take_back=True)


@require_POST
def action_add(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code, facilitator=True)
    current = _session(round)
    form = ActionForm(round, request.POST)
    if not form.is_valid():
        ctx = _context(request, round, membership, current, action_form=form)
        return render(request, "retro/session.html", ctx, status=400)
    try:
        assessment_services.action_create(round=round, **form.cleaned_data)
    except assessment_services.ActionLimitReached:
        form.add_error(
            None,
            _("The team agrees at most %(limit)s actions in a retro.")
            % {"limit": round.team.action_limit},
        )
        ctx = _context(request, round, membership, current, action_form=form)
        return render(request, "retro/session.html", ctx, status=400)
    services.session_touch(session=current)
    return redirect("retro:session", round.code)


@require_POST
def action_delete(
    request: AuthenticatedHttpRequest, code: UUID, action: UUID
) -> HttpResponse:
    round, _membership = _get_round(request, code, facilitator=True)
    current = _session(round)
    Action.objects.filter(round=round, code=action).delete()
    services.session_touch(session=current)
    return redirect("retro:session", round.code)


@require_POST
def action_limit(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code, facilitator=True)
    current = _session(round)
    form = ActionLimitForm(request.POST, instance=round.team)
    if not form.is_valid():
        ctx = _context(request, round, membership, current, limit_form=form)
        return render(request, "retro/session.html", ctx, status=400)
    form.save()
    services.session_touch(session=current)
    return redirect("retro:session", round.code)


@require_POST
def roti_open(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, _membership = _get_round(request, code, facilitator=True)
    services.roti_open(session=_session(round))
    return redirect("retro:session", round.code)


@require_POST
def roti_close(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, _membership = _get_round(request, code, facilitator=True)
    services.roti_close(session=_session(round))
    return redirect("retro:session", round.code)


@require_POST
def roti(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code)
    current = _session(round)
    form = RotiForm(request.POST)
    if not form.is_valid():
        ctx = _context(request, round, membership, current, roti_form=form)
        return render(request, "retro/session.html", ctx, status=400)
    try:
        services.roti_answer(
            session=current, user=request.user, score=form.cleaned_data["score"]
        )
    except services.VotingNotOpen:
        messages.error(request, _("The question is closed."))
    except services.NotOnRoster:
        messages.error(request, NOT_ON_ROSTER)
    else:
        messages.success(
            request,
            _(
                "Your answer is in, anonymously. You can change it until the "
                "facilitator closes the question."
            ),
        )
    return redirect("retro:session", round.code)


@require_POST
def finish(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code, facilitator=True)
    current = _session(round)
    form = SummaryForm(request.POST)
    if not form.is_valid():
        ctx = _context(request, round, membership, current, summary_form=form)
        return render(request, "retro/session.html", ctx, status=400)
    services.session_finish(session=current, summary=form.cleaned_data["summary"])
    messages.success(request, _("The retro is closed and its summary saved."))
    return redirect("retro:session", round.code)


@require_safe
def board(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    team, membership = get_team_for_member(request, code)
    ctx = {
        "team": team,
        "membership": membership,
        "board": selectors.action_board(team),
        "state_form": ActionStateForm(),
    }
    return render(request, "retro/board.html", ctx)


@require_POST
def board_state(
    request: AuthenticatedHttpRequest, code: UUID, action: UUID
) -> HttpResponse:
    team, _membership = get_team_for_facilitator(request, code)
    item = get_object_or_404(Action, team=team, code=action)
    form = ActionStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick a state."))
        return redirect("retro:board", team.code)
    assessment_services.action_review(
        action=item, state=form.cleaned_data["state"], helped=item.helped
    )
    return redirect("retro:board", team.code)


@require_safe
def metrics(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code)
    return _metrics_page(request, round, membership, MetricForm())


@require_POST
def metric_add(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code, facilitator=True)
    form = MetricForm(request.POST)
    if not form.is_valid():
        return _metrics_page(request, round, membership, form, status=400)
    data = form.cleaned_data
    assessment_services.metric_record(
        round=round,
        kind=data["kind"],
        name=data["name"],
        value=data["value"],
        unit=data["unit"],
        note=data["note"],
    )
    return redirect("retro:metrics", round.code)


@require_POST
def metric_delete(
    request: AuthenticatedHttpRequest, code: UUID, metric: UUID
) -> HttpResponse:
    round, _membership = _get_round(request, code, facilitator=True)
    RoundMetric.objects.filter(round=round, code=metric).delete()
    return redirect("retro:metrics", round.code)


def _metrics_page(
    request: AuthenticatedHttpRequest,
    round: Round,
    membership: Membership,
    form: MetricForm,
    status: int = 200,
) -> HttpResponse:
    ctx = {
        "round": round,
        "team": round.team,
        "membership": membership,
        "form": form,
        "metrics": list(round.metrics.all()),
        "trend": selectors.metric_trend(round.team),
    }
    return render(request, "retro/metrics.html", ctx, status=status)
