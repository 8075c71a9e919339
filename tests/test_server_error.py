from __future__ import annotations

from django.test import RequestFactory
from django.views.defaults import server_error


def test_it_renders_without_a_request_context() -> None:
    # Django renders 500.html with an empty context: the page must not need one.
    r = server_error(RequestFactory().get("/"))
    assert r.status_code == 500
    text = r.content.decode()
    assert '<html lang="en">' in text
    assert "<h1>Something went wrong</h1>" in text
    assert "Nothing you submitted was half-saved" in text
