"""Scheduled work, run from cron (for example every 15 minutes):

    python manage.py run_schedule

Pages never wait for it: a round past its closing date is shown closed at once. This
stores what the clock already decided, drafts and opens the rounds of teams with a
schedule, and claims the emails that are due (reminders, "results are ready"), each
sent once by a task. Running it twice, or on two machines at once, changes nothing
more and sends nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessments import schedule, services


class Command(BaseCommand):
    help = (
        "Close the rounds whose closing date has passed, draft and open scheduled "
        "rounds, and send the reminders and results emails that are due."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        closed = services.rounds_close_due()
        self.stdout.write(f"Closed {closed} round(s) past their closing date.")
        drafted = schedule.scheduled_rounds_draft()
        self.stdout.write(f"Drafted {drafted} scheduled round(s).")
        opened = schedule.scheduled_rounds_open()
        self.stdout.write(f"Opened {opened} scheduled round(s).")
        emails = schedule.round_emails_due()
        self.stdout.write(f"Queued {emails} round email(s).")
