"""A team moved between two fresh databases of different kinds (SQLite and
PostgreSQL) gives the same report CSVs: the figures byte for byte, the notes (in
their random order by design) line for line.

The other server runs in its own process (``tests/moving/target.py``) on a fresh
database of the other kind: PostgreSQL when this suite runs on SQLite, a SQLite
file when it runs on PostgreSQL. Migrating that database takes half a minute.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from assessments.models import Perspective, Round
from moving.archive import HIDDEN
from teams.models import Team
from tests.factories import add_response, make_round

BASE_DIR = Path(settings.BASE_DIR)
POSTGRES = os.environ.get("MOVE_TARGET_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def other_database(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of the other kind: its DATABASE_URL."""
    if connection.vendor == "postgresql":
        yield f"sqlite:///{tmp_path / 'target.sqlite3'}"
        return
    name = f"test_move_target_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(f"{POSTGRES}/postgres", autocommit=True)
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL is not running here (CI's PostgreSQL run covers it)")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{POSTGRES}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _csvs(team: Team) -> dict[str, dict[str, str]]:
    client = Client()
    client.force_login(team.memberships.get(user__username="alice").user)
    return {
        str(round.code): {
            name: client.get(f"/rounds/{round.code}/report/{name}").content.decode()
            for name in ("report.csv", "notes.csv")
        }
        for round in Round.objects.filter(team=team, state=Round.State.CLOSED)
    }


def make_q3(team: Team) -> Round:
    """A round whose figures the report partly hides: most members say "don't
    know" to the second dimension (two levels given, fewer than the minimum), two
    give a check-in; among the stakeholders, the customers' levels of the first
    dimension are shown, the two that leadership gave are not (one said "don't
    know"), nor are leadership's check-ins; three answered alone (a partner, a
    supplier, a peer)."""
    q3 = make_round(team, title="Q3 retro", state=Round.State.CLOSED, dimensions=2)
    for levels, checkin in (
        ([2, None], "performing"),
        ([3, None], ""),
        ([1, 3], "high-performing"),
        ([2, 1], ""),
    ):
        add_response(q3, levels, checkin=checkin)
    for levels, relationship, checkin in (
        ([1, 2], "Customer", "performing"),
        ([2, 2], "Customer", "performing"),
        ([1, 3], "Customer", "underperforming"),
        ([3, 2], "Leadership", "performing"),
        ([1, 2], "Leadership", ""),
        ([None, 2], "Leadership", ""),
        ([2, 1], "Partner", "high-performing"),
        ([3, 3], "Supplier", "performing"),
        ([2, 2], "Peer", "underperforming"),
    ):
        add_response(
            q3,
            levels,
            perspective=Perspective.STAKEHOLDER,
            relationship=relationship,
            checkin=checkin,
        )
    return q3


@pytest.mark.django_db(transaction=True)
def test_it_gives_the_same_report_csvs_on_the_other_kind_of_database(
    moving_team: Team, other_database: str, tmp_path: Path
) -> None:
    q3 = make_q3(moving_team)
    before = _csvs(moving_team)
    archive, output = tmp_path / "team.json", tmp_path / "csvs.json"
    call_command("export_team", str(moving_team.code), str(archive))
    moved = json.loads(archive.read_text(encoding="utf-8"))
    third = next(r for r in moved["rounds"] if r["code"] == str(q3.code))
    second = third["dimensions"][1]["code"]
    # Fewer than the minimum gave the team's levels of the second dimension, and
    # leadership's of the first: no level counts of theirs travel.
    team_levels = [
        r["level"]
        for r in third["ratings"]
        if r["dimension"] == second and r["perspective"] == "team"
    ]
    assert sorted(map(str, team_levels)) == ["None", HIDDEN]
    assert not [r for r in third["pooled_levels"] if r["perspective"] == "team"]
    assert {
        str(r["level"])
        for r in third["ratings"]
        if r["relationship"] == "Leadership" and r["dimension"] != second
    } == {"None", HIDDEN}
    # Two check-ins from the team, fewer than the minimum: not in the file.
    assert {r["checkin"] for r in third["responses"] if r["perspective"] == "team"} == {
        "",
        HIDDEN,
    }
    assert not [r for r in third["pooled_checkins"] if r["perspective"] == "team"]
    assert {
        r["checkin"] for r in third["responses"] if r["relationship"] == "Leadership"
    } <= {"", HIDDEN}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=other_database, DJANGO_SETTINGS_MODULE="config.settings.test"
    )
    _run(["manage.py", "migrate", "--verbosity", "0"], env)
    _run(["tests/moving/target.py", str(archive), str(output)], env)
    after = json.loads(output.read_text(encoding="utf-8"))

    assert len(before) == 3
    assert set(after) == set(before)
    for code, files in before.items():
        assert (
            "Collaboration" in files["report.csv"] or "Talking" in files["report.csv"]
        )
        assert after[code]["report.csv"] == files["report.csv"]
        assert after[code]["report.csv"].encode() == files["report.csv"].encode()
        assert sorted(after[code]["notes.csv"].splitlines()) == sorted(
            files["notes.csv"].splitlines()
        )
