"""``manage.py check --deploy``: what the site needs besides its code.

Static files: with ``DJANGO_DEBUG=false`` pages name their CSS and scripts by the
hashed names that ``manage.py collectstatic`` writes into its manifest. Without it
(never run, or run before an upgrade that added a file) the site would serve pages
without their styles (``config.storage``); this check says so before it serves.
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.files.storage import storages

IGNORE_PATTERNS = ["CVS", ".*", "*~"]  # collectstatic's own defaults
SHOWN = 5


@register(Tags.staticfiles, deploy=True)
def static_files_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []  # development: files are served from where they are
    hint = (
        "Run `python manage.py collectstatic --no-input` on every deploy, after "
        "the upgrade and before starting the servers."
    )
    if storage.read_manifest() is None:
        return [
            Error(
                f"Static files are not collected: {storage.location} has "
                "no manifest (staticfiles.json), so pages would be served without "
                "their styles and scripts.",
                hint=hint,
                id="config.E001",
            )
        ]
    collected = set(storage.load_manifest()[0])
    missing = sorted(
        path
        for finder in get_finders()
        for path, _ in finder.list(IGNORE_PATTERNS)
        if path not in collected
    )
    if not missing:
        return []
    shown = ", ".join(missing[:SHOWN]) + (" ..." if len(missing) > SHOWN else "")
    return [
        Error(
            f"{len(missing)} static file(s) are not collected (collected before an "
            f"upgrade?): {shown}.",
            hint=hint,
            id="config.E002",
        )
    ]
