"""Two ``migrate`` at once end cleanly: the second waits for the first, says so,
and finds nothing left to do (issue 25 item 9)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.migrating import fresh_postgres_database, manage, start


def _both_at_once(url: str) -> None:
    runs = [start(url, "migrate", "--no-input") for _ in range(2)]
    ended = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    for code, out, err in ended:
        assert code == 0, out[-2000:] + err[-4000:]
        assert "Traceback" not in err
    check = manage(url, "migrate", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No migrations to apply." in "".join(out for _code, out, _err in ended)


def test_two_migrates_on_one_sqlite_file(tmp_path: Path) -> None:
    _both_at_once(f"sqlite:///{tmp_path / 'db.sqlite3'}")


@pytest.fixture
def postgres_database() -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("PostgreSQL: runs with DATABASE_URL=postgres://… (.ci/run does)")
    with fresh_postgres_database(url) as fresh:
        yield fresh


def test_two_migrates_on_one_postgresql_database(postgres_database: str) -> None:
    _both_at_once(postgres_database)
