"""Backups of the embedded default (SQLite) while it serves, and their restore.

A copy of the database file is not a backup: with write-ahead logging the newest
answers are in ``db.sqlite3-wal`` until a checkpoint, and a copy without them
still passes ``integrity_check``. SQLite's online backup API reads the database
as of one moment (one read transaction: writers go on meanwhile, in WAL mode they
never wait for it), WAL included, and writes a single self-contained file. Pure
``sqlite3``: no ORM, no settings (the command passes the paths and the keys).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assessments import sealing

BUSY_TIMEOUT = 20.0
SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """The file is not a usable Team Mirror database; nothing was written."""


@dataclass(frozen=True)
class Contents:
    """What a backup holds, counted from its own tables."""

    teams: int
    rounds: int
    released: int  # answers released (readable without a key)
    sealed: int  # answers waiting sealed for their round's results
    unopenable: int  # of those, how many no configured key opens


def snapshot(source: Path, target: Path) -> None:
    """Write a consistent copy of the live database ``source`` to ``target`` (a new
    file, complete or absent: it is written beside it and renamed)."""
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    live = sqlite3.connect(source, timeout=BUSY_TIMEOUT)
    try:
        copy = sqlite3.connect(partial)
        try:
            live.backup(copy)  # all pages in one step: one read transaction
            # One file, no -wal beside it: a backup is copied around.
            copy.execute("PRAGMA journal_mode=DELETE")
            _check_integrity(copy)
        finally:
            copy.close()
    finally:
        live.close()
    os.replace(partial, target)


def restore(backup: Path, target: Path) -> None:
    """Put ``backup`` in place of the database ``target`` (made if missing),
    through SQLite's backup API into the target's own connection: its -wal is
    handled by SQLite, never left to be replayed over the restored pages."""
    check(backup)
    target.parent.mkdir(parents=True, exist_ok=True)
    saved = sqlite3.connect(backup)
    try:
        live = sqlite3.connect(target, timeout=BUSY_TIMEOUT)
        try:
            saved.backup(live)
        finally:
            live.close()
    finally:
        saved.close()


def check(path: Path) -> None:
    """Raise ``BackupError`` unless ``path`` is a whole SQLite database of this
    application."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"{path}: {error.strerror}.") from None
    if header != SQLITE_HEADER:
        raise BackupError(f"{path} is not an SQLite database.")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        _check_integrity(db)
        if not _has_table(db, "django_migrations"):
            raise BackupError(f"{path} is not a Team Mirror database.")
    finally:
        db.close()


def holds_data(path: Path) -> bool:
    """Whether ``path`` is a database with any table in it (an empty or missing
    file is not)."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return bool(db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    except sqlite3.DatabaseError:
        return True  # something else is there: never overwrite it silently
    finally:
        db.close()


def contents(path: Path, *, tables: dict[str, str], keys: Sequence[bytes]) -> Contents:
    """Count what the database at ``path`` holds and try to open every sealed
    answer with ``keys``. ``tables`` names the tables: ``team``, ``round``,
    ``response`` and ``sealed`` (their ``db_table``)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:

        def count(kind: str) -> int:
            table = tables[kind].replace('"', "")
            if not _has_table(db, table):
                return 0
            return int(db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])  # noqa: S608 - a model's own table name

        unopenable = 0
        sealed_table = tables["sealed"].replace('"', "")
        if _has_table(db, sealed_table):
            rows = db.execute(f'SELECT round_id, sealed FROM "{sealed_table}"')  # noqa: S608 - a model's own table name
            for round_id, blob in rows:
                try:
                    sealing.unseal(blob, keys=keys, round_id=round_id)
                except sealing.SealBroken:
                    unopenable += 1
        return Contents(
            teams=count("team"),
            rounds=count("round"),
            released=count("response"),
            sealed=count("sealed"),
            unopenable=unopenable,
        )
    finally:
        db.close()


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    found = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return found is not None


def _check_integrity(db: sqlite3.Connection) -> None:
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The database is damaged: {error}.") from None
    if result != "ok":
        raise BackupError(f"The database is damaged: {result}.")
