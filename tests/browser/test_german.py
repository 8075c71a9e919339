"""A member whose browser asks for German answers a round in German: sign-in, the
answer form with the framework's German wording, the thank-you; then the footer's
language form switches the site to English without any script."""

from __future__ import annotations

from django.test import Client

from assessments.models import Participation, Response, Round, SealedAnswer
from assessments.services import team_start
from teams.models import Membership
from tests.browser.conftest import PASSWORD, VisitorFactory
from tests.conftest import make_user
from tests.factories import make_round


def test_a_member_answers_a_round_in_german(visitor_factory: VisitorFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    team = team_start(name="Zahlungen", description="", creator=alice)
    Membership.objects.create(team=team, user=bob, role=Membership.Role.MEMBER)
    round = make_round(team, title="Frühjahr", state=Round.State.OPEN)
    dimensions = round.dimensions.count()

    bob_browser = visitor_factory(locale="de-DE")
    page = bob_browser.page
    bob_browser.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "de"
    bob_browser.check()
    page.get_by_label("Benutzername oder E-Mail").fill("bob")
    page.get_by_label("Passwort").fill(PASSWORD)
    bob_browser.follow(page.get_by_role("button", name="Anmelden"))
    assert "/accounts/login/" not in page.url

    bob_browser.goto(f"/rounds/{round.code}/answer/")
    bob_browser.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Frühjahr"
    assert page.title().startswith("Antworten:")
    assert page.get_by_text("Wie teilen wir Wissen? Sind wir aufeinander abgestimmt?")
    assert page.get_by_role("group", name="1. Zusammenarbeit & Kommunikation")
    page.get_by_label("Leistungsfähig", exact=True).check()
    for number in range(1, dimensions + 1):
        page.locator(f"input[name=d{number}_level][value='2']").check()
    bob_browser.follow(page.get_by_role("button", name="Meine Antwort senden"))
    assert page.get_by_text(
        "Danke: Deine Antwort ist gespeichert, anonym."
    ).is_visible()
    bob_browser.check()
    # Held sealed until the round closes; that bob answered is recorded apart.
    assert SealedAnswer.objects.filter(round=round).count() == 1
    assert not Response.objects.filter(round=round).exists()
    assert Participation.objects.filter(round=round, user=bob).exists()

    # The footer's form, a plain post: back on the same page, now in English.
    page.get_by_label("Sprache", exact=True).select_option("en")
    bob_browser.follow(page.get_by_role("button", name="Sprache ändern"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Change language").is_visible()
    # Saved as bob's own setting: it now beats his browser's German.
    client = Client(headers={"accept-language": "de"})
    client.force_login(bob)
    assert client.get("/")["Content-Language"] == "en"
