"""Which language a page is in (docs/languages.md), first found wins:

1. the person's own setting, kept in their session once signed in (read from
   ``LanguagePreference`` at sign-in and whenever they change it, so no page pays a
   query for it); for someone without an account, the footer's choice (a cookie);
2. the browser's ``Accept-Language``, its first language the site ships;
3. the team's default language, on the pages of one team (``use_team_language``,
   called by ``teams.access`` and the stakeholder pages once they know the team);
4. English.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from teams.models import language_of

SESSION_KEY = "mirror_language"


def supported(code: str | None) -> str:
    """``code`` as one of the shipped languages ("de-AT" -> "de"), or ""."""
    if not code:
        return ""
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return ""


def from_browser(request: HttpRequest) -> str:
    """The first language of ``Accept-Language`` the site ships, or ""."""
    header = request.headers.get("Accept-Language", "")
    weighted = []
    for position, part in enumerate(header.split(",")):
        code, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if code and code != "*" and quality > 0:
            weighted.append((-quality, position, code.strip()))
    for _quality, _position, code in sorted(weighted):
        if found := supported(code):
            return found
    return ""


def chosen(request: HttpRequest) -> str:
    """The person's own choice: their setting (signed in) or the footer's cookie."""
    session = getattr(request, "session", None)
    if session is not None and (code := supported(session.get(SESSION_KEY))):
        return code
    return supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (Content-Language, Vary) with the order above."""

    def process_request(self, request: HttpRequest) -> None:
        code = chosen(request) or from_browser(request)
        request.language_settled = bool(code)  # type: ignore[attr-defined]
        code = code or settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        # The language also follows the session and the team: a cache must not
        # give one person's page to another.
        patch_vary_headers(response, ["Cookie"])
        return response


def use_team_language(request: HttpRequest, language: str) -> None:
    """Switch to the team's default language if nothing else chose one."""
    if getattr(request, "language_settled", True):
        return
    code = supported(language)
    if code and code != translation.get_language():
        translation.activate(code)
        request.LANGUAGE_CODE = code


def remember(request: HttpRequest, code: str) -> None:
    """Keep the person's setting in their session (or forget it: "")."""
    if code:
        request.session[SESSION_KEY] = code
    else:
        request.session.pop(SESSION_KEY, None)


@receiver(user_logged_in)
def _on_sign_in(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        remember(request, language_of(user))
