from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from assessments.models import Action, Round, RoundMetric
        from assessments.signals import results_released
        from reports.tasks import prerender_after_change, prerender_after_release
        from teams.models import CoachShare, Team

        results_released.connect(
            prerender_after_release, dispatch_uid="reports.prerender_pdf"
        )
        # A round's PDFs are laid out again in the background when what they show
        # changes, from whichever page or the admin (reports.tasks).
        for name, signal in (("save", post_save), ("delete", post_delete)):
            for model in (Action, RoundMetric, Round, Team, CoachShare):
                signal.connect(
                    prerender_after_change,
                    sender=model,
                    dispatch_uid=f"reports.prerender_pdf.{name}.{model.__name__}",
                )
