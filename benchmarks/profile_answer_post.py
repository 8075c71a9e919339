"""Where an answer POST spends its time: the member and the stakeholder POST and the
bare endpoint of ``answer_post.py``, called in this process through the WSGI
application (production settings, the whole middleware stack, no server, no
network), on the data ``_load.py prepare`` builds.

    .venv/bin/python benchmarks/profile_answer_post.py              # CPU ms per request
    .venv/bin/python benchmarks/profile_answer_post.py --profile member --top 40

Without ``--profile`` it prints the CPU time (``time.process_time``) per request of
each kind, the lowest of ``--runs`` batches, and the ratio to the bare endpoint: on a
shared machine this is steadier than wall time under load. With ``--profile KIND``
it runs that kind under cProfile and prints the top functions by cumulative and by
own time. ``--database`` keeps the SQLite file between runs (answers are used up:
``--answers`` must cover every run).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _load


def environ_for(item: dict[str, Any]) -> dict[str, Any]:
    body = item["body"].encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": item["path"],
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": item["cookie"],
        "HTTP_HOST": "127.0.0.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def bare_items(n: int) -> list[dict[str, Any]]:
    return [
        {
            "kind": "bare",
            "path": "/bench/bare/",
            "body": "level=2",
            "cookie": "",
            "success": "/bench/bare/done/",
        }
        for _ in range(n)
    ]


def call(application: Any, item: dict[str, Any]) -> None:
    status: list[str] = []
    location: list[str] = []

    def start_response(s: str, headers: list[tuple[str, str]], exc_info=None):  # type: ignore[no-untyped-def]
        status.append(s)
        location.extend(v for k, v in headers if k.lower() == "location")
        return lambda data: None

    result = application(environ_for(item), start_response)
    for _chunk in result:
        pass
    if hasattr(result, "close"):
        result.close()
    if not status[0].startswith("302") or not location[0].endswith(item["success"]):
        raise RuntimeError(f"{item['kind']}: {status[0]} {location[:1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=700)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", choices=["bare", "member", "stakeholder"])
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="under valgrind --tool=callgrind --instr-atstart=no: count the "
        "instructions of the --profile kind's batch only (switched on and off "
        "with callgrind_control)",
    )
    parser.add_argument(
        "--pyinstrument",
        action="store_true",
        help="profile with pyinstrument (sampling; install it apart) instead",
    )
    parser.add_argument("--database", type=Path)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="profile-answer-"))
    path = args.database or tmp / "answers.sqlite3"
    env = _load.server_env(f"sqlite:///{path}")
    out = tmp / "items.json"
    items_file = path.with_suffix(".items.json")
    if args.database and items_file.exists():
        items = json.loads(items_file.read_text())
    else:
        _load.django_step(
            env,
            "prepare",
            f"--members={args.answers}",
            f"--stakeholders={args.answers}",
            "--via=invitation",
            f"--out={out}",
        )
        items = json.loads(out.read_text())["items"]
        if args.database:
            items_file.write_text(json.dumps(items))
    os.environ.update(env)
    sys.path[:0] = [str(_load.BENCH_DIR), str(_load.BASE_DIR)]
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    pools = {
        "member": [i for i in items if i["kind"] == "member"],
        "stakeholder": [i for i in items if i["kind"] == "stakeholder"],
    }
    used_file = path.with_suffix(".used.json")
    used = json.loads(used_file.read_text()) if used_file.exists() else {}
    for kind, pool in pools.items():
        del pool[: used.get(kind, 0)]

    def take(kind: str, n: int) -> list[dict[str, Any]]:
        if kind == "bare":
            return bare_items(n)
        batch, pools[kind][:] = pools[kind][:n], pools[kind][n:]
        used[kind] = used.get(kind, 0) + len(batch)
        if len(batch) < n:
            raise SystemExit(f"not enough {kind} answers left: use --answers")
        return batch

    # Warm-up: imports, connections, template and translation caches.
    for kind in ("bare", "member", "stakeholder"):
        for item in take(kind, 5):
            call(application, item)
    try:
        if args.profile:
            batch = take(args.profile, args.batch * args.runs)
            if args.callgrind:
                import shutil
                import subprocess

                control = shutil.which("callgrind_control") or "callgrind_control"
                pid = str(os.getpid())
                subprocess.run([control, "-i", "on", pid], check=True)
                for item in batch:
                    call(application, item)
                subprocess.run([control, "-i", "off", pid], check=True)
                return
            if args.pyinstrument:
                from pyinstrument import Profiler

                sampler = Profiler(interval=0.0002)
                sampler.start()
                for item in batch:
                    call(application, item)
                sampler.stop()
                print(sampler.output_text(show_all=False, short_mode=False))
                return
            profiler = cProfile.Profile()
            profiler.enable()
            for item in batch:
                call(application, item)
            profiler.disable()
            for order in ("cumulative", "tottime"):
                stream = io.StringIO()
                stats = pstats.Stats(profiler, stream=stream)
                stats.strip_dirs().sort_stats(order).print_stats(args.top)
                print(stream.getvalue())
            return
        per_request: dict[str, list[float]] = {
            "bare": [],
            "member": [],
            "stakeholder": [],
        }
        for _ in range(args.runs):
            for kind in per_request:
                batch = take(kind, args.batch)
                start = time.process_time()
                for item in batch:
                    call(application, item)
                per_request[kind].append(
                    (time.process_time() - start) * 1000 / args.batch
                )
        bare = min(per_request["bare"])
        for kind, values in per_request.items():
            ms = min(values)
            print(
                f"{kind:12} {ms:6.2f} ms CPU per request  "
                f"{ms / bare:4.1f}x bare  (throughput ratio {bare / ms:.2f}x)"
            )
    finally:
        if args.database:
            used_file.write_text(json.dumps(used))


if __name__ == "__main__":
    main()
