"""Rollbacks that would drop answers, sealed answers, votes or the activity log
are refused while such rows exist, and change nothing (issue 25 item 4)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.migrating import manage

ROWS = """
from django.contrib.auth.models import User
from assessments.services import team_start
from retro.models import VoteCount
from retro.services import session_start
from tests.factories import add_response, make_round

team = team_start(name="Alpha", description="", creator=User.objects.create_user("ann"))
round = make_round(team, dimensions=2, state="closed")
add_response(round, [2, 3])
VoteCount.objects.create(session=session_start(round=round),
                         dimension=round.dimensions.first(), count=1)
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    done = manage(f"sqlite:///{db}", "migrate", "--no-input", "--verbosity", "0")
    assert done.returncode == 0, done.stderr
    return db


def _copy(migrated: Path, tmp_path: Path, *, rows: bool) -> str:
    db = tmp_path / "db.sqlite3"
    shutil.copy(migrated, db)
    url = f"sqlite:///{db}"
    if rows:
        done = manage(url, "shell", "-c", ROWS)
        assert done.returncode == 0, done.stderr
    return url


def _contents(url: str) -> dict[str, int]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        ]
        count = 'SELECT COUNT(*) FROM "{}"'
        return {t: db.execute(count.format(t)).fetchone()[0] for t in tables}


def test_a_rollback_that_would_drop_answers_is_refused_and_changes_nothing(
    migrated: Path, tmp_path: Path
) -> None:
    url = _copy(migrated, tmp_path, rows=True)
    before = _contents(url)

    for app, table in [
        ("assessments", "assessments_response"),
        ("teams", "teams_activityentry"),
        ("retro", "retro_votecount"),
    ]:
        done = manage(url, "migrate", app, "zero", "--no-input")

        assert done.returncode != 0, app
        assert "Refusing to unapply" in done.stderr
        assert table in done.stderr
        assert "restore the backup made before the upgrade" in done.stderr
        assert "Traceback" not in done.stderr
        assert _contents(url) == before


def test_a_rollback_of_an_empty_database_runs(migrated: Path, tmp_path: Path) -> None:
    url = _copy(migrated, tmp_path, rows=False)

    done = manage(url, "migrate", "assessments", "zero", "--no-input")

    assert done.returncode == 0, done.stderr
    assert "assessments_response" not in _contents(url)
    assert "teams_team" in _contents(url)
