"""Production settings fail loudly and pass Django's deployment checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles.finders import get_finders

ROOT = Path(__file__).resolve().parents[2]
PROD = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a" * 20 + "-production-secret-key-with-enough-entropy-xyz",
    "DJANGO_ALLOWED_HOSTS": "mirror.example.com",
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "ANSWER_SEALING_KEY": "s" * 20 + "-answer-sealing-key-kept-in-a-secret-store",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_secret_key_stops_startup() -> None:
    env = {**PROD}
    del env["DJANGO_SECRET_KEY"]
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_missing_hosts_stop_startup() -> None:
    env = {**PROD}
    del env["DJANGO_ALLOWED_HOSTS"]
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_bad_boolean_is_reported() -> None:
    result = _manage("check", **{**PROD, "DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def _collected(root: Path) -> Path:
    """A STATIC_ROOT as ``collectstatic`` leaves it: a manifest naming every file."""
    paths = {
        path: path
        for finder in get_finders()
        for path, _ in finder.list(["CVS", ".*", "*~"])
    }
    root.mkdir(parents=True, exist_ok=True)
    manifest = {"paths": paths, "version": "1.1", "hash": "x"}
    (root / "staticfiles.json").write_text(json.dumps(manifest))
    return root


def test_deploy_check_passes_without_warnings(tmp_path: Path) -> None:
    static = _collected(tmp_path / "staticfiles")
    # A database of its own too: the checks that read one (the sealing keys, the
    # scheduled work) must not see a developer's var/db.sqlite3.
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {**PROD, "STATIC_ROOT": str(static), "DATABASE_URL": database}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("", "ANSWER_SEALING_KEY is not set"),
        ("s" * 31, "ANSWER_SEALING_KEY is shorter than 32 characters"),
        (PROD["DJANGO_SECRET_KEY"], "ANSWER_SEALING_KEY is the same as DJANGO_SECRET"),
    ],
)
def test_a_missing_short_or_borrowed_sealing_key_stops_startup(
    key: str, problem: str
) -> None:
    env = {**PROD, "ANSWER_SEALING_KEY": key}
    if not key:
        del env["ANSWER_SEALING_KEY"]
    for command in (("check",), ("migrate", "--check")):
        result = _manage(*command, **env)
        assert result.returncode != 0
        assert problem in result.stderr
        assert "secrets.token_urlsafe(48)" in result.stderr


def test_development_derives_a_sealing_key() -> None:
    result = _manage("check", ANSWER_SEALING_KEY="")
    assert result.returncode == 0, result.stderr


def test_deploy_check_fails_without_collected_static_files(tmp_path: Path) -> None:
    env = {**PROD, "STATIC_ROOT": str(tmp_path / "never-collected")}
    result = _manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "config.E001" in result.stderr + result.stdout
    assert "collectstatic" in result.stderr + result.stdout


def test_development_needs_no_variable() -> None:
    result = _manage("check")
    assert result.returncode == 0, result.stderr
