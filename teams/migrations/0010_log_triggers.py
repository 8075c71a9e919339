"""The team's logs are append-only in the database too.

The ORM and the admin already refuse to change or delete an entry (``AppendOnly``);
these triggers refuse it to anyone who writes SQL with the application's database
role: no ``UPDATE`` of an activity entry, no ``UPDATE`` of an access-log entry other
than the database setting a deleted account's key to null (its name stays), no
``DELETE`` of an entry whose team still exists (a team being deleted takes its log
along: the foreign keys cascade in the database), and in PostgreSQL no ``TRUNCATE``
of a log that has entries. Whoever owns the tables can still drop a trigger:
``docs/security.md`` says so.

SQLite drops a table's triggers when a migration remakes the table:
``tests/teams/test_log_triggers.py::test_the_triggers_are_in_place`` fails then, and
a new migration must create them again (``create_triggers``).
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ACCESS_LOG_KEPT = (
    "id",
    "team_id",
    "action",
    "coach_name",
    "actor_name",
    "include_notes",
    "at",
)
MESSAGE = "a team log is append-only"

SQLITE = [
    f"""CREATE TRIGGER teams_activityentry_no_update
    BEFORE UPDATE ON teams_activityentry
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER teams_activityentry_no_delete
    BEFORE DELETE ON teams_activityentry
    WHEN EXISTS (SELECT 1 FROM teams_team WHERE id = OLD.team_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",  # noqa: S608 (constants only)
    f"""CREATE TRIGGER teams_accesslogentry_no_update
    BEFORE UPDATE ON teams_accesslogentry
    WHEN NOT ({" AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in ACCESS_LOG_KEPT)}
        AND (NEW.coach_id IS OLD.coach_id OR NEW.coach_id IS NULL)
        AND (NEW.actor_id IS OLD.actor_id OR NEW.actor_id IS NULL))
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER teams_accesslogentry_no_delete
    BEFORE DELETE ON teams_accesslogentry
    WHEN EXISTS (SELECT 1 FROM teams_team WHERE id = OLD.team_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",  # noqa: S608 (constants only)
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS teams_activityentry_no_update",
    "DROP TRIGGER IF EXISTS teams_activityentry_no_delete",
    "DROP TRIGGER IF EXISTS teams_accesslogentry_no_update",
    "DROP TRIGGER IF EXISTS teams_accesslogentry_no_delete",
]

_KEPT = " AND ".join(
    f'NEW."{c}" IS NOT DISTINCT FROM OLD."{c}"' for c in ACCESS_LOG_KEPT
)
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION teams_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            IF EXISTS (SELECT 1 FROM teams_activityentry)
                OR EXISTS (SELECT 1 FROM teams_accesslogentry) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NULL;
        END IF;
        IF TG_OP = 'DELETE' THEN
            IF EXISTS (SELECT 1 FROM teams_team WHERE id = OLD.team_id) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END
    $$""",  # noqa: S608 (constants only)
    f"""CREATE OR REPLACE FUNCTION teams_accesslog_update() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF {_KEPT}
            AND (NEW.coach_id IS NOT DISTINCT FROM OLD.coach_id OR NEW.coach_id IS NULL)
            AND (NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id OR NEW.actor_id IS NULL)
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END
    $$""",
    """CREATE TRIGGER teams_activityentry_append_only
    BEFORE UPDATE OR DELETE ON teams_activityentry
    FOR EACH ROW EXECUTE FUNCTION teams_log_append_only()""",
    """CREATE TRIGGER teams_accesslogentry_append_only
    BEFORE DELETE ON teams_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION teams_log_append_only()""",
    """CREATE TRIGGER teams_accesslogentry_no_update
    BEFORE UPDATE ON teams_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION teams_accesslog_update()""",
]
for table in ("teams_activityentry", "teams_accesslogentry"):
    POSTGRESQL.append(
        f"""CREATE TRIGGER {table}_no_truncate
        BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION teams_log_append_only()"""
    )
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}"
    for table in ("teams_activityentry", "teams_accesslogentry")
    for name in ("append_only", "no_truncate", "no_update")
] + [
    "DROP FUNCTION IF EXISTS teams_log_append_only()",
    "DROP FUNCTION IF EXISTS teams_accesslog_update()",
]


def _run(schema_editor: Any, by_vendor: dict[str, list[str]]) -> None:
    for statement in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0009_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslogentry",
            name="actor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.DB_SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="coach",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.DB_SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.DB_CASCADE,
                related_name="access_log",
                to="teams.team",
            ),
        ),
        migrations.AlterField(
            model_name="activityentry",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.DB_CASCADE,
                related_name="activity",
                to="teams.team",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
