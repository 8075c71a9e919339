"""The read-only API: one team's data for a program that holds the team's token.

Every answer is built by ``api.selectors`` from the report assembly, so the minimum
rule and everything else the report hides is hidden here too. A token reads only
its own team: another team's code, an unknown code and a draft round all give the
same 404; a missing, wrong or revoked token the same 401; past ``RATELIMIT_API``,
429 with Retry-After.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.docs import Swagger

from api import selectors
from api.auth import RateLimited, TeamToken
from api.models import ApiToken
from api.schemas import (
    ActionsOut,
    FiguresOut,
    Message,
    NotesOut,
    RoundOut,
    TeamOut,
)
from config.ratelimit import retry_after
from teams.models import Team

DESCRIPTION = """\
Read-only access to one team's data, with a token a facilitator of the team makes
on the team's **API tokens** page. Send it as `Authorization: Bearer <token>`.

Everything follows the report's rules: a round shows results only once it has closed
and enough people answered (its `min_responses`); a group below the minimum has no
entry, a hidden figure is `null`, and no answer of one person is ever given.
"""

api = NinjaAPI(
    title="Team Mirror API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TeamToken(),
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)

ERRORS: dict[int, Any] = {401: Message, 404: Message, 429: Message}


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("A valid API token is needed.")}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("Too many requests: try again later.")}, status=429
    )
    response["Retry-After"] = str(retry_after(exc.rate))
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


def _team(request: HttpRequest, code: UUID) -> Team:
    """The token's team if ``code`` is its code; 404 for any other code."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if token.team.code != code:
        raise Http404
    return token.team


@api.get("/teams/{uuid:team}", response={200: TeamOut, **ERRORS}, tags=["team"])
def team(request: HttpRequest, team: UUID) -> dict[str, Any]:
    """The team."""
    found = _team(request, team)
    return {"code": found.code, "name": found.name, "description": found.description}


@api.get(
    "/teams/{uuid:team}/rounds",
    response={200: list[RoundOut], **ERRORS},
    tags=["rounds"],
)
def rounds(request: HttpRequest, team: UUID) -> list[dict[str, Any]]:
    """Every round of the team that has opened, oldest first."""
    return selectors.rounds_data(_team(request, team))


@api.get(
    "/teams/{uuid:team}/rounds/{uuid:round}",
    response={200: RoundOut, **ERRORS},
    tags=["rounds"],
)
def round_detail(request: HttpRequest, team: UUID, round: UUID) -> dict[str, Any]:
    """One round."""
    return selectors.round_summary(_team(request, team), round)


@api.get(
    "/teams/{uuid:team}/rounds/{uuid:round}/figures",
    response={200: FiguresOut, **ERRORS},
    tags=["rounds"],
)
def figures(request: HttpRequest, team: UUID, round: UUID) -> dict[str, Any]:
    """The round's figures: who answered (by visible group), each dimension by
    group, the gap between the team and its stakeholders, the change since the
    previous round, and the check-in."""
    return selectors.figures_data(_team(request, team), round)


@api.get(
    "/teams/{uuid:team}/rounds/{uuid:round}/notes",
    response={200: NotesOut, **ERRORS},
    tags=["rounds"],
)
def notes(request: HttpRequest, team: UUID, round: UUID) -> dict[str, Any]:
    """The round's keep / stop / start notes, comments and check-in reasons, in
    random order, labelled Team or Stakeholders only."""
    return selectors.notes_data(_team(request, team), round)


@api.get(
    "/teams/{uuid:team}/rounds/{uuid:round}/actions",
    response={200: ActionsOut, **ERRORS},
    tags=["rounds"],
)
def actions(request: HttpRequest, team: UUID, round: UUID) -> dict[str, Any]:
    """The actions the team agreed in the round's retro, and the input metrics it
    recorded beside the round."""
    return selectors.actions_data(_team(request, team), round)
