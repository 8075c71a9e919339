"""Write a team's archive, to move the team to another server:

    python manage.py export_team TEAM_CODE team.json

The file holds everything the team owns (``moving.archive``); released answers as
counts and unlinked texts only. Refused while a round of the team is open.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from moving.archive import RoundStillOpen, team_archive
from teams.models import Team


class Command(BaseCommand):
    help = "Write a team's archive (JSON) to FILE, to import it on another server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the team's code (from its page's address)")
        parser.add_argument("file", help="where to write the archive")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            team = Team.objects.get(code=options["code"])
        except (Team.DoesNotExist, ValidationError):
            raise CommandError(f"No team has the code {options['code']}.") from None
        try:
            data = team_archive(team)
        except RoundStillOpen as error:
            raise CommandError(str(error)) from error
        Path(options["file"]).write_text(
            json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        self.stdout.write(
            f"Wrote {team.name} ({len(data['rounds'])} rounds, "
            f"{len(data['members'])} members) to {options['file']}."
        )
