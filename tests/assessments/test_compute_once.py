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
