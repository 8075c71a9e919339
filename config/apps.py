from __future__ import annotations

from django.apps import AppConfig


class SiteConfig(AppConfig):
    """``config`` as an app for the checks that concern the whole site."""

    name = "config"
    label = "site"
    verbose_name = "Team Mirror"

    def ready(self) -> None:
        from config import checks  # noqa: F401  (registers the deploy checks)
