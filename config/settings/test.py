"""Settings for the test suite: fast hashing, in-memory mail, immediate tasks."""

from __future__ import annotations

import os

from config.settings import *  # noqa: F403
from config.settings import CACHES, REDIS_URL, STORAGES

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
# one worker's clear must not empty another's in the middle of a test.
if REDIS_URL:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    CACHES = {
        "default": {
            **CACHES["default"],
            "LOCATION": REDIS_URL.rsplit("/", 1)[0] + f"/{8 + int(worker or 0)}",
        }
    }
