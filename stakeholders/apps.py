from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        from assessments.signals import sealing_key_rotated
        from stakeholders.tasks import addresses_reseal

        sealing_key_rotated.connect(addresses_reseal, dispatch_uid="addresses")
