from __future__ import annotations

from django.apps import AppConfig


class SiteConfig(AppConfig):
    """``config`` as an app for what concerns the whole site: the deploy checks,
    the ``migrate`` command (one at a time, no rollback that drops answers) and a
    data repair after an upgrade (``config/migrations``)."""

    name = "config"
    label = "site"
    verbose_name = "Team Mirror"

    def ready(self) -> None:
        from config import checks  # noqa: F401  (registers the deploy checks)
