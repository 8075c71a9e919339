"""Settings for the servers the load benchmarks start: the deployed settings
(``DJANGO_DEBUG=false``, a shared cache) with the benchmark's bare endpoint added to
the URLs, plain static files (no ``collectstatic`` needed) and no HTTPS redirect
(loopback, plain HTTP). Nothing in the application imports this module."""

from __future__ import annotations

from config.settings import *  # noqa: F403
from config.settings import STORAGES

ROOT_URLCONF = "bench_urls"
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
