"""The embedded default's cache counter (config.cache.DatabaseCache): an increment
keeps the entry's expiry and loses no count to another worker's."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from pytest_django.fixtures import Settings

from config.cache import DatabaseCache

pytestmark = pytest.mark.django_db

NINETY_DAYS = 90 * 24 * 3600


@pytest.fixture(autouse=True)
def _database_cache(settings: Settings) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.DatabaseCache", "LOCATION": "mirror_cache"}
    }


def _expires(key: str) -> datetime.datetime:
    stored = cache.make_and_validate_key(key)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM mirror_cache WHERE cache_key = %s", [stored]
        )
        (value,) = cursor.fetchone()
    if isinstance(value, str):  # SQLite gives the text it stores
        value = datetime.datetime.fromisoformat(value)
    return value.replace(tzinfo=None)


def test_a_count_keeps_its_expiry() -> None:
    # Django's own increment set the sum with the default timeout (five minutes):
    # a cap of one answer per connection for 90 days lasted five quiet minutes.
    assert cache.add("answers:link:abc", 0, timeout=NINETY_DAYS)
    made = _expires("answers:link:abc")
    assert [cache.incr("answers:link:abc") for _ in range(3)] == [1, 2, 3]
    assert cache.get("answers:link:abc") == 3
    assert _expires("answers:link:abc") == made
    in_a_month = timezone.now().replace(tzinfo=None) + datetime.timedelta(days=30)
    assert made > in_a_month


def test_a_missing_or_expired_counter_is_not_found() -> None:
    with pytest.raises(ValueError, match="not found"):
        cache.incr("nothing")
    cache.set("gone", 5, timeout=-1)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("gone")


def test_a_count_another_worker_made_meanwhile_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Another worker adds 10 between this one's read and its write: the write
    # finds the value changed, reads again and adds to the 10 (read-then-set
    # would have written 1 over 10).
    cache.add("ratelimit:x", 0, timeout=600)
    read = DatabaseCache._stored
    raced: list[bool] = []

    def stale_read(self: DatabaseCache, *args: object) -> str | None:
        stored = read(self, *args)  # type: ignore[arg-type]
        if not raced:
            raced.append(True)
            other = DatabaseCache("mirror_cache", {})
            other.set("ratelimit:x", 10, timeout=600)
        return stored

    monkeypatch.setattr(DatabaseCache, "_stored", stale_read)
    assert cache.incr("ratelimit:x") == 11
    assert cache.get("ratelimit:x") == 11
