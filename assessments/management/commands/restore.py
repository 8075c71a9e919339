"""Put a backup made by ``manage.py backup`` back in place of the SQLite database.

    python manage.py restore /backups/mirror-2026-12-08.sqlite3 [--force]

Stop the server (and the worker) first. A database that holds data is replaced only
with ``--force``, and is first saved beside itself (``db.sqlite3.before-restore-…``).
Then ``manage.py migrate`` brings a backup of an older release up to this one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from assessments import backups
from assessments.management.commands.backup import (
    describe,
    key_warning,
    sqlite_path,
    summary,
)

PG_RESTORE = (
    "This database is PostgreSQL: restore a pg_dump backup with pg_restore, e.g.\n"
    '  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" {path}\n'
    "(docs/operations.md, Backup and restore)."
)


class Command(BaseCommand):
    # The checks would open the database, which may not exist yet.
    requires_system_checks: list[str] = []
    help = (
        "Restore the SQLite database from a backup made by manage.py backup "
        "(refuses to replace a database holding data without --force)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the current database (it is saved beside itself first).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backup: Path = options["path"]
        target = sqlite_path()
        if target is None:
            raise CommandError(PG_RESTORE.format(path=backup))
        try:
            backups.check(backup)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if backups.holds_data(target):
            if not options["force"]:
                raise CommandError(
                    f"{target} holds a database: restoring would replace it. Stop "
                    "the server and the worker, then run again with --force (the "
                    "current database is saved beside it first)."
                )
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
            saved = target.with_name(f"{target.name}.before-restore-{stamp}")
            backups.snapshot(target, saved)
            self.stdout.write(f"The current database was saved to {saved}.")
        backups.restore(backup, target)
        found = describe(target)
        self.stdout.write(self.style.SUCCESS(f"Restored {backup} into {target}:"))
        self.stdout.write(f"  {summary(found)}.")
        self.stdout.write(f"  {key_warning(found)}")
        self.stdout.write(
            "  Run manage.py migrate if the backup is from an older release."
        )
