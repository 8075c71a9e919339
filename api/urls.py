from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path

from api import views
from api.endpoints import api

app_name = "api"


def _public(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API answers programs with a token, not signed-in people: its views are
    exempt from the sign-in redirect (its own auth gives 401 instead)."""
    for p in patterns:
        if isinstance(p, URLPattern):
            p.callback = login_not_required(p.callback)
    return patterns


urlpatterns = [
    path("teams/<uuid:code>/api-tokens/", views.tokens, name="tokens"),
    path("teams/<uuid:code>/api-tokens/new/", views.token_create, name="token_create"),
    path(
        "teams/<uuid:code>/api-tokens/<uuid:token>/revoke/",
        views.token_revoke,
        name="token_revoke",
    ),
    path("api/", include(_public(api.urls[0]))),
]
