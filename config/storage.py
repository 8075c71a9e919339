"""The static files storage with ``DJANGO_DEBUG=false``: whitenoise's compressed,
hashed files, and a page still served when a file is missing from the manifest.

whitenoise's storage raises ``ValueError`` for a file that ``collectstatic`` has not
written (never run, or run before an upgrade that added the file): every page that
names one would be a 500. Here the page is served and names the file unhashed (it
has no styles until ``collectstatic`` runs); the log says so once a minute and
``manage.py check --deploy`` fails on it (``config.checks``).
"""

from __future__ import annotations

import logging
import math
import time

from whitenoise.storage import CompressedManifestStaticFilesStorage

LOG_SECONDS = 60.0
logger = logging.getLogger("config.storage")
_logged_at = -math.inf


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError:
            _missing(name)
            return name


def _missing(name: str) -> None:
    global _logged_at
    now = time.monotonic()
    if now - _logged_at < LOG_SECONDS:
        return
    _logged_at = now
    logger.error(
        "Static file %s is not collected: pages are served without it. Run "
        "manage.py collectstatic (logged once a minute).",
        name,
    )
