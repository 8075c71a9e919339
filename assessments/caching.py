"""One cache key for anything computed from rounds' answers.

Every stored answer bumps ``Round.data_version``; a key made of each round's version,
state, minimum and title (the chart labels) is therefore never stale, and an entry
only has to expire to free memory. Charts, the team overview's trends and the coach's
figures all use this one helper.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable

from django.core.cache import cache

from assessments.models import Round

# (round id, data_version, state, min_responses, title)
RoundVersion = tuple[int, int, str, int, str]


def round_version(round: Round) -> RoundVersion:
    return (round.pk, round.data_version, round.state, round.min_responses, round.title)


def cache_key(kind: str, rounds: Iterable[Round | RoundVersion], *extra: object) -> str:
    """The key of ``kind`` computed from ``rounds`` (Round objects or their
    ``round_version``) in their current versions, and whatever else it depends on
    (``extra``: a language, a viewer's share, ...)."""
    versions = sorted(
        round_version(r) if isinstance(r, Round) else tuple(r) for r in rounds
    )
    digest = hashlib.sha256(repr((versions, extra)).encode()).hexdigest()[:40]
    return f"mirror:{kind}:{digest}"


# How long one process may hold the right to compute a key, and how long the
# others wait for its result before computing it themselves.
LOCK_SECONDS = 30
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05
_MISSING = object()


def compute_once[T](
    key: str,
    compute: Callable[[], T],
    timeout: int,
    *,
    wait: float = WAIT_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """The cached value of ``key``, computed by ``compute()`` once per key even when
    many requests ask at the same moment (the moment a round's results come out).

    The right to compute is a lock key taken with ``cache.add``, which is atomic in
    the shared cache (the database cache of the embedded default, or Redis), so it
    holds across workers and servers. The others poll the cache for up to ``wait``
    seconds and compute it themselves if it has not appeared (the holder died or is
    slow): a late answer, never a wrong one, since the key names the data version.
    """
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found
    lock = f"{key}:lock"
    deadline = time.monotonic() + wait
    while True:
        if cache.add(lock, 1, LOCK_SECONDS):
            try:
                # Another process may have stored it between our first look and our
                # lock (it released the lock just after): look once more, or two
                # servers asked at the same moment would both compute it.
                found = cache.get(key, _MISSING)
                if found is not _MISSING:
                    return found
                value = compute()
                cache.set(key, value, timeout)
            finally:
                cache.delete(lock)
            return value
        if time.monotonic() >= deadline:
            break
        sleep(POLL_SECONDS)
        found = cache.get(key, _MISSING)
        if found is not _MISSING:
            return found
        # Not there yet: still being computed, or its holder gave up (the lock is
        # gone and the next ``add`` gives it to us).
    value = compute()
    cache.set(key, value, timeout)
    return value
