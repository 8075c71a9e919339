"""A whole retro in real browsers: a facilitator and two members, each in their own
browser (one on a phone). The members' pages follow the facilitator by polling,
without reloading; every page and every swapped-in step is checked by axe.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assessments import services
from assessments.models import Action, Round
from retro.models import Ballot, RetroSession, VoteCount
from teams.models import Membership
from tests.browser.conftest import PHONE, Visitor, VisitorFactory
from tests.conftest import make_user
from tests.retro.conftest import answered_round

FOLLOW = 10_000  # ms: members poll every 3 s


def _wait_for_step(visitor: Visitor, name: str) -> None:
    expect(visitor.page.get_by_role("heading", name=name)).to_be_visible(timeout=FOLLOW)
    visitor.check()


def test_a_whole_retro(visitor_factory: VisitorFactory) -> None:
    alice_user, bob_user, dave_user = (make_user(n) for n in ("alice", "bob", "dave"))
    team = services.team_start(name="Rockets", description="", creator=alice_user)
    for user in (bob_user, dave_user):
        Membership.objects.create(team=team, user=user, role=Membership.Role.MEMBER)
    q1 = answered_round(team, "Q1")
    services.action_create(
        round=q1, text="Review within a day", dimension=q1.dimensions.first()
    )
    q2 = answered_round(team, "Q2")
    retro = f"/rounds/{q2.code}/retro/"

    alice, bob, dave = visitor_factory(), visitor_factory(**PHONE), visitor_factory()
    for visitor, name in ((alice, "alice"), (bob, "bob"), (dave, "dave")):
        visitor.sign_in(name)
    bob.goto(retro)
    expect(bob.page.get_by_text("has not started the retro yet")).to_be_visible()
    dave.goto(retro)

    # The facilitator starts from the round page; the members' pages follow.
    alice.goto(f"/rounds/{q2.code}/")
    alice.follow(alice.page.get_by_role("link", name="Open the retro"))
    alice.follow(alice.page.get_by_role("button", name="Start the retro"))
    _wait_for_step(bob, "1. What we agreed last time")
    _wait_for_step(dave, "1. What we agreed last time")
    alice.page.get_by_label("Done", exact=True).check()
    alice.page.get_by_label("Yes, it helped").check()
    alice.follow(alice.page.get_by_role("button", name=re.compile(r"^Save")))
    alice.screenshot("retro-1-review")
    assert Action.objects.get(round=q1).state == Action.State.DONE

    alice.follow(alice.page.get_by_role("button", name="Next"))
    _wait_for_step(bob, "2. Reveal")
    expect(bob.page.get_by_role("heading", name="What to talk about")).to_be_visible()
    bob.no_sideways_scroll()
    bob.screenshot("retro-2-reveal-phone")
    alice.screenshot("retro-2-reveal")

    alice.follow(alice.page.get_by_role("button", name="Next"))
    _wait_for_step(dave, "3. Discuss: Collaboration & Communication (1 of 3)")
    expect(dave.page.get_by_text("We talk past each other")).to_be_visible()
    dave.screenshot("retro-3-discuss")
    for _ in range(3):
        alice.follow(alice.page.get_by_role("button", name="Next"))

    # Dot voting: two votes each, anonymous, counts when voting closes.
    _wait_for_step(bob, "4. Vote: what should we work on?")
    alice.page.get_by_label("Votes each").fill("2")
    alice.follow(alice.page.get_by_role("button", name="Open voting"))
    for visitor in (bob, dave):
        expect(visitor.page.get_by_role("button", name="Place a vote")).to_be_visible(
            timeout=FOLLOW
        )
    for visitor, choice in ((alice, 0), (bob, 0), (bob, 2), (dave, 0)):
        visitor.page.get_by_label("Dimension").select_option(index=choice)
        visitor.follow(visitor.page.get_by_role("button", name="Place a vote"))
    dave.screenshot("retro-4-vote")
    assert Ballot.objects.count() == 3  # one sealed ballot per voter
    alice.follow(
        alice.page.get_by_role("button", name="Close voting and show the counts")
    )
    expect(bob.page.get_by_text("Votes of 3 people")).to_be_visible(timeout=FOLLOW)
    bob.check()
    assert not Ballot.objects.exists()
    assert sorted(VoteCount.objects.values_list("count", flat=True)) == [1, 3]

    alice.follow(alice.page.get_by_role("button", name="Next"))
    alice.page.get_by_label("What we will do").fill("Pair on every review")
    alice.page.get_by_label("Dimension").select_option(index=1)
    alice.page.get_by_label("Owner (optional)").select_option(label="bob")
    alice.page.get_by_label("Due date (optional)").fill("2027-01-29")
    alice.follow(alice.page.get_by_role("button", name="Add the action"))
    alice.screenshot("retro-5-actions")
    _wait_for_step(dave, "5. Actions")
    expect(dave.page.get_by_text("Pair on every review")).to_be_visible(timeout=FOLLOW)

    alice.follow(alice.page.get_by_role("button", name="Next"))
    # "Was this worth our time?": anonymous, 1 to 5, counted when it closes.
    alice.follow(alice.page.get_by_role("button", name="Ask: was this worth our time?"))
    for visitor, choice in (
        (alice, "4: More than we put in"),
        (bob, "5: Yes, well worth it"),
        (dave, "4: More than we put in"),
    ):
        visitor.page.get_by_label(choice).check(timeout=FOLLOW)
        visitor.follow(visitor.page.get_by_role("button", name="Send my answer"))
    expect(bob.page.get_by_label("5: Yes, well worth it")).to_be_checked()
    bob.check()
    assert Ballot.objects.count() == 3
    alice.follow(
        alice.page.get_by_role("button", name="Close the question and show the answers")
    )
    expect(dave.page.get_by_text("Answers of 3 people · 4.3 of 5")).to_be_visible(
        timeout=FOLLOW
    )
    dave.check()
    dave.screenshot("retro-6-worth-our-time")
    assert not Ballot.objects.exists()
    alice.page.get_by_label("Summary").fill(
        "Reviews were faster. Next: pair on every review."
    )
    alice.follow(
        alice.page.get_by_role("button", name="Save the summary and close the retro")
    )
    alice.screenshot("retro-6-close")
    _wait_for_step(bob, "6. Close")
    assert RetroSession.objects.get(round=q2).finished_at is not None
    assert Round.objects.get(pk=q2.pk).retro_summary.startswith("Reviews were faster")

    # Afterwards: the team page shows the summary, the board the actions.
    bob.goto(f"/teams/{team.code}/")
    expect(bob.page.get_by_text("Reviews were faster.")).to_be_visible()
    expect(bob.page.get_by_text("4.3 of 5")).to_be_visible()
    bob.follow(bob.page.get_by_role("link", name="Action board"))
    expect(bob.page.get_by_text("Pair on every review")).to_be_visible()
    bob.no_sideways_scroll()
    alice.goto(f"/teams/{team.code}/actions/")
    alice.screenshot("retro-board")


def test_the_retro_on_a_shared_screen(visitor_factory: VisitorFactory) -> None:
    """The facilitator drives from a laptop while the projector shows the
    presenter page; a member joins by the code shown on it."""
    alice_user, bob_user = make_user("alice"), make_user("bob")
    team = services.team_start(name="Rockets", description="", creator=alice_user)
    Membership.objects.create(team=team, user=bob_user, role=Membership.Role.MEMBER)
    q1 = answered_round(team, "Q1")
    retro = f"/rounds/{q1.code}/retro/"

    alice, screen, bob = visitor_factory(), visitor_factory(), visitor_factory(**PHONE)
    for visitor, name in ((alice, "alice"), (screen, "alice"), (bob, "bob")):
        visitor.sign_in(name)
    alice.goto(retro)
    alice.follow(alice.page.get_by_role("button", name="Start the retro"))
    screen.goto(f"{retro}present/")
    screen.check()
    expect(screen.page.get_by_text("Step 1 of 6")).to_be_visible()
    assert screen.page.locator("form, button, input, select").count() == 0
    code = RetroSession.objects.get(round=q1).join_code
    assert code

    bob.goto("/retro/join/")
    bob.page.get_by_label("Code").fill(code.lower())
    bob.follow(bob.page.get_by_role("button", name="Join"))
    assert bob.path == retro

    for _ in range(2):
        alice.follow(alice.page.get_by_role("button", name="Next"))
    expect(screen.page.get_by_text("Step 3 of 6")).to_be_visible(timeout=FOLLOW)
    alice.page.get_by_label("Minutes for this dimension (0 to clear)").fill("5")
    alice.follow(alice.page.get_by_role("button", name="Set the time box"))
    expect(screen.page.get_by_text(re.compile(r"about 5 minutes left"))).to_be_visible(
        timeout=FOLLOW
    )
    screen.check()
    screen.screenshot("retro-presenter")
