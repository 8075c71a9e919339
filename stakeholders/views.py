"""Stakeholder feedback: the facilitator's link and invitation pages, and the
anonymous pages a stakeholder answers on.

A stakeholder's link carries a token only on the first request: it is swapped for
the link's id in a signed cookie and the browser moves on to ``/s/``, so the token
leaves the address bar, history and Referer headers. Every way a link can be
unusable (unknown, revoked, used, round closed) shows the same "not valid" page.

A stakeholder's visit lives in that cookie alone, never in a server-side session:
the database holds no row naming the link or invitation a browser used, and no
expiry that would date a submit. Once the answer is in, the cookie only says "this
browser has answered".

A browser that answered through a shared link also keeps a second signed cookie,
``mirror_answered``: a keyed hash of each such round (never the answer, the link or
a time), kept until the round can no longer take answers. Opening the link again
in that browser shows "already answered" and takes no second answer, whoever sits
at the computer (a meeting-room laptop, a shared desk).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assessments import answer_fields
from assessments.forms import AnswerForm, valid_answers
from assessments.models import Round, RoundDimension
from assessments.services import Answers
from config.ratelimit import (
    anonymous_limit,
    bump,
    client_address,
    hit,
    limit,
    retry_after,
    too_many_requests,
)
from stakeholders import services
from stakeholders.forms import (
    GroupsForm,
    InvitationsForm,
    RelationshipForm,
)
from stakeholders.services import Access, LinkNotUsable
from teams.access import AuthenticatedHttpRequest, get_team_for_facilitator
from teams.language import use_team_language

VISIT_COOKIE = "mirror_stakeholder"
VISIT_SALT = "team-mirror.stakeholder-visit"
ANSWERED_COOKIE = "mirror_answered"
ANSWERED_SALT = "team-mirror.stakeholder-answered"
# How many rounds' marks one browser keeps (the most recent ones).
ANSWERED_MAX = 20
NEW_LINK_KEY = "new_stakeholder_link"
DAY = 24 * 60 * 60
# A shared link's answers per client per round: kept for longer than a round runs.
LINK_ANSWERS_SECONDS = 60 * 60 * 24 * 90


def _round_for_facilitator(request: HttpRequest, code: UUID) -> Round:
    """The round with this code if the user facilitates its team: 404 for anyone
    outside the team (and for an unknown round), 403 for a member."""
    round = Round.objects.select_related("team").filter(code=code).first()
    if round is None:
        raise Http404
    get_team_for_facilitator(request, round.team.code)
    return round


def _manage_page(
    request: HttpRequest, round: Round, form: InvitationsForm
) -> HttpResponse:
    turnout = services.turnout(round=round)
    ctx = {
        "round": round,
        "team": round.team,
        "link": round.stakeholder_links.filter(revoked_at__isnull=True).first(),
        "new_link": request.session.pop(NEW_LINK_KEY, None),
        "invitations": services.invitation_counts(round=round, counted=turnout),
        "turnout": turnout,
        "form": form,
        "is_open": round.is_open(),
    }
    return render(request, "stakeholders/manage.html", ctx)


def manage(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round = _round_for_facilitator(request, code)
    return _manage_page(request, round, InvitationsForm())


@require_POST
def link_create(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round = _round_for_facilitator(request, code)
    if not round.is_open():
        messages.error(request, _("Stakeholder links work only while a round is open."))
        return redirect("stakeholders:manage", round.code)
    replaced = round.stakeholder_links.filter(revoked_at__isnull=True).exists()
    _link, token = services.link_create(round=round, actor=request.user)
    # Shown once, on the next page: only the token's hash is stored.
    url = settings.SITE_URL + reverse("stakeholders:token", args=[token])
    request.session[NEW_LINK_KEY] = {"url": url, "replaced": replaced}
    return redirect("stakeholders:manage", round.code)


@require_POST
def link_revoke(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round = _round_for_facilitator(request, code)
    if services.link_revoke(round=round, actor=request.user):
        messages.success(request, _("Link revoked: it no longer works."))
    return redirect("stakeholders:manage", round.code)


@require_POST
@limit("invite", "RATELIMIT_INVITE", per="user")
def invite(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round = _round_for_facilitator(request, code)
    if not round.is_open():
        messages.error(
            request, _("Invitations can be sent only while a round is open.")
        )
        return redirect("stakeholders:manage", round.code)
    form = InvitationsForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, round, form)
    try:
        sent = services.invitations_create(
            round=round, addresses=form.cleaned_data["addresses"], actor=request.user
        )
    except services.InvitationCapReached as cap:
        form.add_error("addresses", _cap_message(cap))
        return _manage_page(request, round, form)
    count = len(sent)
    messages.success(
        request,
        ngettext(
            "%(count)d invitation is on its way.",
            "%(count)d invitations are on their way.",
            count,
        )
        % {"count": count},
    )
    return redirect("stakeholders:manage", round.code)


def _cap_message(cap: services.InvitationCapReached) -> str:
    if cap.per_round_left <= cap.per_person_left:
        return ngettext(
            "A round takes at most %(max)d stakeholder invitations: %(left)d more "
            "can be sent for this one.",
            "A round takes at most %(max)d stakeholder invitations: %(left)d more "
            "can be sent for this one.",
            cap.per_round_left,
        ) % {
            "max": settings.STAKEHOLDER_INVITATIONS_PER_ROUND,
            "left": cap.per_round_left,
        }
    return ngettext(
        "One person may invite at most %(max)d people in 24 hours: you can invite "
        "%(left)d more today.",
        "One person may invite at most %(max)d people in 24 hours: you can invite "
        "%(left)d more today.",
        cap.per_person_left,
    ) % {
        "max": settings.INVITATIONS_PER_PERSON_PER_DAY,
        "left": cap.per_person_left,
    }


@require_POST
def invitations_revoke(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    round = _round_for_facilitator(request, code)
    count = services.invitations_revoke(round=round, actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d unused invitation revoked.",
                "%(count)d unused invitations revoked.",
                count,
            )
            % {"count": count},
        )
    return redirect("stakeholders:manage", round.code)


def groups(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    team, _membership = get_team_for_facilitator(request, code)
    names = list(team.stakeholder_groups.values_list("name", flat=True))
    form = GroupsForm(request.POST or None, initial={"groups": "\n".join(names)})
    if request.method == "POST" and form.is_valid():
        services.groups_replace(team=team, names=form.cleaned_data["groups"])
        messages.success(request, _("Relationships saved."))
        return redirect("stakeholders:groups", team.code)
    return render(request, "stakeholders/groups.html", {"team": team, "form": form})


# The anonymous pages. No account; rate-limited per client; never cached.


def _invalid(request: HttpRequest) -> HttpResponse:
    # The same page whatever made the link unusable; after a sent form it also
    # says that what was typed is still in this browser (nothing was stored).
    ctx = {"unsent": request.method == "POST"}
    return render(request, "stakeholders/invalid.html", ctx, status=404)


def _visit(request: HttpRequest) -> object:
    """What the signed visit cookie holds, or None if it is missing or forged."""
    raw = request.COOKIES.get(VISIT_COOKIE, "")
    try:
        return signing.loads(raw, salt=VISIT_SALT, max_age=settings.SESSION_COOKIE_AGE)
    except (ValueError, signing.BadSignature):
        return None


def _set_visit(response: HttpResponse, value: Mapping[str, object]) -> None:
    response.set_cookie(
        VISIT_COOKIE,
        signing.dumps(value, salt=VISIT_SALT),
        max_age=settings.SESSION_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _round_mark(round: Round) -> str:
    """What the browser keeps of a round it answered through a shared link: a
    keyed hash of the round (nothing of the answer, the link or the time)."""
    return salted_hmac(ANSWERED_SALT, str(round.code), algorithm="sha256").hexdigest()[
        :20
    ]


def _answered_marks(request: HttpRequest) -> dict[str, int]:
    """The rounds this browser answered through a shared link: mark → the day
    (days since 1970) after which the mark can be forgotten."""
    raw = request.COOKIES.get(ANSWERED_COOKIE, "")
    try:
        value = signing.Signer(salt=ANSWERED_SALT).unsign_object(raw)
    except (ValueError, signing.BadSignature):
        return {}
    if not isinstance(value, dict):
        return {}
    today = int(time.time()) // DAY
    return {
        mark: until
        for mark, until in value.items()
        if isinstance(mark, str) and isinstance(until, int) and until >= today
    }


def _remember_answered(
    request: HttpRequest, response: HttpResponse, round: Round
) -> None:
    """Add the round to the browser's answered marks, kept until the round can
    no longer take answers: its closing date or 90 days after it opened,
    whichever is later, in whole days. The cookie has no timestamp and its
    expiry comes from the rounds, so nothing in the browser dates the answer."""
    opened = round.opened_at or round.created
    ends = max(
        opened.timestamp() + LINK_ANSWERS_SECONDS,
        round.closes_at.timestamp() if round.closes_at else 0,
    )
    marks = _answered_marks(request)
    marks[_round_mark(round)] = int(ends) // DAY + 1
    kept = dict(sorted(marks.items(), key=lambda item: item[1])[-ANSWERED_MAX:])
    expires = max(kept.values()) * DAY
    response.set_cookie(
        ANSWERED_COOKIE,
        signing.Signer(salt=ANSWERED_SALT).sign_object(kept, compress=True),
        max_age=max(expires - int(time.time()), 0),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _session_access(
    request: HttpRequest,
) -> tuple[Access, Round, list[RoundDimension]] | HttpResponse:
    """The link or invitation of this visit, its open round and the round's
    dimensions, or the page to show instead: "not valid", or "already answered"
    for this browser."""
    visit = _visit(request)
    if isinstance(visit, dict) and visit.get("answered"):
        return _already_answered(request)
    access = Access.from_session(visit)
    if access is None:
        return _invalid(request)
    found = services.round_for_access(access)
    if found is None:
        if services.answered_by_this_visit(access):
            # A double click's second request, arriving after the first stored
            # the answer and before the browser had the "answered" cookie.
            return _already_answered(request)
        return _invalid(request)
    round, dimensions = found
    if access.kind == "link" and _round_mark(round) in _answered_marks(request):
        # This browser already answered the round through the shared link.
        return _already_answered(request)
    use_team_language(request, round.team.language)
    return access, round, dimensions


@login_not_required
@never_cache
def token(request: HttpRequest, token: str) -> HttpResponse:
    # Always a redirect: an error page here would log the token with the URL.
    # Past the rate limit the session is left alone and /s/ answers 429.
    response = redirect("stakeholders:answer")
    response.status_code = 303
    if hit(request, "anonymous", settings.RATELIMIT_ANONYMOUS):
        access = services.access_for_token(token)
        if access is None:
            response.delete_cookie(VISIT_COOKIE, samesite="Lax")
        else:
            _set_visit(response, access.as_session())
    return response


@login_not_required
@never_cache
def answer(request: HttpRequest) -> HttpResponse:
    # A view of the page counts against RATELIMIT_ANONYMOUS, a sent answer against
    # RATELIMIT_SUBMISSIONS: a completed answer is not refused for the pages other
    # people at the same address looked at. A refused POST keeps what was typed.
    scope, rate = _limit_for(request)
    within = hit(request, scope, rate)
    if not within and request.method != "POST":
        return too_many_requests(request, rate)
    found = _session_access(request)
    if isinstance(found, HttpResponse):
        return found
    access, round, dimensions = found
    if _is_member(request, round):
        ctx = {"team": round.team}
        return render(request, "stakeholders/own_team.html", ctx, status=403)
    groups = services.relationship_names(round.team)
    if within and request.method == "POST" and request.POST:
        # A valid answer is stored without building the forms (``valid_answers``).
        name = request.POST.get("relationship")
        answers = valid_answers(dimensions, request.POST, include_checkin=False)
        if answers is not None and name and name in groups:
            return _submit(request, access, round, dimensions, groups, name, answers)

    if request.method != "POST":
        blank = _blank(round, dimensions, request.GET.get("rows"))
        return _answer_page(request, round, RelationshipForm(groups=groups), blank)
    relationship, form = _forms(request, dimensions, groups)
    if not within:
        return _answer_page(request, round, relationship, form, refused_rate=rate)
    if request.method == "POST" and relationship.is_valid() and form.is_valid():
        return _submit(
            request,
            access,
            round,
            dimensions,
            groups,
            relationship.cleaned_data["relationship"],
            form.answers(),
        )
    return _answer_page(request, round, relationship, form)


def _forms(
    request: HttpRequest, dimensions: list[RoundDimension], groups: list[str]
) -> tuple[RelationshipForm, AnswerForm]:
    """The relationship and answer forms, bound to what was sent (if anything)."""
    relationship = RelationshipForm(request.POST or None, groups=groups)
    form = AnswerForm(
        dimensions,
        request.POST or None,
        include_checkin=False,
        from_outside=True,
        initial={"note_rows": request.GET.get("rows")},
    )
    return relationship, form


def _is_member(request: HttpRequest, round: Round) -> bool:
    """A signed-in member of the round's team, who must not answer as an outsider."""
    return request.user.is_authenticated and (
        round.team.memberships.filter(user=request.user).exists()
    )


def _limit_for(request: HttpRequest) -> tuple[str, str]:
    if request.method == "POST":
        return "submission", settings.RATELIMIT_SUBMISSIONS
    return "anonymous", settings.RATELIMIT_ANONYMOUS


@login_not_required
@require_POST
@never_cache
def more_notes(request: HttpRequest) -> HttpResponse:
    """The same answers again with more boxes for notes; nothing is stored."""
    rate = settings.RATELIMIT_ANONYMOUS
    within = hit(request, "anonymous", rate)
    found = _session_access(request)
    if isinstance(found, HttpResponse):
        return found
    _access, round, dimensions = found
    if _is_member(request, round):
        ctx = {"team": round.team}
        return render(request, "stakeholders/own_team.html", ctx, status=403)
    groups = services.relationship_names(round.team)
    initial = request.POST.dict()
    relationship = RelationshipForm(initial=initial, groups=groups)
    form = AnswerForm(
        dimensions,
        initial=initial,
        include_checkin=False,
        more_note_rows=within,
        from_outside=True,
    )
    return _answer_page(
        request, round, relationship, form, refused_rate=None if within else rate
    )


def _blank(round: Round, dimensions: list[RoundDimension], rows: object) -> str:
    """A blank form's fields, rendered once for everyone (``answer_fields``)."""
    return answer_fields.blank_fields(
        round,
        dimensions,
        from_outside=True,
        rows=rows,
        more_notes_url=reverse("stakeholders:more_notes"),
        build=lambda: AnswerForm(
            dimensions,
            include_checkin=False,
            from_outside=True,
            initial={"note_rows": rows},
        ),
    )


def _answer_page(
    request: HttpRequest,
    round: Round,
    relationship: RelationshipForm,
    form: AnswerForm | str,
    *,
    refused_rate: str | None = None,
    refusal: str = "",
) -> HttpResponse:
    """The form, with what was typed. With ``refused_rate`` it says that the answer
    was not taken because of the rate limit (429), and when to send it again."""
    wait = retry_after(refused_rate) if refused_rate else 0
    ctx = {
        "round": round,
        "team": round.team,
        "relationship": relationship,
        "form": form if isinstance(form, AnswerForm) else None,
        "fields_html": mark_safe(form) if isinstance(form, str) else "",
        "more_notes_url": reverse("stakeholders:more_notes"),
        "refused_minutes": -(-wait // 60),
        "refusal": refusal,
        # The browser keeps an unsent answer under this name: the round, but not
        # its code (which a stakeholder has no use for).
        "draft_key": "stakeholder:"
        + salted_hmac("draft", str(round.code), algorithm="sha256").hexdigest()[:20],
    }
    response = render(
        request,
        "stakeholders/answer.html",
        ctx,
        status=429 if wait or refusal else 200,
    )
    if wait:
        response["Retry-After"] = str(wait)
    return response


def _link_answers_key(request: HttpRequest, round: Round) -> str:
    # Neither the round, the link nor the address can be read from the key.
    client = salted_hmac(
        "stakeholder-link-answers",
        f"{round.code}:{client_address(request)}",
        algorithm="sha256",
    )
    return f"link-answers:{client.hexdigest()[:32]}"


def _submit(
    request: HttpRequest,
    access: Access,
    round: Round,
    dimensions: list[RoundDimension],
    groups: list[str],
    relationship: str,
    answers: Answers,
) -> HttpResponse:
    # Exactly once comes from the database (a used invitation, a submit guard),
    # never from a cache: a double click's second request is told it was counted.
    counter = _link_answers_key(request, round) if access.kind == "link" else ""
    cap = settings.LINK_ANSWERS_PER_CLIENT_PER_ROUND
    if counter and (cache.get(counter) or 0) >= cap:
        refusal = _(
            "This link has taken as many answers from your connection as it "
            "takes (%(cap)d). Your answer is still here: ask the team for a "
            "personal invitation."
        ) % {"cap": cap}
        relationship_form, form = _forms(request, dimensions, groups)
        return _answer_page(request, round, relationship_form, form, refusal=refusal)
    try:
        services.stakeholder_response_submit(
            access=access,
            round=round,
            relationship=relationship,
            answers=answers,
        )
    except services.AlreadySent:
        return _already_answered(request)
    except LinkNotUsable:
        return _invalid(request)
    if counter:
        bump(counter, timeout=LINK_ANSWERS_SECONDS)
    response = redirect("stakeholders:thanks")
    _set_visit(response, {"answered": True})
    if access.kind == "link":
        _remember_answered(request, response, round)
    return response


def _already_answered(request: HttpRequest) -> HttpResponse:
    messages.info(
        request, _("You have already answered. Your answer was counted once.")
    )
    return redirect("stakeholders:thanks")


@login_not_required
@never_cache
@anonymous_limit
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "stakeholders/thanks.html")
