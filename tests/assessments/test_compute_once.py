"""The stampede guard: a cached value is computed once per key, whoever asks."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from assessments.caching import compute_once


class Counter:
    def __init__(self, value: str = "figures") -> None:
        self.calls = 0
        self.value = value

    def __call__(self) -> str:
        self.calls += 1
        return self.value


def test_two_requests_for_one_version_compute_once() -> None:
    build = Counter()

    first = compute_once("mirror:test:v1", build, 60)
    second = compute_once("mirror:test:v1", build, 60)

    assert (first, second) == ("figures", "figures")
    assert build.calls == 1


def test_a_new_version_is_computed_again() -> None:
    build = Counter()

    compute_once("mirror:test:v1", build, 60)
    compute_once("mirror:test:v2", build, 60)

    assert build.calls == 2


def test_while_another_worker_computes_the_others_wait_and_reuse_its_result() -> None:
    # Another process holds the lock; it stores the value while we wait.
    assert cache.add("mirror:test:v1:lock", 1, 30)
    build = Counter()
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            cache.set("mirror:test:v1", "theirs", 60)

    value = compute_once("mirror:test:v1", build, 60, sleep=sleep)

    assert value == "theirs"
    assert build.calls == 0
    assert len(waits) == 2


def test_when_the_holder_never_finishes_the_waiter_computes_it_itself() -> None:
    assert cache.add("mirror:test:v1:lock", 1, 30)
    build = Counter("mine")

    value = compute_once("mirror:test:v1", build, 60, wait=0.0)

    assert value == "mine"
    assert build.calls == 1
    assert cache.get("mirror:test:v1") == "mine"


def test_the_lock_is_released_even_when_computing_fails() -> None:
    def broken() -> str:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        compute_once("mirror:test:v1", broken, 60)
    build = Counter()

    assert compute_once("mirror:test:v1", build, 60) == "figures"
    assert build.calls == 1


def test_a_value_stored_just_before_we_took_the_lock_is_not_computed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two servers at once: our first look misses, then the other server stores the
    # value and releases its lock before our ``add``. Taking the lock is not enough
    # reason to compute; we look again.
    import assessments.caching as caching

    real = caching.cache
    looks: list[str] = []

    class OtherServerFinishesAfterOurFirstLook:
        def get(self, key: str, default: object = None) -> object:
            looks.append(key)
            if len(looks) == 1:
                real.set(key, "theirs", 60)
                return default
            return real.get(key, default)

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    monkeypatch.setattr(caching, "cache", OtherServerFinishesAfterOurFirstLook())
    build = Counter()

    assert compute_once("mirror:test:v1", build, 60) == "theirs"
    assert build.calls == 0
    assert real.get("mirror:test:v1:lock") is None


def test_when_the_holder_fails_a_waiter_takes_the_lock_at_once() -> None:
    assert cache.add("mirror:test:v1:lock", 1, 30)
    build = Counter("mine")
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        cache.delete("mirror:test:v1:lock")  # the holder's compute() raised

    assert compute_once("mirror:test:v1", build, 60, sleep=sleep) == "mine"
    assert build.calls == 1
    assert len(waits) == 1
