"""A consistent backup of the embedded database while it serves.

    python manage.py backup /backups/mirror-2026-12-08.sqlite3

SQLite only (the default): the online backup API, WAL included (``cp`` of the live
file is not a backup). With PostgreSQL it says to use ``pg_dump`` (docs/operations.md,
"Backup and restore"). The sealing key is not in the backup, by design: keep it in
the secret store, apart from the backups.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from assessments import backups, services
from assessments.models import Response, Round, SealedAnswer
from teams.models import Team

PG_DUMP = (
    "This database is PostgreSQL: back it up with pg_dump, e.g.\n"
    '  pg_dump --format=custom --file={path} "$DATABASE_URL"\n'
    "and restore with pg_restore (docs/operations.md, Backup and restore)."
)


def sqlite_path() -> Path | None:
    """The file of the default database, None if it is not SQLite."""
    connection = connections["default"]
    if connection.vendor != "sqlite":
        return None
    return Path(connection.settings_dict["NAME"])


def describe(path: Path) -> backups.Contents:
    return backups.contents(
        path,
        tables={
            "team": Team._meta.db_table,
            "round": Round._meta.db_table,
            "response": Response._meta.db_table,
            "sealed": SealedAnswer._meta.db_table,
        },
        keys=services.sealing_keys(),
    )


def summary(found: backups.Contents) -> str:
    return (
        f"{found.teams} team(s), {found.rounds} round(s), {found.released} released "
        f"answer(s), {found.sealed} sealed answer(s) waiting for their results"
    )


def key_warning(found: backups.Contents) -> str:
    if not found.unopenable:
        return (
            "Its sealed answers open only with the current sealing key "
            "(ANSWER_SEALING_KEY, or DJANGO_SECRET_KEY without it): it is not in the "
            "backup; keep it in your secret store, apart from the backups."
        )
    return (
        f"{found.unopenable} of its sealed answers do not open with the current "
        "keys: set ANSWER_SEALING_KEY (or ANSWER_SEALING_KEY_FALLBACKS) to the key "
        "they were sealed with, or they are lost when their rounds close."
    )


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the SQLite database to PATH while the site "
        "serves (PostgreSQL: use pg_dump)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file to write.")
        parser.add_argument(
            "--force", action="store_true", help="Replace PATH if it exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["path"]
        source = sqlite_path()
        if source is None:
            raise CommandError(PG_DUMP.format(path=target))
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent} is not a directory.")
        if target.exists() and not options["force"]:
            raise CommandError(f"{target} exists: use --force to replace it.")
        if target.resolve() == source.resolve():
            raise CommandError(f"{target} is the live database.")
        try:
            backups.snapshot(source, target)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        found = describe(target)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}:"))
        self.stdout.write(f"  {summary(found)}.")
        self.stdout.write(f"  {key_warning(found)}")
