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
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now

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
