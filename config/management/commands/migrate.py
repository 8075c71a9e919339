"""``migrate``, one at a time, refusing rollbacks that would drop answers.

Django's own command, inside the database's migrate lock (a second ``migrate``
waits, saying so, then finds nothing left to do) and after a check of its plan:
when it would unapply a migration that refuses to roll back while its tables hold
rows (``config.migrating.RefuseRollbackWhileRows``) and they do, it stops with
that message before anything is unapplied.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections
from django.db.migrations.exceptions import AmbiguityError, NodeNotFoundError
from django.db.migrations.executor import MigrationExecutor

from config.migrating import (
    RefuseRollbackWhileRows,
    RollbackRefused,
    one_at_a_time,
    refusal,
    tables_with_rows,
)


class Command(DjangoMigrate):
    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        with one_at_a_time(connection, lambda text: self.stderr.write(text)):
            if not (options["fake"] or options["plan"]):
                self._refuse_unsafe_rollback(connection, options)
            super().handle(*args, **options)

    def _refuse_unsafe_rollback(self, connection: Any, options: dict[str, Any]) -> None:
        executor = MigrationExecutor(connection)
        try:
            plan = executor.migration_plan(self._targets(executor, options))
        except (AmbiguityError, KeyError, NodeNotFoundError, ValueError):
            return  # Django's own handling says what is wrong with the names
        refused: list[str] = []
        tables: list[str] = []
        for migration, backwards in plan:
            guards = [
                op
                for op in migration.operations
                if backwards and isinstance(op, RefuseRollbackWhileRows)
            ]
            if not guards:
                continue
            state = executor.loader.project_state(
                (migration.app_label, migration.name), at_end=True
            )
            models = [label for op in guards for label in op.models]
            held = tables_with_rows(state.apps, connection, models)
            if held:
                refused.append(f"{migration.app_label}.{migration.name}")
                tables += held
        if refused:
            raise RollbackRefused(refusal("unapply " + ", ".join(refused), tables))

    @staticmethod
    def _targets(
        executor: MigrationExecutor, options: dict[str, Any]
    ) -> list[tuple[str, str | None]]:
        # As Django's command reads its arguments (without its messages).
        app_label, name = options["app_label"], options["migration_name"]
        graph = executor.loader.graph
        if app_label and name:
            if name == "zero":
                return [(app_label, None)]
            found = executor.loader.get_migration_by_prefix(app_label, name)
            return [(app_label, found.name)]
        if app_label:
            return [key for key in graph.leaf_nodes() if key[0] == app_label]
        return list(graph.leaf_nodes())
