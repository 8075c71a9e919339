"""The facilitator's page for a team's API tokens: make one (its secret shown
once), see them all, revoke one. Members get 403, outsiders 404."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from api import services
from api.forms import ApiTokenForm
from config.ratelimit import limit
from teams.access import AuthenticatedHttpRequest, get_team_for_facilitator
from teams.models import Team

NEW_TOKEN_SESSION_KEY = "new_api_token"  # noqa: S105 (a session key name)


@require_safe
def tokens(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    team, _membership = get_team_for_facilitator(request, code)
    return _tokens_page(request, team, ApiTokenForm())


def _tokens_page(
    request: AuthenticatedHttpRequest, team: Team, form: ApiTokenForm
) -> HttpResponse:
    ctx = {
        "team": team,
        "form": form,
        "tokens": team.api_tokens.select_related("created_by"),
        "new_token": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
        "api_root": settings.SITE_URL + reverse("api:api-root"),
        "docs_url": reverse("api:openapi-view"),
        "per_team": settings.API_TOKENS_PER_TEAM,
    }
    return render(request, "api/tokens.html", ctx, status=400 if form.errors else 200)


@require_POST
@limit("api-token", "RATELIMIT_INVITE", per="user")
def token_create(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    team, _membership = get_team_for_facilitator(request, code)
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, team, form)
    name = form.cleaned_data["name"]
    try:
        token, secret = services.api_token_create(
            team=team, name=name, actor=request.user
        )
    except services.TooManyTokens:
        form.add_error(
            None,
            _(
                "The team has %(max)d API tokens already, the most it may have. "
                "Revoke one it no longer uses first."
            )
            % {"max": settings.API_TOKENS_PER_TEAM},
        )
        return _tokens_page(request, team, form)
    except services.NameTaken:
        form.add_error(
            "name", _("The team has a token with this name: choose another name.")
        )
        return _tokens_page(request, team, form)
    # Shown once, on the next page: only the secret's hash is stored.
    request.session[NEW_TOKEN_SESSION_KEY] = {"name": token.name, "secret": secret}
    return redirect("api:tokens", team.code)


@require_POST
def token_revoke(
    request: AuthenticatedHttpRequest, code: UUID, token: UUID
) -> HttpResponse:
    team, _membership = get_team_for_facilitator(request, code)
    found = get_object_or_404(team.api_tokens.select_related("team"), code=token)
    if services.api_token_revoke(token=found, actor=request.user):
        messages.success(
            request,
            _("The token %(name)s is revoked: it no longer works.")
            % {"name": found.name},
        )
    return redirect("api:tokens", team.code)
