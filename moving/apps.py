from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovingConfig(AppConfig):
    name = "moving"
    verbose_name = _("Moving a team")
