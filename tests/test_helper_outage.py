"""Degrade, don't fail (issue 25, point 6): with Redis unreachable the site keeps
serving from the database, logs the outage once a minute, and still takes every
answer exactly once; missing static files are a deploy check's error, not a 500."""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path

import pytest
from django.contrib.staticfiles.finders import get_finders
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

import config.cache
from assessments.models import Round, SealedAnswer, StakeholderLink
from config import ratelimit
from config.checks import static_files_check
from teams.models import Team, hash_token
from tests.factories import add_response, make_round
from tests.stakeholders.conftest import LINK_TOKEN, answer_data, open_link


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


@pytest.fixture
def redis_down(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """REDIS_URL pointing at a port where nothing listens, as the settings make it."""
    monkeypatch.setattr(config.cache, "_outages", {})
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = config.cache.caches_for(url)


@pytest.mark.usefixtures("redis_down")
def test_sign_in_a_stakeholder_answer_and_a_report_work_without_redis(
    team: Team, caplog: pytest.LogCaptureFixture
) -> None:
    round = make_round(team, title="Spring check", dimensions=3)
    StakeholderLink.objects.create(round=round, token_hash=hash_token(LINK_TOKEN))
    closed = make_round(team, title="Winter check", state=Round.State.CLOSED)
    for levels in ([1, 2], [2, 3], [3, 3]):
        add_response(closed, levels)

    with caplog.at_level(logging.ERROR, logger="config.cache"):
        member = Client()
        r = member.post("/accounts/login/", {"login": "bob", "password": "password"})
        assert r.status_code == 302

        stakeholder = Client()
        open_link(stakeholder, LINK_TOKEN)
        assert stakeholder.get("/s/").status_code == 200
        r = stakeholder.post("/s/", answer_data())
        assert r.status_code == 302
        assert r["Location"] == "/s/thanks/"
        # A double click's second request: told it was counted, stored once.
        assert stakeholder.post("/s/", answer_data()).status_code == 302
        assert SealedAnswer.objects.filter(round=round).count() == 1

        r = member.get(reverse("reports:round", args=[closed.code]))
        assert r.status_code == 200
        assert "Winter check" in r.text
        assert (
            member.get(reverse("reports:round", args=[closed.code])).status_code == 200
        )

    outage = [rec for rec in caplog.records if rec.name == "config.cache"]
    assert len(outage) == 1  # once, not per request
    assert "Redis cannot be reached" in outage[0].getMessage()


@pytest.mark.usefixtures("redis_down")
def test_rate_limits_count_in_the_database_without_redis(
    db: None, rf: pytest.FixtureRequest
) -> None:
    request = rf.get("/s/")  # type: ignore[attr-defined]
    assert [ratelimit.hit(request, "outage", "3/600") for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]


@pytest.mark.usefixtures("redis_down")
def test_the_outage_is_logged_once_a_minute(
    db: None, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(config.cache, "clock", lambda: now[0])
    with caplog.at_level(logging.ERROR, logger="config.cache"):
        for _ in range(50):  # one process, many requests, every 2 seconds
            cache.get("anything")
            now[0] += 2
    outage = [rec for rec in caplog.records if rec.name == "config.cache"]
    assert len(outage) == 2  # at 0 s and a minute later, not 50 times


def _manifest(root: Path, *, leave_out: str = "") -> None:
    paths = {
        path: path
        for finder in get_finders()
        for path, _ in finder.list(["CVS", ".*", "*~"])
        if path != leave_out
    }
    root.mkdir(parents=True, exist_ok=True)
    (root / "staticfiles.json").write_text(
        json.dumps({"paths": paths, "version": "1.1", "hash": "x"})
    )


@pytest.fixture
def production_static(settings: Settings, tmp_path: Path) -> Path:
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"},
    }
    return Path(settings.STATIC_ROOT)


@pytest.mark.django_db
def test_static_files_not_collected_are_a_deploy_error(
    production_static: Path,
) -> None:
    # check --deploy runs every check, the sealing keys' and the heartbeat's too,
    # which read the database.
    errors = static_files_check()
    assert [e.id for e in errors] == ["config.E001"]
    assert "collectstatic" in (errors[0].hint or "")
    with pytest.raises(SystemCheckError, match="collectstatic"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_static_files_collected_before_an_upgrade_are_a_deploy_error(
    production_static: Path,
) -> None:
    _manifest(production_static, leave_out="css/mirror.css")
    errors = static_files_check()
    assert [e.id for e in errors] == ["config.E002"]
    assert "css/mirror.css" in errors[0].msg


def test_static_files_collected_pass(production_static: Path) -> None:
    _manifest(production_static)
    assert static_files_check() == []


def test_pages_are_served_without_collected_static_files(
    production_static: Path, bob_client: Client, team: Team
) -> None:
    r = bob_client.get(reverse("teams:detail", args=[team.code]))
    assert r.status_code == 200
    assert "/static/css/" in r.text
