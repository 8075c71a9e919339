"""The per-client limit on the anonymous pages (config.ratelimit)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from assessments.models import StakeholderLink
from config.ratelimit import client_address, hit, parse_networks, parse_rate
from tests.conftest import RateLimitClock
from tests.stakeholders.conftest import LINK_TOKEN, answer_data, open_link

# The shipped defaults (the suite's conftest raises the page limit for other tests).
DEFAULT_PAGES = "600/600"
DEFAULT_SUBMISSIONS = "100/600"


def test_the_defaults_are_the_ones_tested() -> None:
    from config import settings as config_settings

    assert config_settings.RATELIMIT_ANONYMOUS == DEFAULT_PAGES
    assert config_settings.RATELIMIT_SUBMISSIONS == DEFAULT_SUBMISSIONS


@pytest.fixture
def low_limit(settings: Settings) -> None:
    settings.RATELIMIT_ANONYMOUS = "3/600"
    # Counters in a cache of this test's own: with Redis, other test processes
    # would clear or add to a shared one.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ratelimit-test",
        }
    }
    cache.clear()


@pytest.mark.usefixtures("low_limit")
def test_it_answers_429_past_the_limit(link: StakeholderLink) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    open_link(client, LINK_TOKEN)  # 1
    assert client.get("/s/").status_code == 200  # 2
    assert client.get("/s/").status_code == 200  # 3
    r = client.get("/s/")
    assert r.status_code == 429
    assert "Too many requests" in r.text
    assert "wait a few minutes" in r.text
    # The pinned clock is 330 s into its 600 s window.
    assert int(r["Retry-After"]) == 270


@pytest.mark.usefixtures("low_limit")
def test_a_new_window_starts_a_new_count(
    link: StakeholderLink, ratelimit_clock: RateLimitClock
) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert [client.get("/s/thanks/").status_code for _ in range(4)] == [200] * 3 + [429]
    ratelimit_clock.advance(269)  # the last second of the same window
    r = client.get("/s/thanks/")
    assert r.status_code == 429
    assert r["Retry-After"] == "1"
    ratelimit_clock.advance(1)  # the next window: a fresh count
    assert [client.get("/s/thanks/").status_code for _ in range(4)] == [200] * 3 + [429]


@pytest.mark.usefixtures("low_limit")
def test_page_views_do_not_use_up_submissions(link: StakeholderLink) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    open_link(client, LINK_TOKEN)
    client.get("/s/")
    client.get("/s/")
    assert client.get("/s/").status_code == 429  # page views are used up
    r = client.post("/s/", answer_data())  # ... but a finished answer goes through
    assert r.status_code == 302
    assert link.round.sealed_answers.count() == 1


@pytest.mark.usefixtures("low_limit")
def test_a_refused_submission_keeps_what_was_typed(
    settings: Settings, link: StakeholderLink
) -> None:
    settings.RATELIMIT_SUBMISSIONS = "1/600"
    first = Client(REMOTE_ADDR="198.51.100.7")
    open_link(first, LINK_TOKEN)
    assert first.post("/s/", answer_data()).status_code == 302
    second = Client(REMOTE_ADDR="198.51.100.7")
    open_link(second, LINK_TOKEN)
    data = answer_data(keep_1="Pairing on Fridays", d1_comment="Good demos")
    r = second.post("/s/", data)
    assert r.status_code == 429
    assert 0 < int(r["Retry-After"]) <= 600
    assert "Your answer was not sent yet: nothing is lost." in r.text
    assert "Pairing on Fridays</textarea>" in r.text
    assert "Good demos</textarea>" in r.text
    assert 'value="1" checked' in r.text
    assert link.round.sealed_answers.count() == 1


@pytest.mark.usefixtures("low_limit")
def test_more_boxes_past_the_limit_keep_what_was_typed(
    link: StakeholderLink,
) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    open_link(client, LINK_TOKEN)
    client.get("/s/")
    client.get("/s/")
    r = client.post("/s/more-notes/", answer_data(keep_1="Short stand-ups"))
    assert r.status_code == 429
    assert "Short stand-ups</textarea>" in r.text
    assert not link.round.responses.exists()


def test_fifty_colleagues_behind_one_address_all_get_through(
    settings: Settings, link: StakeholderLink
) -> None:
    """The default limits: 50 people in one office open the shared link, look at
    the form, send an answer and see the thank-you page, all from one address."""
    settings.RATELIMIT_ANONYMOUS = DEFAULT_PAGES
    settings.RATELIMIT_SUBMISSIONS = DEFAULT_SUBMISSIONS
    for n in range(50):
        client = Client(REMOTE_ADDR="203.0.113.50")
        open_link(client, LINK_TOKEN)
        assert client.get("/s/").status_code == 200
        r = client.post("/s/", answer_data(keep_1=f"Note {n}"))
        assert r.status_code == 302, n
        assert client.get("/s/thanks/").status_code == 200
    assert link.round.sealed_answers.count() == 50


def test_a_flood_from_one_address_is_still_stopped(
    settings: Settings, link: StakeholderLink
) -> None:
    settings.RATELIMIT_ANONYMOUS = DEFAULT_PAGES
    settings.RATELIMIT_SUBMISSIONS = DEFAULT_SUBMISSIONS
    pages = parse_rate(DEFAULT_PAGES)[0]
    client = Client(REMOTE_ADDR="203.0.113.51")
    open_link(client, LINK_TOKEN)
    statuses = [client.get("/s/thanks/").status_code for _ in range(pages)]
    assert statuses[-1] == 429
    assert statuses.count(200) == pages - 1


def test_a_flood_of_answers_is_stopped(
    settings: Settings, link: StakeholderLink
) -> None:
    settings.RATELIMIT_SUBMISSIONS = "5/600"
    sent = []
    for _ in range(7):
        client = Client(REMOTE_ADDR="203.0.113.52")
        open_link(client, LINK_TOKEN)
        sent.append(client.post("/s/", answer_data()).status_code)
    assert sent == [302] * 5 + [429] * 2
    assert link.round.sealed_answers.count() == 5


@pytest.mark.usefixtures("low_limit")
def test_token_past_the_limit_redirects_without_token(link: StakeholderLink) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(3):
        client.get("/s/thanks/")
    # No error page on the tokened URL (it would log the token): a redirect to /s/,
    # which answers 429, and the token was not looked at.
    r = client.get(f"/s/{LINK_TOKEN}/")
    assert r.status_code == 303
    assert "stakeholder" not in client.session
    assert client.get("/s/").status_code == 429


@pytest.mark.usefixtures("low_limit")
def test_it_counts_each_client_apart(link: StakeholderLink) -> None:
    first = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(3):
        first.get("/s/thanks/")
    assert first.get("/s/thanks/").status_code == 429
    other = Client(REMOTE_ADDR="198.51.100.8")
    assert other.get("/s/thanks/").status_code == 200


@pytest.mark.usefixtures("low_limit")
def test_it_ignores_forwarded_for_without_trusted_proxy(
    link: StakeholderLink,
) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(3):
        client.get("/s/thanks/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    r = client.get("/s/thanks/", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert r.status_code == 429


@pytest.mark.usefixtures("low_limit")
def test_it_uses_forwarded_for_behind_trusted_proxy(
    settings: Settings, link: StakeholderLink
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(3):
        proxy.get("/s/thanks/", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert proxy.get("/s/thanks/", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == (
        429
    )
    # Another client behind the same proxy has its own counter; a forged entry on
    # the left does not buy a new one.
    assert proxy.get("/s/thanks/", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == (
        200
    )
    forged = "1.2.3.4, 203.0.113.5"
    assert proxy.get("/s/thanks/", HTTP_X_FORWARDED_FOR=forged).status_code == 429


@pytest.mark.usefixtures("low_limit")
def test_a_client_reaching_the_app_port_cannot_pick_its_address(
    settings: Settings, link: StakeholderLink
) -> None:
    """The attack: with trust by count, anyone who reached the app port directly
    sent their own X-Forwarded-For and got a fresh counter each time."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    direct = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(3):
        direct.get("/s/thanks/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    r = direct.get("/s/thanks/", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert r.status_code == 429


@pytest.mark.usefixtures("low_limit")
def test_cache_keys_hold_no_address(rf: RequestFactory) -> None:
    request = rf.get("/s/", REMOTE_ADDR="198.51.100.77")
    assert hit(request, "anonymous", "3/600")
    keys = list(cache._cache.keys())  # type: ignore[attr-defined]
    assert keys
    assert not any("198.51.100.77" in key for key in keys)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "10.0.0.1", "203.0.113.5", "10.0.0.1"),
        (["10.0.0.0/8"], "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        (["10.0.0.0/8"], "10.0.0.1", "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        # two proxies: the right-most address that is not a proxy
        (["10.0.0.0/8"], "10.0.0.1", "1.2.3.4, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        # not from a proxy: the header is ignored
        (["10.0.0.0/8"], "198.51.100.7", "203.0.113.5", "198.51.100.7"),
        (["10.0.0.0/8"], "10.0.0.1", "", "10.0.0.1"),
        # only proxies: the left-most of them
        (["10.0.0.0/8"], "10.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3"),
        (["192.0.2.10", "2001:db8::/32"], "2001:db8::1", "203.0.113.5", "203.0.113.5"),
        (["192.0.2.10"], "192.0.2.11", "203.0.113.5", "192.0.2.11"),
    ],
)
def test_client_address(
    rf: RequestFactory,
    settings: Settings,
    trusted: list[str],
    remote: str,
    forwarded: str,
    expected: str,
) -> None:
    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_a_bad_proxy_network_is_a_clear_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        parse_networks(["10.0.0.0/33"])


def test_parse_rate() -> None:
    assert parse_rate("30/600") == (30, 600)
    for bad in ("30", "x/60", "0/60", "30/0", "1/2/3"):
        with pytest.raises(ImproperlyConfigured):
            parse_rate(bad)


@pytest.mark.skipif(
    not django_settings.REDIS_URL, reason="needs REDIS_URL (CI sets it)"
)
def test_limit_holds_across_app_servers(settings: Settings, rf: RequestFactory) -> None:
    # Each thread has its own cache connection, like two app servers sharing Redis.
    # This worker's database (config/settings/test.py), so that other test
    # processes' cache.clear() cannot reset the counter half-way.
    location = settings.CACHES["default"]["LOCATION"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    request = rf.get("/s/", REMOTE_ADDR="198.51.100.9")
    results: list[bool] = []

    def server() -> None:
        results.extend(hit(request, "anonymous", "4/600") for _ in range(3))

    threads = [threading.Thread(target=server) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, True, True, True, True]


@pytest.mark.django_db
def test_a_request_writes_the_database_cache_once(
    settings: Settings, rf: RequestFactory
) -> None:
    # The embedded default's cache: one write transaction per counted request
    # (SQLite runs one writer at a time), the window's first request included.
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.DatabaseCache",
            "LOCATION": "mirror_cache",
        }
    }
    request = rf.post("/s/", REMOTE_ADDR="198.51.100.7")
    for within in (True, True, False):
        with CaptureQueriesContext(connection) as queries:
            assert hit(request, "test", "2/600") is within
        transactions = [q for q in queries if q["sql"].startswith("SAVEPOINT")]
        assert len(transactions) == 1
