"""The test settings themselves: each test worker's Redis database."""

from __future__ import annotations

import pytest

from config.settings.test import worker_redis_url


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        # The database REDIS_URL names, not one the settings pick.
        ("redis://127.0.0.1:6379/5", "", "redis://127.0.0.1:6379/5"),
        ("redis://127.0.0.1:6379/5", "gw0", "redis://127.0.0.1:6379/5"),
        ("redis://127.0.0.1:6379/14", "gw1", "redis://127.0.0.1:6379/15"),
        ("redis://127.0.0.1:6379", "gw1", "redis://127.0.0.1:6379/1"),
        ("redis://:pw@cache:6379/2", "gw3", "redis://:pw@cache:6379/5"),
    ],
)
def test_each_worker_uses_the_database_redis_url_names_plus_its_number(
    url: str, worker: str, expected: str
) -> None:
    assert worker_redis_url(url, worker) == expected
