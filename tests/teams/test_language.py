"""Which language a page is in: the person's setting, the browser, the team's
default, English (docs/languages.md); the footer's choice without JavaScript."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from teams.models import LanguagePreference, Team
from tests.conftest import client_for
from tests.factories import make_round
from tests.stakeholders.conftest import LINK_TOKEN, open_link

pytestmark = pytest.mark.django_db


def lang(response: object) -> str:
    return response["Content-Language"]  # type: ignore[index]


def test_without_anything_english(alice_client: Client, team: Team) -> None:
    r = alice_client.get(team.get_absolute_url())
    assert r.status_code == 200
    assert lang(r) == "en"
    assert '<html lang="en">' in r.text


def test_the_browser_chooses_when_the_person_did_not(
    alice_client: Client, team: Team
) -> None:
    r = alice_client.get(
        team.get_absolute_url(),
        headers={"accept-language": "nl, fr-CA;q=0.9, de;q=0.5"},
    )
    assert lang(r) == "fr"
    assert '<html lang="fr">' in r.text


def test_the_team_default_when_the_browser_asks_for_nothing_shipped(
    alice_client: Client, team: Team
) -> None:
    team.language = "es"
    team.save()
    r = alice_client.get(team.get_absolute_url(), headers={"accept-language": "nl"})
    assert lang(r) == "es"
    # The browser comes before the team.
    r = alice_client.get(team.get_absolute_url(), headers={"accept-language": "de"})
    assert lang(r) == "de"
    # A page of no team: English.
    r = alice_client.get("/", headers={"accept-language": "nl"})
    assert lang(r) == "en"


def test_the_persons_setting_comes_first(alice: User, team: Team) -> None:
    team.language = "es"
    team.save()
    LanguagePreference.objects.create(user=alice, language="de")
    client = client_for(alice)  # signing in reads the setting into the session
    r = client.get(team.get_absolute_url(), headers={"accept-language": "fr"})
    assert lang(r) == "de"


def test_the_settings_page_saves_the_language(
    alice_client: Client, alice: User
) -> None:
    r = alice_client.get("/accounts/language/")
    assert r.status_code == 200
    r = alice_client.post("/accounts/language/", {"language": "fr"}, follow=True)
    assert r.status_code == 200
    assert LanguagePreference.objects.get(user=alice).language == "fr"
    assert lang(r) == "fr"
    assert lang(alice_client.get("/", headers={"accept-language": "de"})) == "fr"
    # Blank: back to the browser's.
    alice_client.post("/accounts/language/", {"language": ""})
    assert lang(alice_client.get("/", headers={"accept-language": "de"})) == "de"


def test_the_settings_page_needs_signing_in(client: Client) -> None:
    r = client.get("/accounts/language/")
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]


def test_every_page_has_the_language_form_without_javascript(client: Client) -> None:
    r = client.get("/accounts/login/")
    assert 'action="/accounts/set-language/"' in r.text
    assert 'name="language"' in r.text
    assert '<option value="de" lang="de">Deutsch</option>' in r.text


def test_the_footer_choice_signed_out_is_kept_in_a_cookie(client: Client) -> None:
    r = client.post(
        "/accounts/set-language/", {"language": "es", "next": "/accounts/login/"}
    )
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/"
    r = client.get("/accounts/login/", headers={"accept-language": "de"})
    assert lang(r) == "es"


def test_the_footer_choice_signed_in_is_saved(
    alice_client: Client, alice: User
) -> None:
    r = alice_client.post("/accounts/set-language/", {"language": "de", "next": "/"})
    assert r.status_code == 302
    assert LanguagePreference.objects.get(user=alice).language == "de"


def test_the_footer_never_leaves_the_site(client: Client) -> None:
    r = client.post(
        "/accounts/set-language/",
        {"language": "de", "next": "https://evil.example/"},
    )
    assert r.status_code == 302
    assert not r["Location"].startswith("https://evil.example")


def test_a_stakeholder_gets_the_browser_then_the_team_default(team: Team) -> None:
    from assessments.models import StakeholderLink
    from teams.models import hash_token

    team.language = "de"
    team.save()
    round = make_round(team, title="Spring", dimensions=2, state="open")
    StakeholderLink.objects.create(round=round, token_hash=hash_token(LINK_TOKEN))
    client = Client()
    open_link(client, LINK_TOKEN)
    assert lang(client.get("/s/")) == "de"
    assert lang(client.get("/s/", headers={"accept-language": "fr"})) == "fr"


def test_the_footer_returns_to_the_page_it_was_sent_from(client: Client) -> None:
    r = client.post(
        "/accounts/set-language/",
        {"language": "de"},
        headers={"referer": "http://testserver/accounts/signup/"},
    )
    assert r.status_code == 302
    assert r["Location"] == "http://testserver/accounts/signup/"
