"""The embedded default's shared cache: Django's database cache with a counter that
holds with several workers.

Django's ``DatabaseCache.incr`` is ``BaseCache.incr``: it reads the value, then
``set()``s the sum with the default timeout. Two workers counting at once can both
write the same sum (a rate limit then lets more through), and every increment
moves the entry's expiry to five minutes from now (a 90-day cap per connection
would be forgotten after five quiet minutes). Here an increment is a
compare-and-swap on the stored value, in one UPDATE that leaves ``expires`` as it
was: a worker that lost the race reads again and retries. Redis (``REDIS_URL``)
has an atomic INCR of its own and needs none of this.

With ``REDIS_URL`` the cache is ``RedisWithFallback``: Redis, and this database
cache while Redis cannot be reached (docs/operations.md, "When a helper service is
down").
"""

from __future__ import annotations

import base64
import logging
import math
import pickle
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import redis
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now

# The database cache table, made by a migration in every install
# (teams/migrations/0006_signup.py).
TABLE = "mirror_cache"

# A counter moved by this many other workers between one read and its write is
# read again; past that the increment gives up as Django's does on a missing key.
ATTEMPTS = 20


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)  # type: ignore[attr-defined]
        cache_key, value, expires = (
            quote_name("cache_key"),
            quote_name("value"),
            quote_name("expires"),
        )
        select = (
            f"SELECT {value} FROM {table} "  # noqa: S608 - quoted names only
            f"WHERE {cache_key} = %s AND {expires} > %s"
        )
        update = (
            f"UPDATE {table} SET {value} = %s "  # noqa: S608 - quoted names only
            f"WHERE {cache_key} = %s AND {value} = %s AND {expires} > %s"
        )
        for _ in range(ATTEMPTS):
            # As has_key() compares: the stored expiry is naive.
            now = connection.ops.adapt_datetimefield_value(
                tz_now().replace(microsecond=0, tzinfo=None)
            )
            stored = self._stored(connection, select, key, now)
            if stored is None:
                raise ValueError(f"Key '{key}' not found")
            new = pickle.loads(base64.b64decode(stored.encode(), validate=True)) + delta  # noqa: S301
            encoded = base64.b64encode(pickle.dumps(new, self.pickle_protocol)).decode(
                "latin1"
            )
            with transaction.atomic(using=db), connection.cursor() as cursor:
                cursor.execute(update, [encoded, key, stored, now])
                if cursor.rowcount == 1:
                    return int(new)
        raise ValueError(f"Key '{key}' kept changing")

    def _stored(self, connection: Any, select: str, key: str, now: Any) -> str | None:
        """The entry's stored (pickled, base64) value, None if missing or expired."""
        with connection.cursor() as cursor:
            cursor.execute(select, [key, now])
            row = cursor.fetchone()
        return None if row is None else str(row[0])


# Redis, and the database cache while Redis cannot be reached (REDIS_URL).

# While Redis is down, each process tries it again this often (one request pays
# the failed attempt) and says so in the log at most this often.
RETRY_SECONDS = 5.0
LOG_SECONDS = 60.0
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
logger = logging.getLogger("config.cache")


def clock() -> float:
    """The time the outage is measured in: the one place this module reads it."""
    return time.monotonic()


@dataclass
class _Outage:
    """One Redis server as this process sees it."""

    down_until: float = -math.inf
    logged_at: float = -math.inf
    down: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


_outages: dict[str, _Outage] = {}


def caches_for(redis_url: str) -> dict[str, dict[str, Any]]:
    """The CACHES setting: Redis (falling back to the database cache table) when
    ``redis_url`` is set, else the database cache table alone."""
    if not redis_url:
        return {"default": {"BACKEND": "config.cache.DatabaseCache", "LOCATION": TABLE}}
    return {
        "default": {
            "BACKEND": "config.cache.RedisWithFallback",
            "LOCATION": redis_url,
            "KEY_PREFIX": "mirror",
            # A Redis that does not answer is given up on quickly: the page is
            # served from the database cache instead of waiting.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }


class RedisWithFallback(RedisCache):
    """Django's Redis cache that keeps serving while Redis is unreachable.

    An operation that cannot reach Redis is done on the database cache table (the
    embedded default's, made by a migration in every install) instead: a cached
    chart is a miss and is computed, a rate limit counts in the database, shared by
    every server as Redis was (counts restart when Redis comes back), a
    ``compute_once`` lock is taken there. Nothing that must happen exactly once
    depends on the cache (sessions, submit guards and used invitations are
    database rows). After a failure this process goes straight to the database
    for ``RETRY_SECONDS``, then tries Redis again; the outage is logged when it
    starts and once a minute while it lasts, and its end once.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._server = server
        self._fallback = DatabaseCache(
            TABLE,
            {
                key: params[key]
                for key in ("KEY_PREFIX", "TIMEOUT", "VERSION")
                if key in params
            },
        )

    def _outage(self) -> _Outage:
        return _outages.setdefault(self._server, _Outage())

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        outage = self._outage()
        if clock() < outage.down_until:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except REDIS_DOWN as error:
            self._went_down(outage, error)
            return getattr(self._fallback, name)(*args, **kwargs)
        if outage.down:
            self._came_back(outage)
        return result

    def _went_down(self, outage: _Outage, error: Exception) -> None:
        now = clock()
        with outage.lock:
            outage.down = True
            outage.down_until = now + RETRY_SECONDS
            if now - outage.logged_at < LOG_SECONDS:
                return
            outage.logged_at = now
        # The error names host and port, never the password a URL may hold.
        logger.error(
            "Redis cannot be reached (%s): caching and rate limits use the "
            "database until it is back (logged once a minute while it lasts).",
            error,
        )

    def _came_back(self, outage: _Outage) -> None:
        with outage.lock:
            if not outage.down:
                return
            outage.down = False
            outage.logged_at = -math.inf
        logger.warning("Redis can be reached again: caching uses it again.")

    def add(self, *args: Any, **kwargs: Any) -> bool:
        return bool(self._call("add", *args, **kwargs))

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> None:
        self._call("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        return bool(self._call("touch", *args, **kwargs))

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return bool(self._call("delete", *args, **kwargs))

    def get_many(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        found: dict[str, Any] = self._call("get_many", *args, **kwargs)
        return found

    def has_key(self, *args: Any, **kwargs: Any) -> bool:
        return bool(self._call("has_key", *args, **kwargs))

    def incr(self, *args: Any, **kwargs: Any) -> int:
        return int(self._call("incr", *args, **kwargs))

    def set_many(self, *args: Any, **kwargs: Any) -> list[str]:
        failed: list[str] = self._call("set_many", *args, **kwargs)
        return failed

    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        self._call("delete_many", *args, **kwargs)

    def clear(self) -> None:
        self._call("clear")
