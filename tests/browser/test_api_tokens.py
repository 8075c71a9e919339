"""A facilitator makes an API token in a real browser, copies it from the page it is
shown on once, and the API documentation renders under the site's CSP from the
site's own files."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from teams.models import Team
from tests.browser.conftest import Visitor, VisitorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_facilitator_makes_a_token_and_reads_the_docs(
    visitor_factory: VisitorFactory, team: Team
) -> None:
    alice: Visitor = visitor_factory()
    alice.sign_in("alice")
    alice.goto(f"/teams/{team.code}/")
    alice.follow(alice.page.get_by_role("link", name="API tokens"))
    alice.page.get_by_label("Name").fill("Team dashboard")
    alice.follow(alice.page.get_by_role("button", name="Make token"))
    secret = alice.page.get_by_label("API token").input_value()
    assert secret.startswith("tm_")
    alice.screenshot("api-tokens", max_height=900)
    r = Client().get(
        f"/api/teams/{team.code}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert json.loads(r.content)["name"] == "Alpha"
    alice.page.reload()
    assert alice.page.get_by_label("API token").count() == 0

    # The docs: Swagger UI from /static/, no CSP violation, no script error.
    requests: list[str] = []
    alice.page.on("request", lambda request: requests.append(request.url))
    alice.page.goto(alice.base_url + "/api/docs")
    alice.page.get_by_text("/api/teams/{team}/rounds/{round}/figures").wait_for()
    assert not alice.problems, alice.problems
    assert all(url.startswith(alice.base_url) for url in requests), requests
