"""How fast an answer is taken: the member and the stakeholder answer POST next to
a bare Django endpoint that inserts 12 rows in one transaction, in one run.

For each database (SQLite in WAL mode with the database cache, the embedded
default; PostgreSQL with Redis, the recipe at scale) it builds a fresh database
(teams of ten members with an open round of twelve dimensions, a personal
stakeholder invitation per stakeholder), opens every session beforehand, starts
gunicorn (3 sync workers, 127.0.0.1) with production settings and then lets 50
concurrent locust ``FastHttpUser`` clients send, for ``--seconds`` each and
``--repeats`` times in turn: the bare endpoint (``benchmarks/bench_urls.py``, not
in the app's URLs), member answers, stakeholder answers. Each answer is sent once;
afterwards the database must hold exactly the answers acknowledged.

    .venv/bin/python benchmarks/answer_post.py                 # about 4 minutes
    .venv/bin/python benchmarks/answer_post.py --databases sqlite --seconds 5

PostgreSQL: ``--postgres postgres://postgres@127.0.0.1:5432/bench_answer_post``
(the database is dropped and created) and ``--redis redis://127.0.0.1:6379/13``
(flushed); the PostgreSQL part holds ``flock /tmp/pg.lock`` while it runs.
Prints a Markdown section for docs/performance.md.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()  # before anything opens a socket: locust's clients are gevent's

import argparse
import datetime
import fcntl
import json
import statistics
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import _load
from _common import machine


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/bench_answer_post"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument(
        "--answers",
        type=int,
        default=0,
        help="members and stakeholders to prepare (default: enough for the time)",
    )
    return parser.parse_args()


@contextmanager
def pg_lock(database: str):  # type: ignore[no-untyped-def]
    if database != "postgres":
        yield
        return
    with open("/tmp/pg.lock", "w") as lock:  # noqa: S108
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def measure(database: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    if database == "sqlite":
        env = _load.server_env(f"sqlite:///{tmp / 'answers.sqlite3'}")
    else:
        env = _load.server_env(args.postgres, args.redis)
    answers = args.answers or int(args.seconds * args.repeats * 60) + 100
    out = tmp / f"{database}.json"
    _load.django_step(
        env,
        "prepare",
        f"--members={answers}",
        f"--stakeholders={answers}",
        "--via=invitation",
        f"--out={out}",
    )
    items = json.loads(out.read_text())["items"]
    members = [i for i in items if i["kind"] == "member"]
    stakeholders = [i for i in items if i["kind"] == "stakeholder"]
    before = _load.django_step(env, "verify")
    results: dict[str, list[dict[str, Any]]] = {
        "bare": [],
        "member": [],
        "stakeholder": [],
    }
    with _load.servers(env, workers=args.workers, log_dir=tmp) as urls:
        # One warm-up pass of each, not counted (imports, connections, caches).
        _load.run_phase(urls, None, users=args.users, seconds=2, bare=True)
        _load.run_phase(urls, members[:100], users=args.users, seconds=5)
        _load.run_phase(urls, stakeholders[:100], users=args.users, seconds=5)
        members, stakeholders = members[100:], stakeholders[100:]
        for _ in range(args.repeats):
            results["bare"].append(
                _load.run_phase(
                    urls, None, users=args.users, seconds=args.seconds, bare=True
                )
            )
            for kind, pool in (("member", members), ("stakeholder", stakeholders)):
                result = _load.run_phase(
                    urls, pool, users=args.users, seconds=args.seconds
                )
                del pool[: result["taken"]]
                results[kind].append(result)
    after = _load.django_step(env, "verify")
    acknowledged = {
        kind: sum(r["acknowledged"] for r in results[kind]) + 100
        for kind in ("member", "stakeholder")
    }
    stored = {kind: after[kind] - before[kind] for kind in ("member", "stakeholder")}
    return {"results": results, "acknowledged": acknowledged, "stored": stored}


def median(results: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in results)


def main() -> None:
    args = parse_args()
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    measured = {}
    with tempfile.TemporaryDirectory(prefix="answer-post-") as tmp:
        for database in databases:
            with pg_lock(database):
                measured[database] = measure(database, args, Path(tmp))
    label = {
        "sqlite": "SQLite (WAL), database cache",
        "postgres": "PostgreSQL, Redis",
    }
    print("## Answer POST under load (issue 13, item 1)\n")
    print(f"- Machine: {machine()}.")
    print(f"- Date: {datetime.datetime.now(datetime.UTC).date().isoformat()}.")
    print(
        f"- Command: `.venv/bin/python benchmarks/answer_post.py --seconds "
        f"{args.seconds:g} --repeats {args.repeats}`; gunicorn, {args.workers} sync "
        f"workers, {args.users} concurrent clients (locust FastHttpUser), loopback. "
        f"Medians of {args.repeats} phases of {args.seconds:g} s each, taken in turn.\n"
    )
    print(
        "| database | request | answers/s | vs bare | p50 | p95 | errors "
        "| acknowledged | stored |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for database, m in measured.items():
        results = m["results"]
        bare = median(results["bare"], "per_second")
        for kind in ("bare", "member", "stakeholder"):
            rs = results[kind]
            rate = median(rs, "per_second")
            errors: dict[str, int] = {}
            for r in rs:
                for name, n in r["errors"].items():
                    errors[name] = errors.get(name, 0) + n
            error_text = ", ".join(f"{n} {name}" for name, n in errors.items()) or "0"
            ack = m["acknowledged"].get(kind, "")
            stored = m["stored"].get(kind, "")
            print(
                f"| {label[database]} | {kind} | {rate:.0f} | "
                f"{rate / bare:.2f}x | {median(rs, 'p50'):.0f} ms | "
                f"{median(rs, 'p95'):.0f} ms | {error_text} | {ack} | {stored} |"
            )


if __name__ == "__main__":
    main()
