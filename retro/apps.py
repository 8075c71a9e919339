from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetroConfig(AppConfig):
    name = "retro"
    verbose_name = _("Retro")
