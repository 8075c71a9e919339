"""Scheduled work, run from cron (for example every 15 minutes):

    python manage.py run_schedule

Pages never wait for it: a round past its closing date is shown closed at once. This
stores what the clock already decided. Running it twice changes nothing more.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessments import services


class Command(BaseCommand):
    help = "Close the rounds whose closing date has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = services.rounds_close_due()
        self.stdout.write(f"Closed {closed} round(s) past their closing date.")
