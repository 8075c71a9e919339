"""Request bodies are bounded before any view reads them.

Team Mirror takes one file upload, a team's archive (``UPLOAD_PATHS``: multipart,
up to ``TEAM_ARCHIVE_MAX_BYTES``, kept in memory), and its other forms are sent
URL-encoded, so a multipart body is refused everywhere else (415), before Django
parses it or spools a file to disk; any body larger than ``REQUEST_BODY_MAX_BYTES``
(there: than the upload's limit) is refused from its Content-Length (413).
``DATA_UPLOAD_MAX_MEMORY_SIZE`` is the same number, so a body sent without a
length is still cut off when it is read.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        content_type = request.META.get("CONTENT_TYPE", "").lower()
        upload = settings.UPLOAD_PATHS.get(request.path_info)
        if content_type.startswith("multipart/") and upload is None:
            return _refuse(request, "415.html", 415)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refuse(request, "400.html", 400)
        if length > (upload or settings.REQUEST_BODY_MAX_BYTES):
            return _refuse(request, "413.html", 413)
        return self.get_response(request)


def _refuse(request: HttpRequest, template: str, status: int) -> HttpResponse:
    response = render(request, template, status=status)
    # The body was not read: the connection must not be reused for another request.
    response["Connection"] = "close"
    return response
