"""The README's recipe for keeping tokens out of access logs names every URL that
carries a token, and its nginx patterns mask each of them (issue 24 point 10).

Every route that takes a value other than a UUID or a number is a token route
(a stakeholder link, an invitation, an unsubscribe link, an email confirmation
key, a password reset link). A new one fails this test until the README names it.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    reverse,
)

README = Path(__file__).resolve().parents[1] / "README.md"
SAMPLE = "Tok3n-Value_x"


def _routes(
    patterns: list[URLPattern | URLResolver], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, list[str]]]:
    """(URL name, route text, names of the values it takes) of every route."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif entry.name:
            route = prefix + str(entry.pattern)
            yield (
                f"{namespace}{entry.name}",
                route,
                list(entry.pattern.regex.groupindex),
            )


def _with_tokens(name: str, values: list[str]) -> str | None:
    """A URL of the route with the sample token in every value that takes one
    (a value that takes only a UUID or a number gets one), or None if none does."""
    candidates = [SAMPLE, str(uuid.UUID(int=1)), "1"]
    best: tuple[int, str] | None = None
    for chosen in itertools.product(candidates, repeat=len(values)):
        try:
            url = reverse(name, kwargs=dict(zip(values, chosen, strict=True)))
        except NoReverseMatch:
            continue
        tokens = chosen.count(SAMPLE)
        if tokens and (best is None or tokens > best[0]):
            best = (tokens, url)
    return best[1] if best else None


def token_routes() -> dict[str, str]:
    """route text → a URL of it with a sample token, outside the admin."""
    found = {}
    for name, route, values in _routes(get_resolver().url_patterns):
        if values and not route.startswith("admin/"):
            url = _with_tokens(name, values)
            if url is not None:
                found[route] = url
    return found


def _recipe() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Keep tokens out of access logs")
    return text[start : text.index("\n## ", start)]


def _masks() -> list[re.Pattern[str]]:
    """The nginx map's patterns (``~^…``) in the README's recipe."""
    return [re.compile(m) for m in re.findall(r"^\s*~(\^\S+)", _recipe(), re.M)]


def test_there_are_token_routes() -> None:
    routes = token_routes()
    assert "s/<str:token>/" in routes
    assert any("confirm-email" in route for route in routes)
    assert any("password/reset" in route for route in routes)


def test_the_readme_names_every_url_that_carries_a_token() -> None:
    recipe = _recipe()
    for url in token_routes().values():
        shown = url.replace(SAMPLE, "…").split("…")[0]
        assert f"`{shown}" in recipe, f"the README does not name {shown}…"


def test_the_readmes_patterns_mask_every_token() -> None:
    masks = _masks()
    assert masks
    for route, url in token_routes().items():
        assert any(mask.match(url) for mask in masks), f"{route} is logged"


def test_the_patterns_leave_other_pages_alone() -> None:
    for url in ("/", "/teams/new/", "/s/", "/accounts/login/", "/api/docs"):
        assert not any(mask.match(url) for mask in _masks()), url
