"""Making a token: /teams/<code>/api-tokens/new/."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.test import Client, override_settings

from api.models import ApiToken
from teams.models import ActivityEntry, Team, hash_token
from tests.api.conftest import make_token


def url(team: Team) -> str:
    return f"/teams/{team.code}/api-tokens/new/"


def page(team: Team) -> str:
    return f"/teams/{team.code}/api-tokens/"


def shown_secret(html: str) -> str | None:
    found = re.search(r'id="new-token"[^>]*value="([^"]+)"', html)
    return found[1] if found else None


def test_it_shows_the_secret_once_and_stores_only_its_hash(
    alice_client: Client, team: Team
) -> None:
    r = alice_client.post(url(team), {"name": "Dashboard"})
    assert r.status_code == 302
    assert r["Location"] == page(team)
    secret = shown_secret(alice_client.get(page(team)).text)
    assert secret is not None
    assert shown_secret(alice_client.get(page(team)).text) is None
    token = ApiToken.objects.get()
    assert (token.team, token.name) == (team, "Dashboard")
    assert token.token_hash == hash_token(secret)
    stored = repr(list(ApiToken.objects.values_list()))
    assert secret not in stored
    # 256 random bits from `secrets` (43 URL-safe characters) after the prefix.
    assert re.fullmatch(r"tm_[A-Za-z0-9_-]{43}", secret)


def test_it_is_logged_in_the_teams_activity_log(
    alice_client: Client, bob_client: Client, team: Team
) -> None:
    alice_client.post(url(team), {"name": "Dashboard"})
    entry = ActivityEntry.objects.for_team(team).first()
    assert entry is not None
    assert (entry.action, entry.actor_name, entry.detail) == (
        ActivityEntry.Action.API_TOKEN_CREATED,
        "alice",
        {"name": "Dashboard"},
    )
    log = bob_client.get(f"/teams/{team.code}/activity/").text
    # The name as the log quotes it, isolated (a right-to-left name stays put).
    assert "made the API token “\u2068Dashboard\u2069”" in log


def test_a_blank_name_is_refused_on_the_same_page(
    alice_client: Client, team: Team
) -> None:
    r = alice_client.post(url(team), {"name": "   "})
    assert r.status_code == 400
    assert "Give the token a name." in r.text
    assert not ApiToken.objects.exists()


def test_a_name_in_use_is_refused_with_the_name_kept(
    alice_client: Client, team: Team, alice: User
) -> None:
    make_token(team, alice, "Dashboard")
    r = alice_client.post(url(team), {"name": "Dashboard"})
    assert r.status_code == 400
    assert "The team has a token with this name" in r.text
    assert 'value="Dashboard"' in r.text
    assert ApiToken.objects.count() == 1


def test_a_double_submit_makes_one_token_and_still_shows_it(
    alice_client: Client, team: Team
) -> None:
    alice_client.post(url(team), {"name": "Dashboard"})
    r = alice_client.post(url(team), {"name": "Dashboard"})
    assert ApiToken.objects.count() == 1
    assert ActivityEntry.objects.filter(action="api_token_created").count() == 1
    # The second answer is the one the browser shows: the secret is on it.
    assert shown_secret(r.text) is not None


@override_settings(API_TOKENS_PER_TEAM=2)
def test_a_team_has_at_most_the_configured_tokens(
    alice_client: Client, team: Team, alice: User
) -> None:
    make_token(team, alice, "One")
    make_token(team, alice, "Two")
    r = alice_client.post(url(team), {"name": "Three"})
    assert r.status_code == 400
    assert "The team has 2 API tokens already" in r.text
    assert ApiToken.objects.count() == 2


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    assert bob_client.post(url(team), {"name": "Mine"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    assert carol_client.post(url(team), {"name": "Mine"}).status_code == 404
    assert not ApiToken.objects.exists()


def test_it_rejects_get(alice_client: Client, team: Team) -> None:
    assert alice_client.get(url(team)).status_code == 405
