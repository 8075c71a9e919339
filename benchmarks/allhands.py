"""All hands: 1,000 members and 1,000 stakeholders answer within 60 seconds, and
the database holds every answer exactly once.

A locust load (``FastHttpUser`` clients run as a library, 127.0.0.1 only, bounded:
every answer is sent once and the load stops after ``--seconds`` whatever is left)
against gunicorn servers with production settings, in two set-ups, one after the
other in one run:

- the embedded default: SQLite (WAL) and the database cache, one server with
  ``--workers`` sync workers;
- PostgreSQL and Redis with two app servers (``--workers`` each), every client
  sending to either.

The people arrive paced over the time (``--members + --stakeholders`` in
``--seconds``), from 50 clients, and each does what a person does: a member loads
their team's answer form (teams of ten), then sends it; a stakeholder follows the
round's shared link or a personal invitation (half each), loads the form, then
sends it (``--no-visit``: only the POSTs, the visits opened beforehand). A share of
the answers (``--double-click``, 10%) is sent twice at the same moment, the second
copy to the other server. Afterwards the database is counted: answers acknowledged
(a redirect to the page that follows a stored answer) against answers stored: lost =
fewer stored, doubled = more.

    .venv/bin/python benchmarks/allhands.py                   # about 6 minutes
    .venv/bin/python benchmarks/allhands.py --setups sqlite --members 200 \\
        --stakeholders 200 --seconds 20

The PostgreSQL set-up drops and creates ``--postgres``, flushes ``--redis`` and
holds ``flock /tmp/pg.lock`` while it runs. Prints a Markdown section for
docs/performance.md.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()  # before anything opens a socket: locust's clients are gevent's

import argparse
import datetime
import json
import tempfile
from pathlib import Path
from typing import Any

import _load
from _common import machine
from answer_post import pg_lock


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setups", default="sqlite,postgres")
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--stakeholders", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--double-click", type=float, default=0.1)
    parser.add_argument(
        "--no-visit",
        dest="visit",
        action="store_false",
        help="send only the POSTs (visits opened and forms never loaded)",
    )
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/bench_allhands"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    return parser.parse_args()


def run(setup: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    if setup == "sqlite":
        env = _load.server_env(f"sqlite:///{tmp / 'allhands.sqlite3'}")
        count = 1
    else:
        env = _load.server_env(args.postgres, args.redis)
        count = 2
    out = tmp / f"{setup}.json"
    _load.django_step(
        env,
        "prepare",
        f"--members={args.members}",
        f"--stakeholders={args.stakeholders}",
        "--via=both",
        f"--out={out}",
        *(["--visit"] if args.visit else []),
    )
    items = json.loads(out.read_text())["items"]
    # Members and stakeholders arrive mixed, as at a real all-hands.
    items.sort(key=lambda i: (i["id"] % 97, i["id"]))
    before = _load.django_step(env, "verify")
    with _load.servers(env, count=count, workers=args.workers, log_dir=tmp) as urls:
        result = _load.run_phase(
            urls,
            items,
            users=args.users,
            seconds=args.seconds,
            double_click=args.double_click,
            per_second=len(items) / args.seconds,
            visit=args.visit,
        )
    # Close the rounds (releasing the sealed answers) and count what came out.
    after = _load.django_step(env, "release")
    acknowledged = {"member": 0, "stakeholder": 0}
    for item in items:
        if item["id"] in result["acknowledged_ids"]:
            acknowledged[item["kind"]] += 1
    stored = {k: after[k] - before[k] for k in acknowledged}
    return {
        "servers": count,
        "result": result,
        "acknowledged": acknowledged,
        "stored": stored,
        "ratings": after["ratings"] - before["ratings"],
        "released": after["released"] - before["released"],
        "participations": after["participations"] - before["participations"],
    }


def main() -> None:
    args = parse_args()
    setups = [s.strip() for s in args.setups.split(",") if s.strip()]
    runs = {}
    with tempfile.TemporaryDirectory(prefix="allhands-") as tmp:
        for setup in setups:
            with pg_lock(setup):
                runs[setup] = run(setup, args, Path(tmp))
    label = {
        "sqlite": f"SQLite (WAL) + database cache, 1 server x {args.workers} workers",
        "postgres": f"PostgreSQL + Redis, 2 servers x {args.workers} workers",
    }
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    print("## All hands as people do it (issue 27, item 2)\n")
    print(f"- Machine: {machine()}.")
    print(f"- Date: {today}.")
    print(
        f"- Command: `.venv/bin/python benchmarks/allhands.py --members "
        f"{args.members} --stakeholders {args.stakeholders} --seconds "
        f"{args.seconds:g}`; {args.users} locust FastHttpUser clients paced to "
        f"{(args.members + args.stakeholders) / args.seconds:.0f} answers/s, "
        f"{args.double_click:.0%} of the answers sent twice at once; "
        + (
            "each person follows their link (stakeholders), loads the form, then "
            "sends it.\n"
            if args.visit
            else "only the POSTs.\n"
        )
    )
    print(
        "| set-up | answered in | left after the time | requests | errors | p50 "
        "| p95 | members acknowledged / stored | stakeholders acknowledged / stored "
        "| lost | doubled |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for setup, r in runs.items():
        res = r["result"]
        errors = sum(res["errors"].values())
        error_text = ", ".join(f"{n} {k}" for k, n in res["errors"].items())
        ack, stored = r["acknowledged"], r["stored"]
        lost = sum(max(0, ack[k] - stored[k]) for k in ack)
        doubled = sum(max(0, stored[k] - ack[k]) for k in ack)
        print(
            f"| {label[setup]} | {res['seconds']:.1f} s | {res['left']} | "
            f"{res['sent']} | {errors}{' (' + error_text + ')' if errors else ''} | "
            f"{res['p50']:.0f} ms | {res['p95']:.0f} ms | "
            f"{ack['member']} / {stored['member']} | "
            f"{ack['stakeholder']} / {stored['stakeholder']} | {lost} | {doubled} |"
        )
    print(
        "\n| set-up | requests | p95 link | p95 form | p95 answer | p95 first 10 s "
        "| p95 last 10 s | last / first |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for setup, r in runs.items():
        res = r["result"]
        steps = res["p95_by_step"]
        first, last = res["p95_first_10s"], res["p95_last_10s"]
        print(
            f"| {label[setup]} | {res['requests']} | {steps.get('open', 0):.0f} ms "
            f"| {steps.get('form', 0):.0f} ms | {steps.get('post', 0):.0f} ms "
            f"| {first:.0f} ms | {last:.0f} ms | {last / first:.2f}x |"
        )
    for setup, r in runs.items():
        total = r["stored"]["member"] + r["stored"]["stakeholder"]
        print(
            f"\n{label[setup]}: after closing the rounds, {r['released']} answers "
            f"released of {total} stored, {r['ratings']} ratings "
            f"({_load.DIMENSIONS} each: {r['ratings'] == total * _load.DIMENSIONS}), "
            f"{r['participations']} participations for "
            f"{r['stored']['member']} member answers."
        )


if __name__ == "__main__":
    main()
