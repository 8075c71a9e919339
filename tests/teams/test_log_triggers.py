"""The team's logs are append-only in the database too (issue 12, point 1): an
operator who writes SQL with the application's database role cannot change or
delete an activity or access-log entry of a team that exists, on SQLite or
PostgreSQL. A team being deleted takes its log along; a deleted account's key is
set to null and its name stays. (Whoever owns the tables can drop a trigger:
docs/security.md.)"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction

from teams.models import AccessLogEntry, ActivityEntry, Team
from teams.services import coach_share_grant

TRIGGERS = {
    "sqlite": {
        "teams_activityentry_no_update",
        "teams_activityentry_no_delete",
        "teams_accesslogentry_no_update",
        "teams_accesslogentry_no_delete",
    },
    "postgresql": {
        "teams_activityentry_append_only",
        "teams_activityentry_no_truncate",
        "teams_accesslogentry_append_only",
        "teams_accesslogentry_no_update",
        "teams_accesslogentry_no_truncate",
    },
}


def _sql(statement: str, *params: object) -> None:
    """As an operator at the SQL prompt: one statement, its own savepoint."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _installed() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall()}


@pytest.fixture
def shared(team: Team, alice: User, cora: User) -> AccessLogEntry:
    coach_share_grant(team=team, coach=cora, include_notes=False, actor=alice)
    return AccessLogEntry.objects.get(team=team)


def test_the_triggers_are_in_place(db: None) -> None:
    """A migration that remakes a log table on SQLite drops its triggers: this
    fails then, until a migration creates them again."""
    assert TRIGGERS[connection.vendor] <= _installed()


def test_sql_cannot_change_an_activity_entry(team: Team) -> None:
    entry = ActivityEntry.objects.for_team(team).get()
    with pytest.raises(IntegrityError, match="append-only"):
        _sql(
            "UPDATE teams_activityentry SET actor_name = %s WHERE id = %s",
            "someone else",
            entry.pk,
        )
    with pytest.raises(IntegrityError, match="append-only"):
        _sql("UPDATE teams_activityentry SET detail = '{}'")
    entry.refresh_from_db()
    assert entry.actor_name == "alice"
    assert entry.detail == {"name": "Alpha"}


def test_sql_cannot_delete_an_activity_entry(team: Team) -> None:
    with pytest.raises(IntegrityError, match="append-only"):
        _sql("DELETE FROM teams_activityentry WHERE team_id = %s", team.pk)
    with pytest.raises(IntegrityError, match="append-only"):
        _sql("DELETE FROM teams_activityentry")
    assert ActivityEntry.objects.for_team(team).count() == 1


def test_sql_cannot_change_or_delete_an_access_log_entry(
    shared: AccessLogEntry, team: Team
) -> None:
    for statement in (
        "UPDATE teams_accesslogentry SET coach_name = 'nobody'",
        "UPDATE teams_accesslogentry SET include_notes = NOT include_notes",
    ):
        with pytest.raises(IntegrityError, match="append-only"):
            _sql(statement)
    with pytest.raises(IntegrityError, match="append-only"):
        _sql("UPDATE teams_accesslogentry SET coach_id = %s", shared.actor_id)
    with pytest.raises(IntegrityError, match="append-only"):
        _sql("DELETE FROM teams_accesslogentry WHERE team_id = %s", team.pk)
    shared.refresh_from_db()
    assert (shared.coach_name, shared.include_notes) == ("cora", False)


def test_a_deleted_account_leaves_its_name_in_the_logs(
    shared: AccessLogEntry, cora: User, alice: User
) -> None:
    cora.delete()
    alice.delete()
    shared.refresh_from_db()
    assert (shared.coach_id, shared.coach_name) == (None, "cora")
    assert (shared.actor_id, shared.actor_name) == (None, "alice")


def test_a_deleted_team_takes_its_logs_along(
    shared: AccessLogEntry, team: Team, other_team: Team
) -> None:
    team.delete()
    assert not ActivityEntry.objects.filter(team_id=team.pk).exists()
    assert not AccessLogEntry.objects.filter(team_id=team.pk).exists()
    # Another team's log is untouched.
    assert ActivityEntry.objects.for_team(other_team).count() == 1


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_to_truncate_a_log(team: Team) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    with pytest.raises(IntegrityError, match="append-only"):
        _sql("TRUNCATE teams_activityentry")
    assert ActivityEntry.objects.for_team(team).count() == 1
