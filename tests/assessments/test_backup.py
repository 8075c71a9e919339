"""``manage.py backup`` while answers come in, ``manage.py restore`` into a fresh
directory (issue 25, point 3).

An answer is *acknowledged* when ``member_response_submit`` has returned: its
transaction is committed, and the answer page's redirect to "thank you" follows.
The promise tested here: a backup holds every answer acknowledged before the
command started, and every answer it holds is whole (the member's participation and
the sealed answer both, or neither); restored, the sealed answers open with the
sealing key the server uses.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from assessments import sealing, services
from assessments.models import Participation, Round, SealedAnswer
from assessments.services import Answers, RatingAnswer, team_start
from teams.models import Membership
from tests.factories import add_response, make_round

MEMBERS = 90
WRITERS = 3
BASE_DIR = Path(settings.BASE_DIR)

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the embedded default's backup"
)


def _answers(round: Round, username: str) -> Answers:
    dimension = round.dimensions.order_by("position").first()
    assert dimension is not None
    return Answers(ratings=[RatingAnswer(dimension, 2, comment=f"from {username}")])


def _burst(round: Round, users: list[User], acked: dict[str, float]) -> None:
    """Answer as each of ``users`` in turn, noting when each was acknowledged."""
    try:
        for user in users:
            services.member_response_submit(
                round=round, user=user, answers=_answers(round, user.username)
            )
            acked[user.username] = time.monotonic()
    finally:
        connection.close()


def _manage(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    """``manage.py`` in a process of its own, as an operator runs it, on the
    SQLite file ``database``, with the sealing keys of this server."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "ANSWER_SEALING_KEY": settings.ANSWER_SEALING_KEY,
    }
    env.pop("REDIS_URL", None)
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _restored(database: Path, round: Round) -> tuple[set[str], set[str]]:
    """Who answered ``round`` in the restored database, and whose answers its
    sealed rows hold, opened with the server's keys."""
    db = sqlite3.connect(database)
    try:
        participants = {
            name
            for (name,) in db.execute(
                f"SELECT u.username FROM {Participation._meta.db_table} p "  # noqa: S608
                f"JOIN {User._meta.db_table} u ON u.id = p.user_id "
                "WHERE p.round_id = ?",
                (round.pk,),
            )
        }
        blobs = db.execute(
            f"SELECT sealed FROM {SealedAnswer._meta.db_table} WHERE round_id = ?",  # noqa: S608
            (round.pk,),
        ).fetchall()
    finally:
        db.close()
    keys = services.sealing_keys()
    authors = {
        sealing.unseal(blob, keys=keys, round_id=round.pk)["ratings"][0][
            2
        ].removeprefix("from ")
        for (blob,) in blobs
    }
    return participants, authors


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_during_a_burst_of_answers_restores_every_acknowledged_one(
    tmp_path: Path,
) -> None:
    lead = User.objects.create_user("lead", "lead@acme.test", "x")
    team = team_start(name="Backed up", description="", creator=lead)
    members = User.objects.bulk_create(
        User(username=f"m{i:03}", email=f"m{i:03}@acme.test") for i in range(MEMBERS)
    )
    Membership.objects.bulk_create(Membership(team=team, user=u) for u in members)
    released = make_round(team, title="Last quarter", state=Round.State.CLOSED)
    for _ in range(3):
        add_response(released, [2, 3])
    round = make_round(team, title="This quarter", dimensions=2)

    acked: dict[str, float] = {}
    writers = [
        threading.Thread(target=_burst, args=(round, members[i::WRITERS], acked))
        for i in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    while len(acked) < MEMBERS // 4:
        time.sleep(0.01)
    backup = tmp_path / "backups" / "mirror.sqlite3"
    backup.parent.mkdir()
    started = time.monotonic()
    call_command("backup", str(backup))
    finished = time.monotonic()
    for writer in writers:
        writer.join()
    # The burst went on while the backup was made and after it.
    assert any(moment > finished for moment in acked.values())
    assert len(acked) == MEMBERS

    fresh = tmp_path / "fresh" / "db.sqlite3"
    restored = _manage("restore", str(backup), database=fresh)
    assert restored.returncode == 0, restored.stderr
    participants, authors = _restored(fresh, round)
    before = {name for name, moment in acked.items() if moment < started}
    assert before <= participants
    assert participants == authors  # whole answers only
    assert participants <= set(acked)
    assert f"{len(authors)} sealed answer(s)" in restored.stdout
    assert "do not open" not in restored.stdout
    assert "3 released answer(s)" in restored.stdout

    # The restored database serves: the round closes and every answer counts.
    closed = _manage(
        "shell",
        "-c",
        "from assessments.models import Round; from assessments import services; "
        f"r = Round.objects.get(pk={round.pk}); services.round_close(round=r); "
        "print('counted', r.responses.count())",
        database=fresh,
    )
    assert closed.returncode == 0, closed.stderr
    assert f"counted {len(authors)}" in closed.stdout


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_to_replace_a_database_without_force(tmp_path: Path) -> None:
    User.objects.create_user("lead", "lead@acme.test", "x")
    backup = tmp_path / "mirror.sqlite3"
    call_command("backup", str(backup))
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(backup))
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(backup))  # onto the database serving this test

    fresh = tmp_path / "fresh" / "db.sqlite3"
    assert _manage("restore", str(backup), database=fresh).returncode == 0
    again = _manage("restore", str(backup), database=fresh)
    assert again.returncode != 0
    assert "--force" in again.stderr
    forced = _manage("restore", "--force", str(backup), database=fresh)
    assert forced.returncode == 0, forced.stderr
    assert list(fresh.parent.glob("db.sqlite3.before-restore-*"))


@sqlite_only
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    with pytest.raises(CommandError, match="not an SQLite database"):
        call_command("restore", str(bogus))


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL's own tools")
def test_with_postgresql_it_says_to_use_pg_dump(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup", str(tmp_path / "mirror.dump"))
    with pytest.raises(CommandError, match="pg_restore"):
        call_command("restore", str(tmp_path / "mirror.dump"))


def _pg_url(name: str) -> str:
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{auth}@{params['HOST']}:{params['PORT'] or 5432}/{name}"


@pytest.mark.skipif(
    connection.vendor != "postgresql" or shutil.which("pg_restore") is None,
    reason="PostgreSQL's own tools",
)
@pytest.mark.django_db(transaction=True)
def test_the_documented_pg_dump_recipe_restores_every_answer(tmp_path: Path) -> None:
    lead = User.objects.create_user("lead", "lead@acme.test", "x")
    team = team_start(name="Backed up", description="", creator=lead)
    members = User.objects.bulk_create(
        User(username=f"m{i}", email=f"m{i}@acme.test") for i in range(4)
    )
    Membership.objects.bulk_create(Membership(team=team, user=u) for u in members)
    round = make_round(team, dimensions=2)
    for user in members:
        services.member_response_submit(
            round=round, user=user, answers=_answers(round, user.username)
        )
    dump = tmp_path / "mirror.dump"
    fresh = f"{connection.settings_dict['NAME']}_restored"
    run = partial(subprocess.run, check=True, capture_output=True, timeout=300)
    # docs/operations.md, "Backup and restore", word for word but the names.
    run(
        [
            "pg_dump",
            "--format=custom",
            f"--file={dump}",
            _pg_url(connection.settings_dict["NAME"]),
        ]
    )
    run(["dropdb", "--if-exists", "--maintenance-db", _pg_url("postgres"), fresh])
    run(["createdb", "--maintenance-db", _pg_url("postgres"), fresh])
    try:
        run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={_pg_url(fresh)}",
                str(dump),
            ]
        )
        with psycopg.connect(_pg_url(fresh)) as restored:
            blobs = restored.execute(
                f"SELECT sealed FROM {SealedAnswer._meta.db_table} WHERE round_id = %s",  # noqa: S608
                (round.pk,),
            ).fetchall()
    finally:
        run(["dropdb", "--maintenance-db", _pg_url("postgres"), fresh])
    keys = services.sealing_keys()
    authors = {
        sealing.unseal(blob, keys=keys, round_id=round.pk)["ratings"][0][2]
        for (blob,) in blobs
    }
    assert authors == {f"from {user.username}" for user in members}


def test_the_operations_guide_covers_backup_and_restore() -> None:
    guide = (BASE_DIR / "docs" / "operations.md").read_text()
    section = guide.split("## Backup and restore", 1)[1].split("\n## ", 1)[0]
    assert "A copy of the live SQLite file is not a backup" in section
    assert "-wal" in section
    for command in ("manage.py backup", "manage.py restore", "pg_dump", "pg_restore"):
        assert command in section
    assert "apart from the backups" in section  # where the keys are kept
