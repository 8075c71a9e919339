"""``manage.py sealing_key rotate``: seal every held answer again under the current
key, so that the old key can leave the settings (docs/operations.md, "The sealing
key").

    ANSWER_SEALING_KEY=<new> ANSWER_SEALING_KEY_FALLBACKS=<old> \\
        python manage.py sealing_key rotate

Each round's held answers are opened with the configured keys and sealed again under
``ANSWER_SEALING_KEY`` in one transaction (all of the round's, or none). A round
whose answers no key opens is named and left as it is; the command then exits with
an error. Rounds whose results waited for the operator are released after.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments import services


class Command(BaseCommand):
    help = (
        "rotate: seal every answer held until its round's release (and every other "
        "value sealed with the key) again under ANSWER_SEALING_KEY, one transaction "
        "per round, and release the rounds that waited for the operator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rotate"])

    def handle(self, *args: Any, **options: Any) -> None:
        done = services.sealed_answers_reseal()
        for round, count in done.resealed:
            self.stdout.write(
                f"Round “{round.title}” of team “{round.team.name}” ({round.code}): "
                f"{count} held answer(s) sealed again."
            )
        self.stdout.write(
            f"Sealed {done.answers} held answer(s) of {len(done.resealed)} round(s) "
            f"again under the current key; {done.others} other sealed value(s) "
            "(addresses of queued emails, ballots of open retro votes)."
        )
        if done.released:
            self.stdout.write(
                f"Released the answers of {done.released} round(s) that waited "
                "for the operator."
            )
        for round in done.unopenable:
            self.stderr.write(
                f"Round “{round.title}” of team “{round.team.name}” ({round.code}): "
                "its held answers cannot be opened with ANSWER_SEALING_KEY or its "
                "fallbacks; nothing of it changed."
            )
        if done.unopenable:
            raise CommandError(
                "Put the key those answers were sealed with in "
                "ANSWER_SEALING_KEY_FALLBACKS (or the old secret key in "
                "DJANGO_SECRET_KEY_FALLBACKS) and run this again."
            )
