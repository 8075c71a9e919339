"""Rounds, answering them, and a team's own dimensions.

Rounds are addressed by their code alone; ``_get_round`` finds the round's team and
hands it to the access helpers, so a round of a team the user is not in looks
exactly like one that does not exist (404).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe

from assessments import answer_fields, disclosure, selectors, services
from assessments import contract as contracts
from assessments.forms import (
    AnswerForm,
    ChooseDimensionsForm,
    RoundForm,
    ScheduleForm,
    TeamDimensionForm,
    closes_on,
    valid_answers,
)
from assessments.models import (
    BuiltinDimension,
    NoteKind,
    Response,
    Round,
    RoundDimension,
    TeamDimension,
    TeamSchedule,
)
from config.ratelimit import limit
from teams import services as team_services
from teams.access import (
    AuthenticatedHttpRequest,
    get_team_for_facilitator,
    get_team_for_member,
    membership_from_role,
)
from teams.forms import EmailInvitationsForm, TeamForm
from teams.models import Membership, Team

# What a facilitator is told when a close could not open the answers it releases.
RESULTS_WAIT_FOR_OPERATOR = _lazy(
    "The answers of this round cannot be opened with the keys the server has now: "
    "they are kept, sealed, and its results wait for the server's operator."
)


def _get_round(
    request: AuthenticatedHttpRequest, code: UUID, *, facilitator: bool = False
) -> tuple[Round, Membership]:
    round = Round.objects.select_related("team").filter(code=code).first()
    if round is None:
        raise Http404
    get_team = get_team_for_facilitator if facilitator else get_team_for_member
    team, membership = get_team(request, round.team.code)
    round.team = team
    return round, membership


def _get_round_to_answer(
    request: AuthenticatedHttpRequest, code: UUID
) -> tuple[Round, list[RoundDimension]]:
    """The round with this code, its dimensions, the user's access and whether
    they are on the round's roster (``round.on_roster``), in one query (the answer
    POST is the busiest request of all: ``selectors.round_to_answer``): 404 for an
    outsider."""
    found = selectors.round_to_answer(code, request.user.pk)
    if found is None:
        round, _membership = _get_round(request, code)
        round.on_roster = round.eligibilities.filter(user=request.user).exists()  # type: ignore[attr-defined]
        return round, []
    round = found.dimensions[0].round
    membership_from_role(request, round.team, found.role)
    round.on_roster = found.on_roster  # type: ignore[attr-defined]
    return round, found.dimensions


def _progress(round: Round) -> dict[str, int]:
    """ "n of m members have answered", from the round's roster (one query)."""
    turnout = selectors.turnout(round)
    return {"answered": turnout.answered, "member_count": turnout.eligible}


def round_detail(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code)
    responses = round.responses.filter(perspective=Response.Perspective.TEAM).count()
    ctx = {
        "round": round,
        "team": round.team,
        "membership": membership,
        "dimensions": round.dimensions.all(),
        "has_answered": round.participations.filter(user=request.user).exists(),
        "response_count": responses,
        "moved": round.state == Round.State.CLOSED and selectors.round_moved(round),
        "notes": _shuffled_notes(round) if _notes_shown(round, responses) else None,
        **_release_state(round),
        **_progress(round),
        "sources": None
        if round.state == Round.State.DRAFT
        else selectors.round_sources(round),
    }
    return render(request, "assessments/round.html", ctx)


def _release_state(round: Round) -> dict[str, object]:
    """What the page says about answers still sealed: ``release_pending`` for a
    round closed by its date whose answers the scheduled work has not released yet
    (within a minute), ``held`` after a reopen (the published results stay as they
    are until the minimum of new answers has arrived), ``pending`` once it has
    while the round is open (they take it in when it closes)."""
    if round.state == Round.State.DRAFT:
        return {}
    if round.release_blocked:
        return {"release_blocked": True}
    if round.is_open() and not round.releases:
        return {}
    held = selectors.answers_held(round=round)
    if round.results_ready() and not round.releases:
        return {"release_pending": bool(held.team or held.stakeholder)}
    team_needed, stakeholder_needed = selectors.still_needed(round, held)
    team_pending, stakeholder_pending = selectors.still_pending(round, held)
    return {
        "team_needed": team_needed,
        "stakeholder_needed": stakeholder_needed,
        "team_pending": team_pending,
        "stakeholder_pending": stakeholder_pending,
    }


def _notes_shown(round: Round, responses: int) -> bool:
    """Notes come with the results: once the round's answers are final and enough
    members answered (``disclosure.texts_shown``), never while each new note would
    be one person's."""
    final = round.state != Round.State.DRAFT and not round.is_open()
    return disclosure.texts_shown(
        final=final, responses=responses, minimum=round.min_responses
    )


def _shuffled_notes(round: Round) -> list[dict[str, object]]:
    """The team's notes by kind, each kind in a fresh random order: never in the
    order they were written, never with anything about who wrote them."""
    notes = disclosure.shuffled(
        round.notes.filter(response__perspective=Response.Perspective.TEAM)
        .select_related("dimension")
        .only(
            "kind",
            "text",
            "dimension__name",
            "dimension__short_name",
            "dimension__builtin_id",
        )
    )
    return [
        {"kind": label, "notes": [n for n in notes if n.kind == kind]}
        for kind, label in NoteKind.choices
    ]


@login_not_required
@require_safe
def anonymity(request: HttpRequest) -> HttpResponse:
    """The anonymity contract (``docs/anonymity.md``), for anyone about to answer:
    the document itself, so that there is one source, as a readable page in the
    page's language where a translation exists (``docs/anonymity.<code>.md``), else
    in English; ``?original`` shows the English original, the canonical text."""
    language = get_language() or "en"
    translated = contracts.translation_of(language) is not None
    original = "original" in request.GET or not translated
    try:
        contract = contracts.contract("en" if original else language)
    except FileNotFoundError:  # an install without the docs folder
        raise Http404 from None
    context = {
        "contract": contract,
        # Someone reading another language gets the original: say why.
        "untranslated": not translated and not language.startswith("en"),
        "translation_exists": translated and original,
    }
    return render(request, "assessments/anonymity.html", context)


@limit("team-create", "RATELIMIT_TEAM_CREATE", per="user")
def team_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new team: here rather than in ``teams`` because a team starts with its own
    copy of the framework, which ``teams`` knows nothing of."""
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = services.team_start(
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            creator=request.user,
        )
        messages.success(request, _("Team created. Invite your teammates next."))
        return redirect("assessments:start_invite", team.code)
    return render(request, "teams/create.html", {"form": form, "step": 1})


# The first-team wizard: name (team_create) → invite members by email → choose
# dimensions → the first round (round_create). Each step can be skipped and done
# later from the team page; nothing is lost by leaving half-way.


@limit("invite", "RATELIMIT_INVITE", per="user")
def start_invite(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    data = request.POST if request.method == "POST" else None
    form = EmailInvitationsForm(data)
    if form.is_bound and form.is_valid():
        addresses = form.cleaned_data["addresses"]
        try:
            team_services.invitations_email(
                team=team,
                addresses=addresses,
                role=form.cleaned_data["role"],
                created_by=request.user,
            )
        except (
            team_services.TooManyOpenInvitations,
            team_services.TooManyInvitationsToday,
        ):
            form.add_error(
                None,
                _("That is more people than may be invited now: invite fewer."),
            )
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d invitation is on its way by email.",
                    "%(count)d invitations are on their way by email.",
                    len(addresses),
                )
                % {"count": len(addresses)},
            )
            return redirect("assessments:start_dimensions", team.code)
    ctx = {"team": team, "form": form, "step": 2}
    return render(request, "assessments/start_invite.html", ctx)


def start_dimensions(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    dimensions = list(team.dimensions.order_by("position", "id"))
    data = request.POST if request.method == "POST" else None
    form = ChooseDimensionsForm(data, dimensions=dimensions)
    if form.is_bound and form.is_valid():
        chosen = set(form.cleaned_data["dimensions"])
        for dim in dimensions:
            archived = str(dim.code) not in chosen
            if dim.archived != archived:
                dim.archived = archived
                dim.save(update_fields=["archived"])
        messages.success(request, _("Dimensions chosen. Now the first round."))
        return redirect(
            reverse("assessments:round_create", args=[team.code]) + "?start=1"
        )
    ctx = {"team": team, "form": form, "step": 3}
    return render(request, "assessments/start_dimensions.html", ctx)


def round_create(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    dimensions = list(team.dimensions.active())
    form = RoundForm(
        request.POST or None, team_dimensions=dimensions, choose_dimensions=True
    )
    if request.method == "POST" and form.is_valid():
        round = services.round_create(
            team=team,
            title=form.cleaned_data["title"],
            dimensions=form.chosen_dimensions(),
            closes_at=form.closes_at(),
            min_responses=form.cleaned_data["min_responses"],
        )
        messages.success(request, _("Draft saved. Open it when the team is ready."))
        return redirect(round)
    ctx = {"team": team, "form": form, "step": 4 if request.GET.get("start") else 0}
    return render(request, "assessments/round_form.html", ctx)


def round_edit(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code, facilitator=True)
    form = _settings_form(request, round)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                round=round,
                title=form.cleaned_data["title"],
                closes_at=form.closes_at(),
                min_responses=form.cleaned_data["min_responses"],
                dimensions=form.chosen_dimensions() if form.choose_dimensions else None,
            )
        except services.ResponsesExist:
            form.add_error("min_responses", _("The first answer is in: it is fixed."))
        else:
            messages.success(request, _("Round saved."))
            return redirect(round)
    ctx = {"team": round.team, "round": round, "form": form}
    return render(request, "assessments/round_form.html", ctx)


def _settings_form(request: AuthenticatedHttpRequest, round: Round) -> RoundForm:
    """A round's settings; a draft's dimensions can still change."""
    draft = round.state == Round.State.DRAFT
    chosen = [
        d.team_dimension
        for d in round.dimensions.select_related("team_dimension")
        if d.team_dimension is not None
    ]
    choices = list(round.team.dimensions.active()) if draft else []
    choices += [d for d in chosen if draft and d not in choices]
    initial = {
        "title": round.title,
        "closes_on": closes_on(round),
        "min_responses": round.min_responses,
    }
    return RoundForm(
        request.POST or None,
        initial=initial,
        team_dimensions=choices,
        choose_dimensions=draft,
        chosen=chosen,
        lock_min_responses=round.minimum_fixed(),
    )


@require_POST
def round_open(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code, facilitator=True)
    if round.state == Round.State.OPEN:
        return redirect(round)
    if round.closes_at is not None and round.closes_at <= timezone.now():
        messages.error(
            request, _("Its closing date has passed: choose a later one first.")
        )
        return redirect("assessments:round_edit", round.code)
    try:
        services.round_open(round=round, actor=request.user)
    except services.AnotherRoundOpen:
        messages.error(
            request, _("Another round of this team is open: close it first.")
        )
        return redirect(round)
    except services.RoundMoved:
        messages.error(
            request,
            _(
                "This round was moved here from another server: it cannot be "
                "reopened. Open a new round to ask again."
            ),
        )
        return redirect(round)
    messages.success(request, _("The round is open: the team can answer now."))
    return redirect(round)


@require_POST
def round_close(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code, facilitator=True)
    if round.state == Round.State.OPEN:
        services.round_close(round=round, actor=request.user)
        messages.success(request, _("The round is closed: it takes no more answers."))
        if round.release_blocked:
            messages.warning(request, RESULTS_WAIT_FOR_OPERATOR)
    return redirect(round)


@require_POST
def round_delete(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, membership = _get_round(request, code, facilitator=True)
    if round.state != Round.State.DRAFT:
        messages.error(request, _("Only a draft can be deleted."))
        return redirect(round)
    round.delete()
    messages.success(request, _("Draft deleted."))
    return redirect(round.team)


def answer(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, dimensions = _get_round_to_answer(request, code)
    blocked = _answer_blocked(request, round, submitting=request.method == "POST")
    if blocked is not None:
        return blocked
    # A valid answer is stored without building the form (``valid_answers``);
    # the form is built for the page, and for what it has to say about an answer.
    answers = None
    if request.method == "POST" and request.POST:
        answers = valid_answers(dimensions, request.POST, include_checkin=True)
    if answers is None:
        # ?rows=N: as many note boxes as a draft kept in the browser needs.
        rows = request.GET.get("rows")
        if request.method != "POST":
            return _answer_page(request, round, _blank(round, dimensions, rows))
        form = AnswerForm(
            dimensions, request.POST, include_checkin=True, initial={"note_rows": rows}
        )
        if not form.is_valid():
            return _answer_page(request, round, form)
        answers = form.answers()
    try:
        services.member_response_submit(round=round, user=request.user, answers=answers)
    except (
        services.AlreadyAnswered,
        services.RoundNotOpen,
        services.NotOnRoster,
    ):
        return redirect("assessments:answer", round.code)
    messages.success(request, _("Thank you: your answer is saved, anonymously."))
    return redirect(round)


def answer_more_notes(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round, dimensions = _get_round_to_answer(request, code)
    blocked = _answer_blocked(request, round)
    if blocked is not None:
        return blocked
    if request.method != "POST":
        # Reloading or bookmarking this page: there is nothing to add rows to.
        return redirect("assessments:answer", round.code)
    form = AnswerForm(
        dimensions,
        initial=request.POST.dict(),
        include_checkin=True,
        more_note_rows=True,
    )
    return _answer_page(request, round, form)


def _answer_blocked(
    request: AuthenticatedHttpRequest, round: Round, *, submitting: bool = False
) -> HttpResponse | None:
    """The page to show instead of the form, if any. After a POST, redirect so that
    reloading the page does not post again. A submitted answer is not checked for
    an earlier one here: the database refuses a second (``AlreadyAnswered``).
    Someone who joined the team after the round opened is not on its roster: a
    page says so (``round.on_roster``, from ``_get_round_to_answer``)."""
    on_roster = getattr(round, "on_roster", True)
    if submitting and round.is_open() and on_roster:
        return None
    if round.is_open() and not on_roster:
        if request.method == "POST":
            return redirect("assessments:answer", round.code)
        ctx = {"round": round, "team": round.team, **_progress(round)}
        return render(request, "assessments/answer_not_on_roster.html", ctx, status=403)
    answered = round.participations.filter(user=request.user).exists()
    if round.is_open() and not answered:
        return None
    if request.method == "POST":
        return redirect("assessments:answer", round.code)
    ctx = {"round": round, "team": round.team, **_progress(round)}
    if not round.is_open():
        return render(request, "assessments/answer_closed.html", ctx)
    return render(request, "assessments/answer_done.html", ctx)


def _blank(round: Round, dimensions: list[RoundDimension], rows: object) -> str:
    """A blank form's fields, rendered once for everyone (``answer_fields``)."""
    return answer_fields.blank_fields(
        round,
        dimensions,
        from_outside=False,
        rows=rows,
        more_notes_url=reverse("assessments:answer_more_notes", args=[round.code]),
        build=lambda: AnswerForm(
            dimensions, include_checkin=True, initial={"note_rows": rows}
        ),
    )


def _answer_page(
    request: AuthenticatedHttpRequest, round: Round, form: AnswerForm | str
) -> HttpResponse:
    """The answer form: ``form`` with what was typed and its errors, or the HTML
    of a blank form's fields."""
    ctx = {
        "round": round,
        "team": round.team,
        "form": form if isinstance(form, AnswerForm) else None,
        "fields_html": mark_safe(form) if isinstance(form, str) else "",
        "carried": selectors.open_actions_before(round),
        **_progress(round),
    }
    return render(request, "assessments/answer.html", ctx)


def dimension_list(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    dimensions = team.dimensions.select_related("builtin").order_by(
        "archived", "position", "id"
    )
    ctx = {"team": team, "dimensions": dimensions}
    return render(request, "assessments/dimensions.html", ctx)


def dimension_create(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    last = team.dimensions.aggregate(last=Max("position"))["last"] or 0
    instance = TeamDimension(team=team, position=last + 1)
    form = TeamDimensionForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Dimension added: new rounds can use it."))
        return redirect("assessments:dimensions", team.code)
    ctx = {"team": team, "form": form}
    return render(request, "assessments/dimension_form.html", ctx)


def dimension_edit(
    request: AuthenticatedHttpRequest, code: UUID, dimension: UUID
) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    instance = get_object_or_404(team.dimensions, code=dimension)
    form = TeamDimensionForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("Saved. New rounds use this wording; earlier rounds keep theirs."),
        )
        return redirect("assessments:dimensions", team.code)
    ctx = {"team": team, "form": form, "dimension": instance}
    return render(request, "assessments/dimension_form.html", ctx)


@require_POST
def dimension_hide(
    request: AuthenticatedHttpRequest, code: UUID, dimension: UUID
) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    _set_archived(team, dimension, archived=True)
    return redirect("assessments:dimensions", team.code)


@require_POST
def dimension_show(
    request: AuthenticatedHttpRequest, code: UUID, dimension: UUID
) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    _set_archived(team, dimension, archived=False)
    return redirect("assessments:dimensions", team.code)


def _set_archived(team: Team, dimension: UUID, *, archived: bool) -> None:
    instance = get_object_or_404(team.dimensions, code=dimension)
    instance.archived = archived
    instance.save(update_fields=["archived"])


@require_POST
def dimension_reset(
    request: AuthenticatedHttpRequest, code: UUID, dimension: UUID
) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    instance = get_object_or_404(
        team.dimensions.select_related("builtin"), code=dimension
    )
    builtin: BuiltinDimension | None = instance.builtin
    if builtin is not None:
        for name, value in builtin.texts().items():
            setattr(instance, name, value)
        instance.save(update_fields=list(BuiltinDimension.TEXT_FIELDS))
        messages.success(request, _("The framework's own wording is back."))
    return redirect("assessments:dimensions", team.code)


def schedule_edit(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    """The team's rhythm: recurring rounds and reminders (facilitators)."""
    team, membership = get_team_for_facilitator(request, code)
    schedule = TeamSchedule.of(team)
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The team's schedule is saved."))
        return redirect("assessments:schedule", team.code)
    ctx = {"team": team, "form": form, "schedule": schedule}
    return render(request, "assessments/schedule.html", ctx)
