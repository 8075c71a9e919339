"""A team's whole round in a real browser, from an empty database.

A facilitator with an account creates a team, invites two members (who sign up
through their links), rewords a dimension and opens a round.
Three members answer — one on a phone, one with the keyboard alone — and two
stakeholders answer through the shared link without an account. The facilitator
closes the round and the team reads its report: radar with its table, the tables
per dimension and the notes.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail
from playwright.sync_api import Locator

from assessments.models import (
    Note,
    Participation,
    Rating,
    Response,
    Round,
    SealedAnswer,
)
from tests.browser.conftest import PHONE, Visitor, VisitorFactory
from tests.conftest import make_user

DIMENSIONS = 12
RENAMED = "Flow & Focus"  # the facilitator's wording of "Flow & Efficiency"


def test_a_round_from_team_creation_to_report(
    visitor_factory: VisitorFactory,
) -> None:
    make_user("alice")
    alice = visitor_factory()
    alice.sign_in("alice")
    team_path = _create_team(alice)
    links = [_invite(alice, label) for label in ("Bob", "Dana")]
    _reword_a_dimension(alice)
    # They join before the round opens: its roster is the team at that moment.
    bob = visitor_factory(**PHONE)
    _join(bob, links[0], "bob")
    dana = visitor_factory()
    _join(dana, links[1], "dana")
    round_path = _open_round(alice, team_path)
    stakeholder_link = _stakeholder_link(alice)

    _answer_with_a_mistake_first(alice, round_path)
    _answer_on_a_phone(bob, round_path)
    dana.page.reload()  # her team page since she joined, now with the open round
    _answer_with_the_keyboard(dana)
    # Sealed until the round's results are released: nothing readable yet.
    assert SealedAnswer.objects.filter(perspective="team").count() == 3
    assert Participation.objects.count() == 3
    assert Response.objects.count() == 0

    for relationship in ("Product / business", "Adjacent team"):
        _answer_as_stakeholder(visitor_factory(), stakeholder_link, relationship)
    assert SealedAnswer.objects.filter(perspective="stakeholder").count() == 2

    alice.goto(round_path)
    alice.follow(alice.page.get_by_role("button", name="Close round"))
    assert Round.objects.get().state == Round.State.CLOSED
    # Closing released every answer at once: none is left sealed.
    assert SealedAnswer.objects.count() == 0
    assert Response.objects.filter(perspective="team").count() == 3
    assert Response.objects.filter(perspective="stakeholder").count() == 2
    _keyboard_answer_stored()

    alice.follow(alice.page.get_by_role("link", name="See the team report"))
    _read_report(alice)
    bob.goto(round_path)
    bob.follow(bob.page.get_by_role("link", name="See the team report"))
    _read_report(bob)
    bob.no_sideways_scroll()


def _create_team(alice: Visitor) -> str:
    page = alice.page
    alice.follow(page.get_by_role("link", name="Create a team"))
    page.get_by_label("Name").fill("Rockets")
    page.get_by_label("Description").fill("Payments backend, five people.")
    alice.follow(page.get_by_role("button", name="Create the team"))
    # The first-team wizard follows; this journey goes to the team page instead.
    team_path = alice.path.removesuffix("start/invite/")
    alice.goto(team_path)
    assert page.get_by_role("heading", name="Rockets").is_visible()
    return alice.path


def _invite(alice: Visitor, label: str) -> str:
    """The invitation link for one person, as the members page shows it once."""
    page = alice.page
    if page.get_by_role("heading", name="Members and invitations").count() == 0:
        alice.follow(page.get_by_role("link", name="Members and invitations"))
    page.get_by_label("Who it is for").fill(label)
    alice.follow(page.get_by_role("button", name="Create invitation link"))
    link = page.get_by_label("Invitation link", exact=True).input_value()
    assert "/join/" in link
    return urlsplit(link).path


def _reword_a_dimension(alice: Visitor) -> None:
    page = alice.page
    alice.follow(page.get_by_role("link", name="← Rockets"))
    alice.follow(page.get_by_role("link", name="Customise dimensions"))
    alice.follow(page.get_by_role("link", name="Edit Flow & Efficiency"))
    page.locator("#id_name").fill("   ")  # passes the browser's check, not Django's
    alice.follow(page.get_by_role("button", name="Save"))
    _assert_error_tied(page.locator("#id_name"), "required")
    page.locator("#id_name").fill(RENAMED)
    page.get_by_label("Short name").fill("Flow")
    alice.follow(page.get_by_role("button", name="Save"))
    assert page.get_by_role("cell", name=RENAMED).is_visible()
    assert page.get_by_text("Framework, reworded").is_visible()


def _open_round(alice: Visitor, team_path: str) -> str:
    page = alice.page
    alice.goto(team_path)
    alice.follow(page.get_by_role("link", name="Open a round"))
    page.get_by_label("Title").fill("Q3 check-in")
    assert page.get_by_label(f"Include {RENAMED}").is_checked()
    alice.follow(page.get_by_role("button", name="Save draft"))
    alice.follow(page.get_by_role("button", name="Open round"))
    assert page.get_by_text("The round is open").is_visible()
    return alice.path


def _stakeholder_link(alice: Visitor) -> str:
    page = alice.page
    alice.follow(page.get_by_role("link", name="Invite stakeholders"))
    alice.follow(page.get_by_role("button", name="Create a shared link"))
    link = page.get_by_label("Stakeholder link", exact=True).input_value()
    return urlsplit(link).path


def _join(person: Visitor, link: str, username: str) -> None:
    """The invitation link leads to the join page; a new person signs up through
    allauth, confirms the address from the emailed link and joins as that account."""
    person.goto(link)
    assert person.path == "/join/", "the token leaves the address bar"
    page = person.page
    assert page.get_by_role("heading", name="Join Rockets").is_visible()
    person.follow(page.get_by_role("link", name="Create an account"))
    address = f"{username}@example.com"
    page.get_by_label("Email").fill(address)
    page.get_by_label("Username").fill(username)
    page.locator("#id_password1").fill("a long enough passphrase")
    page.locator("#id_password2").fill("a long enough passphrase")
    person.follow(page.get_by_role("button", name="Create account"))
    assert page.get_by_role("heading", name="Confirm your email address").is_visible()
    [message] = [m for m in mail.outbox if m.to == [address]]
    found = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)
    assert found is not None, message.body
    person.goto(found.group(1))
    person.follow(page.get_by_role("button", name="Confirm"))
    assert person.path == "/join/"
    person.follow(page.get_by_role("button", name=f"Join as {username}"))
    assert page.get_by_text("Welcome to Rockets.").is_visible()


def _level(page: Visitor, number: int, value: str) -> Locator:
    return page.page.locator(f"input[name=d{number}_level][value='{value}']")


def _answer_with_a_mistake_first(alice: Visitor, round_path: str) -> None:
    """The browser stops a form with a dimension left out; without the browser's
    check, the server's errors are tied to their fields and the answers kept."""
    page = alice.page
    alice.goto(round_path)
    alice.follow(page.get_by_role("link", name="Answer now"))
    assert page.get_by_role("group", name=f"6. {RENAMED}").is_visible()
    alice.screenshot("answer-form", max_height=2000)
    page.get_by_label("Performing", exact=True).check()
    for number in range(1, DIMENSIONS):  # the last dimension is left out
        _level(alice, number, "2").check()
    page.get_by_role("button", name="Send my answer").click()
    assert alice.path == round_path + "answer/", "the browser kept the form"
    assert not _level(alice, DIMENSIONS, "1").evaluate("e => e.validity.valid")

    # A browser that does not check required fields (or a tampered form).
    page.locator("form[method=post]:has(button:text('Send my answer'))").evaluate(
        "form => { form.noValidate = true; }"
    )
    page.get_by_label("Dimension (optional) for Stop note 1").select_option(
        label="Flow"
    )
    alice.follow(page.get_by_role("button", name="Send my answer"))
    summary = page.get_by_role("alert")
    assert "nothing has been saved yet" in summary.inner_text()
    level_group = page.locator(f"#id_d{DIMENSIONS}_level")
    _assert_error_tied(level_group, "Don't know")
    _assert_error_tied(page.get_by_label("Stop note 1", exact=True), "Write the note")
    summary.get_by_role("link", name="Stop note 1").click()
    assert page.evaluate("document.activeElement.name") == "stop_1"
    assert _level(alice, 1, "2").is_checked(), "answers are kept"
    assert SealedAnswer.objects.count() == 0

    _level(alice, DIMENSIONS, "3").check()
    page.get_by_label("Stop note 1", exact=True).fill("Starting work we cannot finish")
    page.get_by_label("Keep note 1", exact=True).fill("Pairing on hard problems")
    alice.follow(page.get_by_role("button", name="Send my answer"))
    assert page.get_by_text("your answer is saved, anonymously").is_visible()


def _answer_on_a_phone(bob: Visitor, round_path: str) -> None:
    page = bob.page
    bob.goto(round_path)
    bob.follow(page.get_by_role("link", name="Answer now"))
    bob.no_sideways_scroll()
    page.get_by_label("High-performing").tap()
    page.get_by_label("What makes us feel that way?").fill("We ship every day.")
    for number in range(1, DIMENSIONS + 1):
        _level(bob, number, "1" if number == 6 else "2").tap()
    page.get_by_text("Add a comment (optional)").nth(5).tap()
    page.get_by_label("Comment on Flow (optional)").fill("Too many reviews wait.")
    page.get_by_label("Start note 1", exact=True).fill("Limit work in progress")
    page.get_by_label("Dimension (optional) for Start note 1").select_option(
        label="Flow"
    )
    bob.follow(page.get_by_role("button", name="Send my answer"))
    assert page.get_by_text("your answer is saved, anonymously").is_visible()
    bob.no_sideways_scroll()


def _focused(visitor: Visitor) -> dict[str, str]:
    return visitor.page.evaluate(
        """() => {
            const e = document.activeElement;
            return {tag: e.tagName.toLowerCase(), name: e.name || "",
                    value: e.value || "", text: (e.innerText || "").trim()};
        }"""
    )


def _tab_to(visitor: Visitor, *, name: str = "", text: str = "") -> dict[str, str]:
    """Press Tab until the focus is on the field named ``name`` or the link or
    button whose text starts with ``text``."""
    for _ in range(200):
        visitor.page.keyboard.press("Tab")
        focused = _focused(visitor)
        if (name and focused["name"] == name) or (
            text and focused["text"].startswith(text)
        ):
            return focused
    raise AssertionError(f"Tab never reached {name or text!r}")


def _answer_with_the_keyboard(dana: Visitor) -> None:
    """Only keys from here on: Tab, arrows, Space, Enter and typing."""
    keyboard = dana.page.keyboard
    keyboard.press("Tab")
    assert _focused(dana)["text"] == "Skip to content", "the first stop skips the nav"
    _tab_to(dana, text="Answer now")
    dana.press_key("Enter")
    assert dana.path.endswith("/answer/")

    first = _tab_to(dana, name="checkin")
    assert first["value"] == "underperforming"
    keyboard.press("ArrowDown")  # moves to and chooses "performing"
    _tab_to(dana, name="checkin_reason")
    keyboard.type("Steady, but we firefight.")
    for number in range(1, DIMENSIONS + 1):
        _tab_to(dana, name=f"d{number}_level")
        if number == 3:
            keyboard.press("Space")  # the first choice: Not Meeting
        elif number == DIMENSIONS:
            for _ in range(3):  # down to "Don't know"
                keyboard.press("ArrowDown")
        else:
            keyboard.press("ArrowDown")  # Meeting
        if number == 1:
            assert _tab_to(dana, text="Add a comment")["tag"] == "summary"
            keyboard.press("Enter")  # opens the comment box
            _tab_to(dana, name="d1_comment")
            keyboard.type("We talk a lot, decide little.")
    _tab_to(dana, name="keep_1")
    keyboard.type("Demo every Friday")
    _tab_to(dana, name="keep_1_dimension")
    keyboard.press("ArrowDown")  # the first dimension
    _tab_to(dana, text="Send my answer")
    dana.press_key("Enter")
    assert dana.page.get_by_text("your answer is saved, anonymously").is_visible()


def _keyboard_answer_stored() -> None:
    """What Dana chose with the keyboard alone, as released at the close."""
    note = Note.objects.get(text="Demo every Friday")
    assert note.dimension is not None
    assert note.dimension.position == 1
    assert Rating.objects.filter(comment="We talk a lot, decide little.").exists()
    stored = Response.objects.get(checkin_reason="Steady, but we firefight.")
    assert stored.checkin == "performing"


def _answer_as_stakeholder(person: Visitor, link: str, relationship: str) -> None:
    """No account: the shared link, a relationship, the dimensions, send."""
    person.goto(link)
    page = person.page
    assert person.path == "/s/"
    assert page.get_by_role("heading", name="How do you see Rockets?").is_visible()
    assert page.locator("input[name=checkin]").count() == 0
    page.get_by_label(relationship).check()
    for number in range(1, DIMENSIONS + 1):
        _level(person, number, "dk" if number == 4 else "2").check()
    page.get_by_label("Keep note 1", exact=True).fill("Clear release notes")
    person.follow(page.get_by_role("button", name="Send my answer"))
    assert page.get_by_role("heading", name="Thank you, your answer is in").is_visible()


def _assert_error_tied(field: Locator, message: str) -> None:
    """The error text is part of the field's accessible description."""
    ids = (field.get_attribute("aria-describedby") or "").split()
    page = field.page
    described = " ".join(page.locator(f"[id='{i}']").inner_text() for i in ids)
    assert message in described, f"{ids}: {described!r}"
    if field.evaluate("e => e.tagName") != "FIELDSET":
        assert field.get_attribute("aria-invalid") == "true"


def _read_report(reader: Visitor) -> None:
    page = reader.page
    assert page.get_by_text("Team: 3 of 3 members answered.").is_visible()
    # Two stakeholders are fewer than the round's minimum of three: not shown.
    assert page.get_by_text("Their view appears at 3 answers").is_visible()
    radar = page.locator("figure img")
    assert len(radar.get_attribute("alt") or "") > 20
    assert radar.evaluate("img => img.complete && img.naturalWidth > 0")
    table = page.locator("figure + div table")
    assert "mean level per dimension" in table.locator("caption").inner_text()
    assert table.get_by_role("rowheader", name="Flow", exact=True).is_visible()
    assert table.locator("tbody tr").count() == DIMENSIONS
    flow = page.get_by_role("article", name=RENAMED)
    assert flow.get_by_role("row", name="Team").is_visible()
    assert flow.get_by_text("Too many reviews wait.").is_visible()
    board = page.locator("section[aria-labelledby=board-heading]")
    for note in ("Pairing on hard problems", "Demo every Friday", "Limit work"):
        assert board.get_by_text(note).first.is_visible()
    assert board.get_by_text("Starting work we cannot finish").first.is_visible()
    # The two stakeholders' notes are hidden with their figures.
    assert page.get_by_text("Clear release notes").count() == 0
