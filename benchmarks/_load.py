"""What the load benchmarks (``answer_post.py``, ``allhands.py``) share.

Two halves that never run in one process:

- the Django half, run as ``python benchmarks/_load.py prepare|verify`` in a
  subprocess with ``DATABASE_URL`` (and ``REDIS_URL``) set: it builds the data
  (teams of members with an open round of twelve dimensions, stakeholder links and
  invitations), opens one session per answer to come and writes the requests to
  send as JSON; afterwards it counts what the database holds;
- the load half, in the benchmark's own process: gunicorn servers on loopback
  (``start_servers``) and locust's ``FastHttpUser`` clients run as a library
  (``run_phase``), each client sending prepared requests from a shared queue.

Every request goes to 127.0.0.1; each phase is bounded in time and in count.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "benchmarks"
PYTHON = sys.executable
CSRF = "b" * 32  # a CSRF secret of the right length, sent as cookie and field
DIMENSIONS = 12
TEAM_SIZE = 10


def server_env(database_url: str, redis_url: str = "") -> dict[str, str]:
    """The environment of a production-like server (and of prepare/verify)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench_settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-" + "k" * 60,
        ANSWER_SEALING_KEY="bench-sealing-" + "s" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        # Every client of a benchmark comes from 127.0.0.1: the limits per address
        # would refuse most of them (they have their own tests).
        RATELIMIT_ANONYMOUS="10000000/600",
        RATELIMIT_SUBMISSIONS="10000000/600",
        LINK_ANSWERS_PER_CLIENT_PER_ROUND="10000000",
        PYTHONPATH=f"{BENCH_DIR}{os.pathsep}{BASE_DIR}",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def django_step(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run ``_load.py ARGS`` in a subprocess; its last output line is JSON."""
    out = subprocess.run(
        [PYTHON, str(BENCH_DIR / "_load.py"), *args],
        env=env,
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# The load half ------------------------------------------------------------------


@contextmanager
def servers(
    env: dict[str, str], count: int = 1, workers: int = 3, log_dir: Path | None = None
) -> Iterator[list[str]]:
    """``count`` gunicorn servers (``workers`` sync workers each) on loopback ports;
    yields their base URLs and stops them afterwards."""
    import socket

    procs, urls = [], []
    for i in range(count):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        log = (log_dir or Path(tempfile.gettempdir())) / f"bench-gunicorn-{port}.log"
        procs.append(
            subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    f"--bind=127.0.0.1:{port}",
                    f"--workers={workers}",
                    "--worker-class=sync",
                    "--backlog=2048",
                    "--timeout=60",
                    f"--error-logfile={log}",
                    f"--name=bench-{i}",
                ],
                env=env,
                cwd=BASE_DIR,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            wait_ready(url)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_ready(url: str, seconds: float = 60) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            # Any answer from Django will do (a 302 to the sign-in page, a 404).
            urllib.request.urlopen(url + "/accounts/login/", timeout=5).read()  # noqa: S310
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not start") from None
            time.sleep(0.3)


def run_phase(
    urls: list[str],
    items: list[dict[str, Any]] | None,
    *,
    users: int,
    seconds: float,
    double_click: float = 0.0,
    bare: bool = False,
    per_second: float = 0.0,
    visit: bool = False,
) -> dict[str, Any]:
    """``users`` locust FastHttpUsers send the prepared ``items`` (each once; a
    ``double_click`` share of them twice at the same moment, the second to the next
    server) until the items run out or ``seconds`` pass. ``bare`` sends the bare
    endpoint's POST instead, as often as time allows. ``per_second`` paces the
    clients to that many answers a second in all (people arriving over time)
    instead of as fast as the servers take them. With ``visit`` each person first
    does what a person does before sending: a stakeholder follows their link
    (``open``, keeping the cookies it sets), then everyone loads the form
    (``form``), then sends it; every request is timed. Returns what happened."""
    import random
    from collections import deque
    from http.cookiejar import DefaultCookiePolicy

    import gevent
    from locust import FastHttpUser, constant, constant_throughput, task
    from locust.env import Environment
    from locust.exception import StopUser

    queue: deque[dict[str, Any]] = deque(items or [])
    # (end, milliseconds, ok, step): step is "open", "form" or the answer's POST
    records: list[tuple[float, float, bool, str]] = []
    acknowledged: set[int] = set()
    errors: dict[str, int] = {}
    samples: list[str] = []  # the first few unexpected replies, to look at
    rng = random.Random(13)
    counter = iter(range(10**9))
    stopping = [False]

    def ok_for(item: dict[str, Any], status: int, location: str) -> bool:
        return status == 302 and location.endswith(item["success"])

    class Client(FastHttpUser):
        host = urls[0]
        wait_time = (
            constant_throughput(per_second / users) if per_second else constant(0)
        )
        concurrency = 2
        network_timeout = 120.0
        connection_timeout = 120.0

        def on_start(self) -> None:
            # Each item carries its own cookies (one person's session): the client
            # must not keep what a reply set and send it with the next person's.
            self.client.cookiejar.set_policy(DefaultCookiePolicy(allowed_domains=[]))
            # Never follow a redirect: the redirect is the answer. (Not through
            # allow_redirects=False, which locust implements by switching this
            # off and on again around each request: a double click's two
            # concurrent requests would then follow each other's redirects.)
            self.client.client.redirect_response_codes = frozenset()

        def get(self, base: str, path: str, cookie: str, step: str) -> list[str]:
            """GET ``path`` as the person's browser would; the cookies it sets."""
            start = time.perf_counter()
            status, cookies = 0, []
            try:
                with self.client.get(
                    base + path,
                    headers={"Cookie": cookie},
                    catch_response=True,
                    name=step,
                ) as response:
                    status = response.status_code
                    if status in (200, 302, 303):
                        response.success()
                        if response.headers is not None:
                            cookies = response.headers.get_all("Set-Cookie") or []
                    else:
                        response.failure(f"HTTP {status}")
                        if len(samples) < 5:
                            samples.append(f"{step} {status}: {response.text[:3000]}")
            except Exception as exc:  # a refused or timed-out connection
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            if status and status not in (200, 302, 303):
                errors[f"{step} HTTP {status}"] = (
                    errors.get(f"{step} HTTP {status}", 0) + 1
                )
            elapsed = (time.perf_counter() - start) * 1000
            records.append((time.perf_counter(), elapsed, status == 200, step))
            return [c.split(";", 1)[0] for c in cookies]

        def visit(self, base: str, item: dict[str, Any]) -> dict[str, Any]:
            """Follow the link (a stakeholder) and load the form: the item, with
            the cookies its visit got."""
            cookie = item["cookie"]
            if item.get("open"):
                got = self.get(base, item["open"], cookie, "open")
                cookie = "; ".join([*got, cookie]) if cookie else "; ".join(got)
            self.get(base, item["form"], cookie, "form")
            return {**item, "cookie": cookie}

        def send(self, base: str, item: dict[str, Any]) -> None:
            start = time.perf_counter()
            status, location = 0, ""
            try:
                with self.client.post(
                    base + item["path"],
                    data=item["body"],
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": item["cookie"],
                    },
                    catch_response=True,
                    name=item["kind"],
                ) as response:
                    status = response.status_code
                    location = response.headers.get("Location", "") or ""
                    if status == 302:
                        response.success()
                    else:
                        response.failure(f"HTTP {status}")
                        if len(samples) < 5:
                            samples.append(
                                f"{item['kind']} {status}: {response.text[:3000]}"
                            )
            except Exception as exc:  # a refused or timed-out connection
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            elapsed = (time.perf_counter() - start) * 1000
            ok = ok_for(item, status, location)
            if status and status != 302:
                errors[f"HTTP {status}"] = errors.get(f"HTTP {status}", 0) + 1
            if ok:
                acknowledged.add(item["id"])
            records.append((time.perf_counter(), elapsed, ok, "post"))

        @task
        def answer(self) -> None:
            if stopping[0]:
                raise StopUser
            if bare:
                item = {
                    "id": next(counter),
                    "kind": "bare",
                    "path": "/bench/bare/",
                    "body": f"level={rng.randint(1, 3)}",
                    "cookie": "",
                    "success": "/bench/bare/done/",
                }
            elif queue:
                item = queue.popleft()
            else:
                raise StopUser
            base = rng.choice(urls)
            if visit:
                item = self.visit(base, item)
            if double_click and rng.random() < double_click:
                other = urls[(urls.index(base) + 1) % len(urls)]
                second = gevent.spawn(self.send, other, item)
                self.send(base, item)
                second.join()
            else:
                self.send(base, item)

    env = Environment(user_classes=[Client])
    runner = env.create_local_runner()
    start = time.perf_counter()
    runner.start(users, spawn_rate=users)
    deadline = start + seconds
    while time.perf_counter() < deadline:
        gevent.sleep(0.1)
        if not bare and not queue and runner.user_count == 0:
            break
    # Time is up: no client takes a new item; the requests on their way finish, so
    # that every answer sent has its reply (acknowledged or not) before counting.
    stopping[0] = True
    drain = time.perf_counter() + 60
    while runner.user_count and time.perf_counter() < drain:
        gevent.sleep(0.05)
    runner.quit()
    elapsed = (max(r[0] for r in records) if records else time.perf_counter()) - start
    posts = [r for r in records if r[3] == "post"]
    ok_times = sorted(ms for _end, ms, ok, _step in posts if ok)
    all_times = sorted(ms for _end, ms, _ok, _step in records)
    by_step = {
        step: sorted(ms for _end, ms, _ok, s in records if s == step)
        for step in ("open", "form", "post")
    }
    # Whether the servers fall behind: every request ending in the first and in
    # the last ten seconds of the phase.
    last = max((r[0] for r in records), default=start)
    first_10 = sorted(ms for end, ms, _ok, _s in records if end - start <= 10)
    last_10 = sorted(ms for end, ms, _ok, _s in records if last - end <= 10)
    return {
        "requests": len(records),
        "p95_by_step": {
            step: percentile(times, 0.95) for step, times in by_step.items() if times
        },
        "p95_first_10s": percentile(first_10, 0.95),
        "p95_last_10s": percentile(last_10, 0.95),
        "sent": len(posts),
        "ok": len(ok_times),
        "acknowledged": len(acknowledged),
        "acknowledged_ids": acknowledged,
        "left": len(queue),
        "taken": len(items or []) - len(queue),
        "errors": errors,
        "samples": samples,
        "seconds": elapsed,
        "per_second": len(ok_times) / elapsed if elapsed else 0.0,
        "p50": percentile(all_times, 0.50),
        "p95": percentile(all_times, 0.95),
    }


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, int(share * len(sorted_values)))
    return sorted_values[index]


# The Django half ----------------------------------------------------------------


def _recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _setup(fresh: bool) -> None:
    url = os.environ["DATABASE_URL"]
    if fresh:
        if url.startswith("postgres"):
            _recreate_postgres(url)
        else:
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    sys.path[:0] = [str(BENCH_DIR), str(BASE_DIR)]
    import django

    django.setup()
    if fresh:
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        cache.clear()
        key = (
            "id INTEGER PRIMARY KEY"
            if connection.vendor == "sqlite"
            else "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE bench_row ({key}, dimension integer, level integer)"
            )


def prepare(
    members: int, stakeholders: int, via: str, seed: int, visit: bool = False
) -> dict[str, Any]:
    """Teams of TEAM_SIZE members with one open round each; a session for every
    member and for every stakeholder (through the round's link or an invitation of
    their own, as ``via`` says: link, invitation or both), and the POST each will
    send. With ``visit`` a stakeholder's link is not opened here: the load follows
    it (``open``) as the person does. Every item names its form page (``form``).
    Returns ``{"items": [...], "rounds": n}``."""
    import random
    from datetime import timedelta
    from urllib.parse import urlencode

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from assessments.models import (
        Eligibility,
        Round,
        RoundDimension,
        StakeholderGroup,
        StakeholderInvitation,
        StakeholderLink,
        TeamDimension,
    )
    from teams.models import Membership, Team, hash_token

    rng = random.Random(seed)
    teams = max(1, -(-max(members, 1) // TEAM_SIZE), -(-stakeholders // 100))
    items: list[dict[str, Any]] = []
    with transaction.atomic():
        owner = User.objects.create(username="bench-owner", password="!")  # noqa: S106
        users = User.objects.bulk_create(
            User(username=f"bench-member-{i}", password="!")  # noqa: S106
            for i in range(members)
        )
        rounds = []
        for t in range(teams):
            team = Team.objects.create(name=f"Bench {t}")
            Membership.objects.create(
                team=team, user=owner, role=Membership.Role.FACILITATOR
            )
            TeamDimension.copy_builtins(team)
            StakeholderGroup.create_defaults(team)
            round = Round.objects.create(
                team=team,
                title=f"All hands {t}",
                state=Round.State.OPEN,
                opened_at=timezone.now(),
            )
            RoundDimension.snapshot(round, team.dimensions.order_by("position"))
            rounds.append(round)
        Membership.objects.bulk_create(
            Membership(team=rounds[i // TEAM_SIZE].team, user=user)
            for i, user in enumerate(users)
        )
        # The rounds' rosters, as opening a round writes them: the members.
        Eligibility.objects.bulk_create(
            Eligibility(round=rounds[i // TEAM_SIZE], user=user)
            for i, user in enumerate(users)
        )
        backend = "teams.backends.TeamMirrorBackend"
        sessions = []
        expire = timezone.now() + timedelta(days=1)
        for i, user in enumerate(users):
            key = get_random_string(32)
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: backend,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            sessions.append(
                Session(
                    session_key=key,
                    session_data=SessionStore().encode(data),
                    expire_date=expire,
                )
            )
            round = rounds[i // TEAM_SIZE]
            fields = {"csrfmiddlewaretoken": CSRF, "checkin": "performing"}
            for d in range(1, DIMENSIONS + 1):
                fields[f"d{d}_level"] = rng.choice(["1", "2", "3", "dk"])
            items.append(
                {
                    "id": len(items),
                    "kind": "member",
                    "path": f"/rounds/{round.code}/answer/",
                    "form": f"/rounds/{round.code}/answer/",
                    "success": f"/rounds/{round.code}/",
                    "cookie": f"sessionid={key}; csrftoken={CSRF}",
                    "body": urlencode(fields),
                }
            )
        Session.objects.bulk_create(sessions)
        link_tokens = {}
        invitation_tokens: list[tuple[Round, str]] = []
        for i in range(stakeholders):
            round = rounds[i % len(rounds)]
            kind = via if via != "both" else ("link" if i % 2 else "invitation")
            if kind == "link":
                if round.pk not in link_tokens:
                    link_tokens[round.pk] = secrets.token_urlsafe(32)
                    StakeholderLink.objects.create(
                        round=round, token_hash=hash_token(link_tokens[round.pk])
                    )
                invitation_tokens.append((round, link_tokens[round.pk]))
            else:
                token = secrets.token_urlsafe(32)
                StakeholderInvitation.objects.create(
                    round=round, token_hash=hash_token(token)
                )
                invitation_tokens.append((round, token))
    # Open every stakeholder's visit as their browser would (the token, then /s/),
    # and keep the cookies it got: whatever the app keeps there.
    groups = dict(
        StakeholderGroup.objects.filter(position=1).values_list("team_id", "name")
    )
    for round, token in invitation_tokens:
        cookie = ""
        if not visit:
            client = Client()
            r = client.get(f"/s/{token}/")
            assert r.status_code == 303, r.status_code
            cookie = "; ".join(
                f"{name}={morsel.value}" for name, morsel in client.cookies.items()
            )
        fields = {"csrfmiddlewaretoken": CSRF, "relationship": groups[round.team_id]}
        for d in range(1, DIMENSIONS + 1):
            fields[f"d{d}_level"] = rng.choice(["1", "2", "3", "dk"])
        items.append(
            {
                "id": len(items),
                "kind": "stakeholder",
                "path": "/s/",
                "form": "/s/",
                **({"open": f"/s/{token}/"} if visit else {}),
                "success": "/s/thanks/",
                "cookie": f"{cookie}; csrftoken={CSRF}"
                if cookie
                else f"csrftoken={CSRF}",
                "body": urlencode(fields),
            }
        )
    return {"items": items, "rounds": len(rounds)}


def counts(release: bool = False) -> dict[str, int]:
    """What the database holds: answers per perspective, sealed (the round still
    open) or released. With ``release``, every open round is closed first (its
    answers released, as Close round does), so that the ratings can be counted."""
    from django.db import connection

    from assessments.models import (
        Participation,
        Rating,
        Response,
        Round,
        SealedAnswer,
        StakeholderInvitation,
    )
    from assessments.services import round_close

    if release:
        for round in Round.objects.filter(state=Round.State.OPEN):
            round_close(round=round)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_row")
        bare_rows = cursor.fetchone()[0]
    found = {
        kind: SealedAnswer.objects.filter(perspective=perspective).count()
        + Response.objects.filter(perspective=perspective).count()
        for kind, perspective in (("member", "team"), ("stakeholder", "stakeholder"))
    }
    return {
        **found,
        "released": Response.objects.count(),
        "participations": Participation.objects.count(),
        "ratings": Rating.objects.count(),
        "invitations_used": StakeholderInvitation.objects.filter(used=True).count(),
        "bare_rows": bare_rows,
    }


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["prepare", "verify", "release"])
    parser.add_argument("--members", type=int, default=0)
    parser.add_argument("--stakeholders", type=int, default=0)
    parser.add_argument("--via", default="invitation")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--visit", action="store_true")
    args = parser.parse_args()
    if args.step == "prepare":
        _setup(fresh=True)
        prepared = prepare(
            args.members, args.stakeholders, args.via, args.seed, visit=args.visit
        )
        args.out.write_text(json.dumps(prepared))
        print(json.dumps({"items": len(prepared["items"]), **counts()}))
    else:
        _setup(fresh=False)
        print(json.dumps(counts(release=args.step == "release")))


if __name__ == "__main__":
    main()
