from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from assessments.signals import results_released
        from reports.tasks import prerender_after_release

        results_released.connect(
            prerender_after_release, dispatch_uid="reports.prerender_pdf"
        )
