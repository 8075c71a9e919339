"""Production settings fail loudly and pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def test_deploy_check_passes_without_warnings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PROD)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_deploy_check_warns_without_a_sealing_key() -> None:
    env = {**PROD, "ANSWER_SEALING_KEY": ""}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "assessments.W001" in result.stderr + result.stdout


def test_development_needs_no_variable() -> None:
    result = _manage("check")
    assert result.returncode == 0, result.stderr
