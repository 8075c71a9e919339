"""Failed sign-ins per account slow guessing down without locking the owner out
(issue 24 point 10): a growing cool-down for the addresses that failed, while the
right password from an address that has not failed signs in at once."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from pytest_django.fixtures import Settings

from tests.conftest import RateLimitClock

WRONG = {"login": "bob", "password": "wrong"}
RIGHT = {"login": "bob", "password": "password"}
ATTACKER = "203.0.113.66"


def _try(address: str, data: dict[str, str]) -> int:
    return Client(REMOTE_ADDR=address).post("/accounts/login/", data).status_code


def test_the_owner_signs_in_while_someone_guesses(bob: User) -> None:
    for n in range(12):
        _try(f"198.51.100.{n}", WRONG)
    # One more wrong try a minute from the attacker changes nothing for bob.
    assert _try("192.0.2.10", RIGHT) == 302


def test_the_guessing_address_waits_longer_each_time(
    bob: User, ratelimit_clock: RateLimitClock
) -> None:
    assert [_try(ATTACKER, WRONG) for _ in range(5)] == [200] * 5
    waits = []
    for _ in range(4):
        r = Client(REMOTE_ADDR=ATTACKER).post("/accounts/login/", WRONG)
        assert r.status_code == 429
        assert "Too many failed sign-ins" in r.text
        waits.append(int(r["Retry-After"]))
        ratelimit_clock.advance(waits[-1])
        assert _try(ATTACKER, WRONG) == 200
    assert waits == [31, 61, 121, 241]


def test_the_right_password_waits_too_from_the_guessing_address(
    bob: User, ratelimit_clock: RateLimitClock
) -> None:
    for _ in range(5):
        _try(ATTACKER, WRONG)
    # Refused without a look at the password: the cool-down tells nothing.
    assert _try(ATTACKER, RIGHT) == 429
    ratelimit_clock.advance(31)
    assert _try(ATTACKER, RIGHT) == 302


def test_the_wait_has_a_ceiling(
    bob: User, settings: Settings, ratelimit_clock: RateLimitClock
) -> None:
    for n in range(30):
        _try(f"198.51.100.{n}", WRONG)
    _try(ATTACKER, WRONG)
    r = Client(REMOTE_ADDR=ATTACKER).post("/accounts/login/", WRONG)
    assert r.status_code == 429
    assert int(r["Retry-After"]) == settings.SIGNIN_DELAY_MAX + 1


def test_a_successful_sign_in_starts_the_count_again(
    bob: User, ratelimit_clock: RateLimitClock
) -> None:
    for _ in range(5):
        _try(ATTACKER, WRONG)
    assert _try("192.0.2.10", RIGHT) == 302
    assert _try(ATTACKER, WRONG) == 200


def test_the_counters_keep_no_name_and_no_address(
    bob: User, settings: Settings
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "signin-failures-test",
        }
    }
    cache.clear()
    _try(ATTACKER, WRONG)
    keys = list(cache._cache.keys())  # type: ignore[attr-defined]
    assert any("signin-failures" in key for key in keys)
    assert not any(ATTACKER in key or "bob" in key for key in keys)
