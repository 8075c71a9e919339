"""Settings for the test suite: fast hashing, in-memory mail, immediate tasks."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from config.settings import *  # noqa: F403
from config.settings import CACHES, REDIS_URL, STORAGES


def worker_redis_url(url: str, worker: str | None = None) -> str:
    """``url`` with its database number (0 if it names none) moved up by the
    pytest-xdist worker's number."""
    if worker is None:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw") or 0)
    return urlunsplit(parts._replace(path=f"/{db}"))


PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Without Redis the suite runs on an in-process cache (one pytest worker is one
# process). Deployed settings share a database cache or Redis.
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "team-mirror-tests",
        }
    }

# With Redis, each test worker gets a database of its own: tests clear the cache, and
# one worker's clear must not empty another's in the middle of a test. Worker n uses
# the database REDIS_URL names plus n (gw0, or a run without workers: that one).
if REDIS_URL:
    CACHES = {"default": {**CACHES["default"], "LOCATION": worker_redis_url(REDIS_URL)}}
