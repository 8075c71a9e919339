"""Real-browser journeys: pytest-playwright driving Debian's Chromium against
pytest-django's live server. Run with `make test-browser` (never downloads a browser).

Every page a journey visits goes through ``Visitor.check()``: axe-core finds no
serious or critical violation, the browser reported no Content Security Policy
violation and no script error, the page has exactly one ``<h1>`` and no markup in
its title, and every image
(they are all charts) loaded and has a text alternative.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import ConsoleMessage, Locator, Page
from playwright.sync_api import Response as PageResponse

# The sync Playwright API runs an event loop in the test thread; Django's ORM calls in
# the same test would otherwise refuse to run (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SERIOUS = {"serious", "critical"}
PASSWORD = "password"  # of every user tests.conftest.make_user creates
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
# One axe-core instance for the session: it holds the axe script it injects.
AXE = Axe()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
) -> dict[str, Any]:
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args() -> dict[str, Any]:
    """Contexts take their settings from ``visitor_factory`` alone. (The plugin's
    own version reads its ``base_url`` fixture, which pytest 9 warns about.)"""
    return {}


class Visitor:
    """One person's browser tab plus the checks run on every page it visits."""

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        self.page = page
        self.base_url = base_url
        self.touch = touch
        self.problems: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script: {error}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.problems.append(f"CSP: {message.text}")

    @property
    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url)

    def goto(self, path: str, *, status: int = 200) -> PageResponse:
        response = self.page.goto(self.base_url + path)
        assert response is not None
        assert response.status == status, f"{path}: {response.status}"
        self.check()
        return response

    def follow(self, target: Locator, *, status: int = 200) -> PageResponse:
        """Click (or tap, on a touch screen) a link or a submit button and check
        the page it leads to."""
        with self.page.expect_navigation() as navigation:
            self._press(target)
        return self._arrived(navigation.value, status)

    def press_key(self, key: str, *, status: int = 200) -> PageResponse:
        """Press a key that leads to another page (Enter on a link or button)."""
        with self.page.expect_navigation() as navigation:
            self.page.keyboard.press(key)
        return self._arrived(navigation.value, status)

    def _press(self, target: Locator) -> None:
        if self.touch:
            target.tap()
        else:
            target.click()

    def _arrived(self, response: PageResponse | None, status: int) -> PageResponse:
        assert response is not None
        assert response.status == status, f"{self.page.url}: {response.status}"
        self.check()
        return response

    def check(self) -> None:
        """axe-core finds no serious or critical violation on the current page; the
        browser reported no CSP violation or script error; one <h1>; every image
        loaded and has a text alternative."""
        results = AXE.run(self.page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in results.response["violations"]
            if v["impact"] in SERIOUS
        ]
        assert not bad, f"{self.page.url}:\n" + "\n".join(bad)
        assert not self.problems, f"{self.page.url}:\n" + "\n".join(self.problems)
        assert self.page.locator("h1").count() == 1, f"{self.page.url}: one <h1>"
        # A title is text: markup in it shows in the tab and does nothing.
        title = self.page.title()
        assert not re.search(r"<[a-zA-Z/!][^>]*>", title), f"{self.page.url}: {title}"
        # Every image is a chart: it must have loaded and have a text alternative.
        images = self.page.evaluate(
            """() => [...document.images].map(i => ({
                src: i.getAttribute("src"), alt: (i.alt || "").trim(),
                loaded: i.complete && i.naturalWidth > 0}))"""
        )
        for image in images:
            assert image["loaded"], f"{self.page.url}: {image['src']} did not load"
            assert image["alt"], f"{self.page.url}: {image['src']} has no alt text"

    def no_sideways_scroll(self) -> None:
        """Nothing sticks out to the right (what a phone user would have to pan)."""
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{self.page.url}: {overflow}px wider than the screen"

    def screenshot(self, name: str, *, max_height: int = 0) -> Path:
        """A full-page PNG in docs/screenshots/ (cut at ``max_height`` pixels if
        given), reduced to a 256-colour palette: a fraction of the size, with no
        visible difference for a page of text."""
        clip = None
        if max_height:
            width = self.page.viewport_size["width"] if self.page.viewport_size else 0
            clip = {"x": 0, "y": 0, "width": width, "height": max_height}
        png = self.page.screenshot(full_page=True, clip=clip, animations="disabled")
        image = Image.open(io.BytesIO(png)).convert("RGB")
        small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        small.save(path, optimize=True)
        return path

    def sign_in(self, username: str) -> None:
        """Sign in as a user made by ``tests.conftest.make_user``."""
        self.goto("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.follow(self.page.get_by_role("button", name="Sign in"))
        assert "/accounts/login/" not in self.page.url, "sign-in failed"


VisitorFactory = Callable[..., Visitor]


@pytest.fixture
def visitor_factory(live_server: Any, new_context: Any) -> VisitorFactory:
    """``visitor_factory()`` gives a desktop browser of its own (cookies, session)
    to one person; ``visitor_factory(**PHONE)`` a phone. The contexts come from
    pytest-playwright's ``new_context``, which closes them and keeps a failing
    test's screenshots and traces (``--screenshot``, ``--tracing``)."""

    def make(**context_args: Any) -> Visitor:
        context = new_context(**{**DESKTOP, **context_args})
        touch = bool(context_args.get("has_touch"))
        return Visitor(context.new_page(), live_server.url, touch=touch)

    return make
