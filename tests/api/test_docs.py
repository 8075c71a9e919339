"""The API's OpenAPI schema and documentation: served by the app, from its own
static files, under the site's Content Security Policy."""

from __future__ import annotations

import json
import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_the_docs_use_the_sites_own_files_under_its_csp(client: Client) -> None:
    r = client.get("/api/docs")
    assert r.status_code == 200
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', r.text)
    styles = re.findall(r'<link[^>]*href="([^"]+)"', r.text)
    assert "/static/ninja/swagger-ui-bundle.js" in scripts
    for url in scripts + styles:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("style-src")[0]
    assert "cdn" not in r.text.lower()


def test_the_schema_describes_every_endpoint_with_bearer_tokens(
    client: Client,
) -> None:
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    schema = json.loads(r.content)
    assert set(schema["paths"]) == {
        "/api/teams/{team}",
        "/api/teams/{team}/rounds",
        "/api/teams/{team}/rounds/{round}",
        "/api/teams/{team}/rounds/{round}/figures",
        "/api/teams/{team}/rounds/{round}/notes",
        "/api/teams/{team}/rounds/{round}/actions",
    }
    assert all(set(ops) == {"get"} for ops in schema["paths"].values())
    assert schema["components"]["securitySchemes"]["TeamToken"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_the_docs_need_no_sign_in(client: Client) -> None:
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/openapi.json").status_code == 200
