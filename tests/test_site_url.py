"""Links point where the site is served: `make run HOST_PORT=…` sets SITE_URL."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as CaptureCallbacks
from pytest_django.fixtures import Settings

from teams.models import Team
from tests.factories import make_round

ROOT = Path(__file__).resolve().parents[1]


def _env(**extra: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SITE_URL", "HOST_PORT", "DJANGO_SETTINGS_MODULE"}
    }
    return {**base, **extra}


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_serves_and_links_on_the_same_port() -> None:
    result = subprocess.run(
        ["make", "-n", "run", "HOST_PORT=127.0.0.1:8101"],  # noqa: S607
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if "runserver" in x)
    assert "SITE_URL=http://127.0.0.1:8101 " in line
    assert line.endswith("runserver 127.0.0.1:8101")


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_an_explicit_site_url_wins_over_host_port() -> None:
    result = subprocess.run(
        ["make", "-n", "run", "HOST_PORT=0.0.0.0:8101"],  # noqa: S607
        cwd=ROOT,
        env=_env(SITE_URL="https://mirror.example.com"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "SITE_URL=https://mirror.example.com " in result.stdout


def _site_url(**env: str) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os;"
            "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings';"
            "django.setup(); from django.conf import settings;"
            "print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_settings_follow_host_port_without_site_url() -> None:
    assert _site_url(HOST_PORT="127.0.0.1:8101") == "http://127.0.0.1:8101"
    assert _site_url() == "http://127.0.0.1:8000"
    assert _site_url(SITE_URL="https://m.example.com/", HOST_PORT="x:1") == (
        "https://m.example.com"
    )


def test_the_stakeholder_link_uses_site_url(
    alice_client: Client, team: Team, settings: Settings
) -> None:
    settings.SITE_URL = "http://127.0.0.1:8101"
    round = make_round(team)
    alice_client.post(f"/rounds/{round.code}/stakeholders/link/")
    r = alice_client.get(f"/rounds/{round.code}/stakeholders/")
    assert re.search(r'value="http://127\.0\.0\.1:8101/s/[\w-]{20,}/"', r.text)


def test_a_stakeholder_email_uses_site_url(
    alice_client: Client,
    team: Team,
    settings: Settings,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    settings.SITE_URL = "http://127.0.0.1:8101"
    round = make_round(team)
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            f"/rounds/{round.code}/stakeholders/invite/",
            {"addresses": "sam@example.com"},
        )
    assert len(mail.outbox) == 1
    assert "http://127.0.0.1:8101/s/" in mail.outbox[0].body
