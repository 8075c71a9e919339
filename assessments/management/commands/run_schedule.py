"""Scheduled work: close the rounds whose closing date has passed and release their
sealed answers.

    python manage.py run_schedule              # once (cron: every few minutes)
    python manage.py run_schedule --every 60   # keeps running: once a minute

Pages never wait for it: a round past its closing date is shown closed at once, and
its results appear when this (or the task that ``db_worker`` runs at the closing
date, see ``assessments.services.close_due_rounds``) has released its answers. It also
drafts and opens the rounds of teams with a schedule, and claims the emails that are
due (reminders, "results are ready"), each sent once by a task. ``make run`` and
``make worker`` run it with ``--every 60``. Running it twice, or on two machines at
once, changes nothing more and sends nothing twice.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from assessments import schedule, services

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Close the rounds whose closing date has passed (releasing their answers), "
        "draft and open scheduled rounds, and send the reminders and results emails "
        "that are due (once, or every N seconds with --every N)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, doing the scheduled work every SECONDS seconds.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every: int = options["every"]
        if every <= 0:
            self.run_once(quiet=False)
            return
        while True:  # until stopped (Ctrl-C, make run exiting, the service manager)
            close_old_connections()
            try:
                self.run_once(quiet=True)
            except Exception:
                # A failed run (database locked, say) is retried next time.
                logger.exception("Scheduled work failed; retrying in %ss", every)
            time.sleep(every)

    def run_once(self, *, quiet: bool) -> None:
        reopened = schedule.rounds_closed_early_reopen()
        closed = services.rounds_close_due()
        waited = services.rounds_release_waiting()
        drafted = schedule.scheduled_rounds_draft()
        opened = schedule.scheduled_rounds_open()
        emails = schedule.round_emails_due()
        lines = [
            (
                reopened,
                f"Reopened {reopened} round(s) closed before their closing date "
                "(the clock had moved back).",
            ),
            (closed, f"Closed {closed} round(s) past their closing date."),
            (waited, f"Released {waited} round(s) that waited for the operator."),
            (drafted, f"Drafted {drafted} scheduled round(s)."),
            (opened, f"Opened {opened} scheduled round(s)."),
            (emails, f"Queued {emails} round email(s)."),
        ]
        for count, line in lines:
            if count or not quiet:  # the loop reports only what it did
                self.stdout.write(line)
        schedule.heartbeat_beat()  # a run that failed leaves none: the check warns
