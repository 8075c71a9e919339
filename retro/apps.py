from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetroConfig(AppConfig):
    name = "retro"
    verbose_name = _("Retro")

    def ready(self) -> None:
        from assessments.signals import sealing_key_rotated
        from retro.ballots import ballots_reseal

        sealing_key_rotated.connect(ballots_reseal, dispatch_uid="ballots")
