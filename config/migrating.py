"""Safe schema changes: rollbacks that would drop what cannot be rebuilt are
refused, and one ``migrate`` runs at a time (issue 25 items 4 and 9).

``RefuseRollbackWhileRows`` is the last operation of every migration that creates
a table holding answers, sealed answers, votes or the activity log. Forwards it
does nothing. Backwards (unapplying runs a migration's operations in reverse, so
it runs before any of that migration's tables is dropped) it refuses while one of
its tables has a row. The ``migrate`` command (``config.management.commands``)
asks every such operation of its plan before it unapplies anything, so a refused
rollback changes nothing at all; the operation itself is the safety net for any
other way of migrating.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.apps.registry import Apps
from django.core.management.base import CommandError
from django.db import DatabaseError, migrations
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

RESTORE_INSTEAD = (
    "Migrating backwards would drop them. To go back to an earlier release, "
    "restore the backup made before the upgrade instead (docs/operations.md, "
    '"Backup and restore" and "Upgrades and rollbacks"). Nothing was changed.'
)

# One key for "a migrate is running" (advisory locks are per database).
ADVISORY_LOCK_KEY = 0x7E4D_1A2B_0025_0009
ANOTHER_IS_RUNNING = (
    "Another migrate is running on this database: waiting for it to finish..."
)


class RollbackRefused(CommandError):
    """A rollback would drop rows that cannot be rebuilt."""


def refusal(what: str, tables: Iterable[str]) -> str:
    """ "Refusing to <what>: ..." naming the tables and what to do instead."""
    return (
        f"Refusing to {what}: these tables still hold a team's answers, sealed "
        f"answers, votes, activity log or the rest of its data: "
        f"{', '.join(tables)}. " + RESTORE_INSTEAD
    )


def tables_with_rows(
    apps: Apps, connection: BaseDatabaseWrapper, models: Iterable[str]
) -> list[str]:
    """The tables of ``models`` ("app_label.Model", as ``apps`` knows them) that
    exist and have at least one row."""
    existing = set(connection.introspection.table_names())
    held = []
    for label in models:
        model = apps.get_model(label)
        table = model._meta.db_table
        if table in existing and model._base_manager.using(connection.alias).exists():
            held.append(table)
    return held


class RefuseRollbackWhileRows(migrations.RunPython):
    """Nothing forwards; backwards, refuse while ``models`` have rows."""

    reduces_to_sql = False

    def __init__(self, *models: str) -> None:
        self.models = models
        super().__init__(migrations.RunPython.noop, self._refuse, elidable=False)

    def _refuse(self, apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        held = tables_with_rows(apps, schema_editor.connection, self.models)
        if held:
            raise RollbackRefused(refusal("drop " + ", ".join(held), held))

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, list(self.models), {})

    def describe(self) -> str:
        return "Refuse to roll back while " + ", ".join(self.models) + " have rows"


@contextmanager
def one_at_a_time(
    connection: BaseDatabaseWrapper, say: Callable[[str], None]
) -> Iterator[None]:
    """Hold the database's migrate lock: PostgreSQL's advisory lock, or a file
    lock next to an SQLite file; another holder is waited for, said once."""
    if connection.vendor == "postgresql":
        with _advisory_lock(connection, say):
            yield
    elif connection.vendor == "sqlite" and not connection.is_in_memory_db():  # type: ignore[attr-defined]
        with _file_lock(Path(f"{connection.settings_dict['NAME']}.migrate-lock"), say):
            yield
    else:
        yield


@contextmanager
def _advisory_lock(
    connection: BaseDatabaseWrapper, say: Callable[[str], None]
) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        if not cursor.fetchone()[0]:
            say(ANOTHER_IS_RUNNING)
            cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        except DatabaseError:
            pass  # the session's end releases it


@contextmanager
def _file_lock(path: Path, say: Callable[[str], None]) -> Iterator[None]:
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(ANOTHER_IS_RUNNING)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
