"""Personas shared by the whole suite.

- alice: facilitator of "Alpha"
- bob: member of "Alpha"
- carol: facilitator of "Other", an outsider to Alpha
- cora: a coach, in no team
"""

from __future__ import annotations

import fcntl
import importlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.test.client import MULTIPART_CONTENT
from django.utils import translation
from django.utils.http import urlencode
from hypothesis import settings as hypothesis_settings

from assessments.models import BuiltinDimension
from assessments.services import team_start
from config import msgfmt
from teams.models import Membership, Team


def _post_as_a_browser() -> None:
    """Django's test client sends forms as multipart by default; browsers send the
    app's forms (none has a file field) URL-encoded, and the app refuses multipart
    bodies (config.middleware). Send a dict of fields the way a browser does. A test
    that passes its own body and content type is left alone."""
    original = RequestFactory.post
    if getattr(original, "as_a_browser", False):
        return

    def post(
        self: RequestFactory,
        path: str,
        data: Any = None,
        content_type: str = MULTIPART_CONTENT,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if content_type == MULTIPART_CONTENT and isinstance(data, dict | None):
            content_type = "application/x-www-form-urlencoded"
            data = urlencode(data or {}, doseq=True)
        return original(self, path, data, content_type, *args, **kwargs)

    post.as_a_browser = True  # type: ignore[attr-defined]
    RequestFactory.post = post  # type: ignore[method-assign]


_post_as_a_browser()
# Property tests stay quick in CI; HYPOTHESIS_PROFILE=thorough searches longer.
hypothesis_settings.register_profile("ci", max_examples=50, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=1000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _compile_messages() -> None:
    """Compile the translation catalogs whose .mo is missing or older than the .po
    (the .mo files are not committed), once per machine at a time: every test
    process takes the lock, the first compiles, the others find them fresh."""
    locale_dir = settings.BASE_DIR / "locale"
    with (settings.VAR_DIR / "compilemessages.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        msgfmt.compile_stale(locale_dir)


_compile_messages()

# Browser journeys need Playwright and Chromium: `make test-browser` runs them.
collect_ignore = [] if os.environ.get("BROWSER_TESTS") else ["browser"]


@pytest.fixture(autouse=True)
def _builtin_framework(request: pytest.FixtureRequest) -> None:
    """Transactional tests end by emptying every table, including the built-in
    framework that a data migration loaded. Put it back before each test that uses
    the database, so that no test depends on the order the tests ran in."""
    uses_db = request.node.get_closest_marker("django_db") or (
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    if not BuiltinDimension.objects.exists():
        migration = importlib.import_module(
            "assessments.migrations.0002_load_framework"
        )
        migration.load(apps, None)


class RateLimitClock:
    """The rate limiter's clock, held still (``config.ratelimit.clock``)."""

    # A fixed instant well inside a window of every rate the app uses: 30 s into a
    # 60 s or 300 s window, 330 s into 600 s, 1530 s into an hour, 44730 s into a day.
    START = 1_800_015_930.0

    def __init__(self) -> None:
        self.now = self.START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def ratelimit_clock(monkeypatch: pytest.MonkeyPatch) -> RateLimitClock:
    """Every test counts in one fixed window: a test whose requests straddled the
    edge of a wall-clock window got a fresh count half-way and failed now and then.
    A test that needs a new window moves this clock."""
    from config import ratelimit

    clock = RateLimitClock()
    monkeypatch.setattr(ratelimit, "clock", clock)
    return clock


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Iterator[None]:
    """A request activates its language in the thread and leaves it active (as in
    Django's own middleware): start and end every test in English, so that code
    called outside a request does not run in the last page's language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _teams_deleted_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """A transactional test ends with a flush, which on SQLite deletes table by
    table in no fixed order; the database refuses to delete a log entry whose team
    exists (teams/migrations/0010_log_triggers.py). Delete the teams first, as the
    app would: their logs go with them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")  # torn down after this one
    yield
    Team.objects.all().delete()


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Rate limits and cached charts must not leak from one test into the next.
    cache.clear()


def make_user(username: str) -> User:
    """An account with a confirmed address, as if it had signed up and confirmed."""
    user = User.objects.create_user(username, f"{username}@example.com", "password")
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


@pytest.fixture
def alice(db: None) -> User:
    return make_user("alice")


@pytest.fixture
def bob(db: None) -> User:
    return make_user("bob")


@pytest.fixture
def carol(db: None) -> User:
    return make_user("carol")


@pytest.fixture
def cora(db: None) -> User:
    return make_user("cora")


@pytest.fixture
def team(alice: User, bob: User) -> Team:
    team = team_start(name="Alpha", description="The alpha team", creator=alice)
    Membership.objects.create(team=team, user=bob, role=Membership.Role.MEMBER)
    return team


@pytest.fixture
def other_team(carol: User) -> Team:
    return team_start(name="Other", description="", creator=carol)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice: User) -> Client:
    return client_for(alice)


@pytest.fixture
def bob_client(bob: User) -> Client:
    return client_for(bob)


@pytest.fixture
def carol_client(carol: User, other_team: Team) -> Client:
    return client_for(carol)


@pytest.fixture
def cora_client(cora: User) -> Client:
    return client_for(cora)


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The print HTML of every PDF made during the test, in order: the PDF is laid
    out from exactly this text (``reports.pdf.pdf``)."""
    from reports import pdf

    pages: list[str] = []
    original = pdf.print_html

    def recording(*args: Any, **kwargs: Any) -> str:
        html = original(*args, **kwargs)
        pages.append(html)
        return html

    monkeypatch.setattr(pdf, "print_html", recording)
    return pages


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates rendered for a blank answer form's shared fields during the
    test, in order (``assessments.answer_fields``): one entry per rendering, none
    for a page served from the shared entry."""
    from assessments import answer_fields

    seen: list[str] = []
    original = answer_fields.render_to_string

    def counting(name: str, context: Any = None) -> str:
        seen.append(name)
        return original(name, context)

    monkeypatch.setattr(answer_fields, "render_to_string", counting)
    return seen
