"""Two app servers on one database and one cache (issue 13, item 7).

Starts two gunicorn servers (one sync worker each) on loopback ports against the
test database, with the cache a deployment has: the database cache without Redis
(the embedded default), Redis when the suite runs with ``REDIS_URL`` (CI's
PostgreSQL run). Then, as a person would notice it: one sign-in works on both; a
member's double submit with one copy to each server is stored once; so is a
stakeholder's through a shared link; the rate limit is one limit across both; and a
round's chart asked of both servers at the same moment is drawn once.
Functional, not timed. Starting the servers takes a few seconds.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from assessments.models import Participation, Round, SealedAnswer, StakeholderLink
from teams.models import Team, hash_token
from tests.factories import add_response, make_round

BASE_DIR = Path(settings.BASE_DIR)
CSRF = "c" * 32
LINK_TOKEN = "T" * 43
ANONYMOUS_LIMIT = 6
pytestmark = pytest.mark.servers


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped")
        try:
            status, _headers, _body = _request(port, "GET", "/accounts/login/")
            if status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not start")


@pytest.fixture
def server_logs(tmp_path: Path) -> list[Path]:
    """Where each server writes its log (stderr)."""
    return [tmp_path / "server-a.log", tmp_path / "server-b.log"]


@pytest.fixture
def servers(transactional_db: None, server_logs: list[Path]) -> Iterator[list[int]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.two_servers_settings",
        DATABASE_URL=_database_url(),
        DJANGO_DEBUG="true",
        LOG_LEVEL="WARNING",
        RATELIMIT_ANONYMOUS=f"{ANONYMOUS_LIMIT}/3600",
        RATELIMIT_SUBMISSIONS="1000/3600",
    )
    redis = str(settings.CACHES["default"].get("LOCATION", "")).startswith("redis")
    if redis:
        # The test worker's own Redis database, which the suite clears per test.
        env["REDIS_URL"] = settings.CACHES["default"]["LOCATION"]
    else:
        env.pop("REDIS_URL", None)
        # The database cache, as deployed without Redis; empty, as each test starts.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM mirror_cache")
    ports = [_free_port(), _free_port()]
    logs = [log.open("wb") for log in server_logs]
    procs = [
        subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                "--workers=1",
                "--log-level=warning",
            ],
            cwd=BASE_DIR,
            env=env,
            stderr=log,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        for port, proc in zip(ports, procs, strict=True):
            _wait(port, proc)
        yield ports
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()


def _request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if data is not None:
        body = urlencode({"csrfmiddlewaretoken": CSRF, **data})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        return response.status, dict(response.getheaders()), text
    finally:
        conn.close()


def _cookies_from(headers: list[tuple[str, str]]) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key] = rest.split(";", 1)[0]
    return found


def _at_once(*calls: tuple[int, str, dict[str, str], dict[str, str]]) -> list[int]:
    """POST each (port, path, cookies, data) at the same moment; their statuses."""
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = [0] * len(calls)

    def send(i: int) -> None:
        port, path, cookies, data = calls[i]
        barrier.wait()
        statuses[i] = _request(port, "POST", path, cookies=cookies, data=data)[0]

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return statuses


def _levels(round: Round) -> dict[str, str]:
    return {f"d{n}_level": "2" for n in range(1, round.dimensions.count() + 1)}


def test_two_servers_share_sessions_answers_and_limits(
    servers: list[int], team: Team, bob: User
) -> None:
    a, b = servers
    round = make_round(team, title="Scale-out check", dimensions=3)
    link = StakeholderLink.objects.create(
        round=round, token_hash=hash_token(LINK_TOKEN)
    )
    assert link.pk

    # One sign-in, both servers.
    signed_in = Client()
    signed_in.force_login(bob)
    bob_cookies = {
        "sessionid": signed_in.cookies[settings.SESSION_COOKIE_NAME].value,
        "csrftoken": CSRF,
    }
    for port in (a, b):
        status, _headers, text = _request(
            port, "GET", f"/teams/{team.code}/", cookies=bob_cookies
        )
        assert status == 200
        assert "Alpha" in text

    # A member's double click, one copy to each server: one answer.
    member = {"checkin": "performing", **_levels(round)}
    path = f"/rounds/{round.code}/answer/"
    statuses = _at_once((a, path, bob_cookies, member), (b, path, bob_cookies, member))
    assert statuses == [302, 302]
    assert SealedAnswer.objects.filter(round=round, perspective="team").count() == 1
    assert Participation.objects.filter(round=round, user=bob).count() == 1

    # A stakeholder opens the shared link on one server and double-clicks "Send"
    # with a copy to each: one answer, although nothing but the shared cache (or
    # the database) ties the two requests together.
    conn = http.client.HTTPConnection("127.0.0.1", a, timeout=30)
    conn.request("GET", f"/s/{LINK_TOKEN}/")
    opened = conn.getresponse()
    opened.read()
    assert opened.status == 303
    visit = {**_cookies_from(opened.getheaders()), "csrftoken": CSRF}
    conn.close()
    stakeholder = {"relationship": "Leadership", **_levels(round)}
    statuses = _at_once((a, "/s/", visit, stakeholder), (b, "/s/", visit, stakeholder))
    assert statuses == [302, 302]
    sealed = SealedAnswer.objects.filter(round=round, perspective="stakeholder")
    assert sealed.count() == 1
    status, _headers, text = _request(b, "GET", "/s/thanks/", cookies=visit)
    assert status == 200

    # One rate limit for both: the link above and the thanks page took two of the
    # anonymous page views; the rest go to either server, then both say 429.
    seen = []
    for i in range(ANONYMOUS_LIMIT):
        seen.append(_request((a, b)[i % 2], "GET", "/s/thanks/")[0])
    assert seen == [200] * (ANONYMOUS_LIMIT - 2) + [429, 429]


def _drawn(logs: list[Path]) -> int:
    return sum(log.read_text().count("Chart drawn") for log in logs)


def test_a_chart_asked_of_both_servers_at_once_is_drawn_once(
    servers: list[int], server_logs: list[Path], team: Team, alice: User, bob: User
) -> None:
    a, b = servers
    round = make_round(team, title="Chart check", state=Round.State.CLOSED)
    for levels in ([0, 1, 2] * 4, [1] * 12, [2] * 12):
        add_response(round, levels)
    signed_in = Client()
    signed_in.force_login(bob)
    cookies = {"sessionid": signed_in.cookies[settings.SESSION_COOKIE_NAME].value}
    path = f"/rounds/{round.code}/report/radar.svg"

    barrier = threading.Barrier(2)
    bodies: list[tuple[int, str]] = [(0, ""), (0, "")]

    def fetch(i: int) -> None:
        barrier.wait()
        status, _headers, text = _request((a, b)[i], "GET", path, cookies=cookies)
        bodies[i] = (status, text)

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [status for status, _ in bodies] == [200, 200]
    assert bodies[0][1] == bodies[1][1]
    assert "<svg" in bodies[0][1]
    assert _drawn(server_logs) == 1

    # Asked again of either server: served from the shared cache, not drawn again.
    for port in (a, b, a, b):
        assert _request(port, "GET", path, cookies=cookies)[0] == 200
    assert _drawn(server_logs) == 1

    # A new answer is a new data version: drawn once more, by one server.
    add_response(round, [0] * 12)
    for port in (b, a):
        assert _request(port, "GET", path, cookies=cookies)[0] == 200
    assert _drawn(server_logs) == 2
