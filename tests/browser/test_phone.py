"""Phones first (issue 28.3): every page of a round's life at 390 x 844 — no page
scrolls sideways, no element sticks out to the right (tables become one card per
row), and the top navigation is one "Menu" button that opens without JavaScript.
The rounds are set up directly; the pages are the subject.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assessments import services
from assessments.models import Round
from retro import services as retro_services
from retro.models import RetroSession
from stakeholders.services import link_create
from teams.models import Membership
from tests.browser.conftest import PHONE, Visitor, VisitorFactory
from tests.coach.conftest import shared_team
from tests.conftest import make_user
from tests.factories import add_response, make_round
from tests.retro.conftest import answered_round

# Elements whose right edge passes the screen's (a little slack for rounding).
TOO_WIDE = """() => {
  const width = window.innerWidth;
  const wide = [];
  // Out of sight on purpose (visually hidden, for screen readers): clipped to 1px.
  const clipped = (el) => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.clip !== "auto" || style.clipPath !== "none") return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const seen = {visibilityProperty: true, contentVisibilityAuto: true};
    if (!el.checkVisibility(seen)) continue;
    if ((box.right > width + 1 || box.left < -1) && !clipped(el)) {
      const name = typeof el.className === "string" ? el.className.trim() : "";
      wide.push(el.tagName.toLowerCase() + (name ? "." + name : "")
        + " " + Math.round(box.left) + ".." + Math.round(box.right));
    }
  }
  const overflow = document.documentElement.scrollWidth - width;
  return {overflow: overflow, wide: wide.slice(0, 8)};
}"""


def _fits(visitor: Visitor) -> None:
    """Nothing wider than the screen: neither the page nor any element on it."""
    found = visitor.page.evaluate(TOO_WIDE)
    assert found["overflow"] <= 0, f"{visitor.path}: {found}"
    assert not found["wide"], f"{visitor.path}: {found}"


def _walk(visitor: Visitor, path: str) -> None:
    visitor.goto(path)
    _fits(visitor)


def test_every_page_of_a_round_fits_a_phone(visitor_factory: VisitorFactory) -> None:
    alice_user, bob_user, dave_user = (make_user(n) for n in ("alice", "bob", "dave"))
    team = services.team_start(name="Rockets", description="", creator=alice_user)
    for user in (bob_user, dave_user):
        Membership.objects.create(team=team, user=user, role=Membership.Role.MEMBER)
    q1 = answered_round(team, "Q1")
    services.action_create(
        round=q1, text="Review within a day", dimension=q1.dimensions.first()
    )
    q2 = answered_round(team, "Q2")
    for levels in ([2, 1, 2], [1, 1, 3], [2, 2, 2]):
        add_response(q2, levels, perspective="stakeholder", relationship="Customer")
    q3 = make_round(team, title="Q3", state=Round.State.OPEN, dimensions=3)
    _, stakeholder_token = link_create(round=q3)
    shared_team("Comets", alice_user)  # alice coaches another team

    alice = visitor_factory(**PHONE)
    alice.goto("/accounts/login/")
    _fits(alice)
    alice.sign_in("alice")
    _fits(alice)

    # The menu: one button; the links show once it is tapped.
    menu = alice.page.locator("summary", has_text="Menu")
    expect(menu).to_be_visible()
    settings = alice.page.get_by_role("link", name="Email settings")
    expect(settings).to_be_hidden()
    menu.tap()
    expect(settings).to_be_visible()
    alice.screenshot("menu-phone", max_height=844)
    _fits(alice)
    alice.follow(settings)
    _fits(alice)

    team_pages = [
        f"/teams/{team.code}/",
        f"/teams/{team.code}/members/",
        f"/teams/{team.code}/dimensions/",
        f"/teams/{team.code}/schedule/",
        f"/teams/{team.code}/activity/",
        f"/teams/{team.code}/sharing/",
        f"/teams/{team.code}/stakeholder-groups/",
        f"/teams/{team.code}/overview/",
        f"/teams/{team.code}/actions/",
        f"/teams/{team.code}/api-tokens/",
        f"/teams/{team.code}/rounds/new/",
    ]
    round_pages = [
        f"/rounds/{q3.code}/",
        f"/rounds/{q3.code}/answer/",
        f"/rounds/{q3.code}/stakeholders/",
        f"/rounds/{q2.code}/",
        f"/rounds/{q2.code}/report/",
        f"/rounds/{q2.code}/themes/",
        f"/rounds/{q2.code}/metrics/",
        f"/rounds/{q1.code}/report/",
    ]
    other_pages = [
        "/",
        "/coach/",
        "/coach/themes/",
        "/accounts/language/",
        "/accounts/password/change/",
        "/anonymity/",
    ]
    for path in team_pages + round_pages + other_pages:
        _walk(alice, path)
    alice.goto(f"/rounds/{q2.code}/report/")
    alice.screenshot("report-phone", max_height=844 * 2)

    # The retro, step by step (set directly; the retro journey drives it).
    retro = f"/rounds/{q2.code}/retro/"
    session = retro_services.session_start(round=q2)
    for step in RetroSession.Step:
        RetroSession.objects.filter(pk=session.pk).update(step=step)
        _walk(alice, retro)
        if step == RetroSession.Step.DISCUSS:
            alice.screenshot("retro-3-discuss-phone")

    # A stakeholder answers on a phone, through the shared link.
    stakeholder = visitor_factory(**PHONE)
    stakeholder.goto(f"/s/{stakeholder_token}/")
    _fits(stakeholder)
    assert re.search(r"/s/$", stakeholder.page.url)


def test_the_menu_opens_without_javascript(visitor_factory: VisitorFactory) -> None:
    """<details> needs no script. (axe and the page checks need JavaScript, so this
    test drives the page directly.)"""
    make_user("alice")
    visitor = visitor_factory(**PHONE, java_script_enabled=False)
    page = visitor.page
    page.goto(f"{visitor.base_url}/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").tap()
    language = page.get_by_role("link", name="Language", exact=True)
    expect(language).to_be_hidden()
    page.locator("summary", has_text="Menu").tap()
    expect(language).to_be_visible()
    with page.expect_navigation():
        language.tap()
    assert page.url.endswith("/accounts/language/")


def test_on_a_wide_screen_the_links_show_without_the_menu(
    visitor_factory: VisitorFactory,
) -> None:
    make_user("alice")
    alice = visitor_factory()
    alice.sign_in("alice")
    expect(alice.page.locator("summary", has_text="Menu")).to_be_hidden()
    alice.follow(alice.page.get_by_role("link", name="Email settings"))
    assert alice.path == "/email-settings/"
