from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from api.services import end_tokens_of_leaver
        from teams.signals import member_left

        # A token reads as its maker's membership did: it ends when they leave.
        member_left.connect(end_tokens_of_leaver, dispatch_uid="api.end_tokens")
