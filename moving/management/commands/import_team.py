"""Create a team from an archive written by ``export_team`` on another server:

    python manage.py import_team team.json

One transaction: a bad file changes nothing. Members whose address is verified on
this server are added with their role; everyone else is invited by email.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from moving.services import ArchiveError, load, team_import


class Command(BaseCommand):
    help = "Create a team on this server from an archive written by export_team."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive written by export_team")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            with path.open("rb") as f:
                raw = f.read(settings.TEAM_ARCHIVE_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            result = team_import(archive=load(raw), actor=None, add_verified=True)
        except ArchiveError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        self.stdout.write(
            f"Created the team {result.team.name} ({result.team.code}) with "
            f"{result.rounds} rounds. Members: {', '.join(result.members) or '-'}. "
            f"Invited by email: {', '.join(result.invited) or '-'}."
        )
