"""Moving a team to another server: its facilitator downloads the team's archive
here, and on the new server anyone signed in uploads it, creating the team with
themselves as its facilitator and every other member invited by email. Members get
403, outsiders 404 (``teams.access``)."""

from __future__ import annotations

import json
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from config.ratelimit import limit
from moving.archive import RoundStillOpen, team_archive
from moving.forms import ImportForm
from moving.services import ArchiveError, load
from moving.services import team_import as import_archive
from teams.access import AuthenticatedHttpRequest, get_team_for_facilitator
from teams.models import Team


@require_safe
def move(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    team, _membership = get_team_for_facilitator(request, code)
    return _move_page(request, team)


def _move_page(
    request: AuthenticatedHttpRequest, team: Team, error: str = ""
) -> HttpResponse:
    ctx = {"team": team, "error": error}
    return render(request, "moving/move.html", ctx, status=409 if error else 200)


@require_safe
def archive_download(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    team, _membership = get_team_for_facilitator(request, code)
    try:
        data = team_archive(team)
    except RoundStillOpen as error:
        return _move_page(request, team, str(error))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n",
        content_type="application/json; charset=utf-8",
    )
    name = slugify(team.name) or "team"
    response["Content-Disposition"] = f'attachment; filename="team-mirror-{name}.json"'
    return response


class ArchiveUploadHandler(MemoryFileUploadHandler):
    """Keeps the uploaded archive in memory, up to ``TEAM_ARCHIVE_MAX_BYTES``
    (the site takes no other upload: ``config.middleware``)."""

    def handle_raw_input(self, *args: object, **kwargs: object) -> None:
        super().handle_raw_input(*args, **kwargs)  # type: ignore[arg-type]
        self.activated = True


@csrf_exempt
def team_import(request: HttpRequest) -> HttpResponseBase:
    # The upload handler must be set before the body is read, and so before the
    # CSRF check reads it: that check is made by ``_team_import``.
    request.upload_handlers = [ArchiveUploadHandler(request)]
    return _team_import(request)


@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
@limit("team-create", "RATELIMIT_TEAM_CREATE", per="user")
def _team_import(request: HttpRequest) -> HttpResponseBase:
    if request.method != "POST":
        return _import_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form)
    upload = form.cleaned_data["archive"]
    try:
        if upload.size > settings.TEAM_ARCHIVE_MAX_BYTES:
            load(b" " * (settings.TEAM_ARCHIVE_MAX_BYTES + 1))
        result = import_archive(
            archive=load(upload.read()),
            actor=request.user,  # type: ignore[arg-type]
            add_verified=False,
        )
    except ArchiveError as error:
        form.add_error("archive", str(error))
        return _import_page(request, form)
    messages.success(
        request,
        _(
            "The team %(team)s is on this server now. Rounds: %(rounds)d; members "
            "invited by email: %(invited)d."
        )
        % {
            "team": result.team.name,
            "rounds": result.rounds,
            "invited": len(result.invited),
        },
    )
    return redirect(result.team)


def _import_page(request: HttpRequest, form: ImportForm) -> HttpResponse:
    ctx = {"form": form, "max_bytes": settings.TEAM_ARCHIVE_MAX_BYTES}
    return render(
        request, "moving/import.html", ctx, status=400 if form.errors else 200
    )
