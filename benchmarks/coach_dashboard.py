"""How long the coach's pages take for a coach with many shared teams.

Builds a throw-away SQLite database (500 teams x 8 closed rounds by default, each
round 4-8 team answers and 0-5 stakeholder answers on all twelve dimensions, with
keep / stop / start notes; the figures kept at release are counted as a release
would), then times, in the same run, the simplest page (a member's team page), and
the coach dashboard and the themes page for a coach with a tenth of the teams and
for one with all of them.

    .venv/bin/python benchmarks/coach_dashboard.py            # about a minute
    .venv/bin/python benchmarks/coach_dashboard.py --teams 100 --runs 5

Prints a Markdown table: median wall time per page over ``--runs`` requests (after
one warm-up request), the share of it spent in SQL, the number of queries, the
ratio between the two coaches and the ratio of the larger one to the simplest page,
timed again just before each row (the machine may be shared: a ratio is to the
simplest page at the same moment).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from _common import machine, setup_django

PHRASES = {
    "keep": [
        ("Pairing on tricky stories", "collaboration-communication"),
        ("Blameless incident reviews", "observability-operational-readiness"),
        ("Demo every sprint", "customer-business-focus"),
        ("Short stand-ups", None),
    ],
    "stop": [
        ("Unplanned work mid sprint", "flow-efficiency"),
        ("Merging without code review", "code-quality-technical-health"),
        ("Meetings without an agenda", None),
        ("Too many tickets in progress", "flow-efficiency"),
    ],
    "start": [
        ("WIP limits on the board", "flow-efficiency"),
        ("Fixing flaky tests first", "code-quality-technical-health"),
        ("Runbooks for on-call", "observability-operational-readiness"),
        ("Track cycle time", "data-driven-improvement"),
    ],
}
FILLER = [
    "release",
    "backlog",
    "estimates",
    "deploys",
    "alerts",
    "refinement",
    "ownership",
    "handover",
    "docs",
    "dashboards",
    "onboarding",
    "design",
    "roadmap",
    "pipeline",
    "staging",
    "outage",
    "budget",
    "sync",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--database",
        type=Path,
        help="keep the database in this file, and reuse it if it exists",
    )
    return parser.parse_args()


def build(teams: int, rounds: int, rng: random.Random) -> None:
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from assessments import tallies
    from assessments.models import (
        BuiltinDimension,
        Note,
        Rating,
        Response,
        Round,
        RoundDimension,
        TeamDimension,
    )
    from teams.models import CoachShare, Membership, Team

    builtins = list(BuiltinDimension.objects.order_by("position"))
    by_slug = {b.slug: b for b in builtins}
    now = timezone.now()
    batch = 5000
    with transaction.atomic():
        few, many = (
            User.objects.create_user("coach-few"),
            User.objects.create_user("coach-many"),
        )
        team_rows = Team.objects.bulk_create(
            Team(name=f"Team {i:04d}") for i in range(teams)
        )
        # The simplest page's reader: a member of the first team.
        Membership.objects.create(
            team=team_rows[0],
            user=User.objects.create_user("member"),
            role=Membership.Role.MEMBER,
        )
        TeamDimension.objects.bulk_create(
            (
                TeamDimension(team=t, builtin=b, **b.texts(), position=b.position)
                for t in team_rows
                for b in builtins
            ),
            batch_size=batch,
        )
        CoachShare.objects.bulk_create(
            CoachShare(team=t, coach=many, include_notes=i % 4 != 0)
            for i, t in enumerate(team_rows)
        )
        CoachShare.objects.bulk_create(
            CoachShare(team=t, coach=few, include_notes=i % 4 != 0)
            for i, t in enumerate(team_rows[: max(1, teams // 10)])
        )
        round_rows = Round.objects.bulk_create(
            (
                Round(
                    team=t,
                    title=f"Round {r + 1}",
                    state=Round.State.CLOSED,
                    closed_at=now - timedelta(days=45 * (rounds - r)),
                )
                for t in team_rows
                for r in range(rounds)
            ),
            batch_size=batch,
        )
        dims = RoundDimension.objects.bulk_create(
            (
                RoundDimension(round=r, builtin=b, **b.texts(), position=b.position)
                for r in round_rows
                for b in builtins
            ),
            batch_size=batch,
        )
        dims_of: dict[int, list[RoundDimension]] = {}
        for d in dims:
            dims_of.setdefault(d.round_id, []).append(d)
        responses: list[Response] = []
        ratings: list[Rating] = []
        notes: list[Note] = []
        for r in round_rows:
            team_n, stakeholder_n = rng.randint(4, 8), rng.choice([0, 2, 3, 5])
            for i in range(team_n + stakeholder_n):
                perspective = "team" if i < team_n else "stakeholder"
                response = Response(
                    id=uuid.uuid4(),
                    round=r,
                    perspective=perspective,
                    checkin=rng.choice(
                        ["underperforming", "performing", "high-performing", ""]
                    )
                    if perspective == "team"
                    else "",
                )
                responses.append(response)
                for d in dims_of[r.pk]:
                    level = None if rng.random() < 0.05 else rng.randint(1, 3)
                    ratings.append(
                        Rating(
                            id=uuid.uuid4(), response=response, dimension=d, level=level
                        )
                    )
                for _ in range(rng.randint(0, 3)):
                    kind = rng.choice(list(PHRASES))
                    text, slug = rng.choice(PHRASES[kind])
                    text = f"{text} {rng.choice(FILLER)} {rng.choice(FILLER)}"
                    dim = None
                    if slug:
                        builtin = by_slug[slug]
                        dim = dims_of[r.pk][builtin.position - 1]
                    notes.append(
                        Note(
                            id=uuid.uuid4(),
                            response=response,
                            round=r,
                            kind=kind,
                            text=text,
                            dimension=dim,
                        )
                    )
        Response.objects.bulk_create(responses, batch_size=batch)
        Rating.objects.bulk_create(ratings, batch_size=batch)
        Note.objects.bulk_create(notes, batch_size=batch)
        # What answers_release keeps for each round it releases.
        ids = [r.pk for r in round_rows]
        for start in range(0, len(ids), 500):
            tallies.keep_for(ids[start : start + 500])
    print(
        f"Built {teams} teams, {len(round_rows)} rounds, {len(responses)} responses, "
        f"{len(ratings)} ratings, {len(notes)} notes.",
        file=sys.stderr,
    )


def measure(username: str, url: str, runs: int, cold: bool) -> tuple[float, float, int]:
    """Median seconds per request, median share in SQL, number of queries. Cold:
    the cache is emptied before each request."""
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(User.objects.get(username=username))
    assert client.get(url).status_code == 200  # warm-up
    times, sql_shares, queries = [], [], 0
    for _ in range(runs):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200
        sql = sum(float(q["time"]) for q in ctx.captured_queries)
        times.append(elapsed)
        sql_shares.append(sql / elapsed)
        queries = len(ctx.captured_queries)
    return statistics.median(times), statistics.median(sql_shares), queries


def main() -> None:
    args = parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        if not setup_django(args.database or Path(tmp) / "bench.sqlite3"):
            build(args.teams, args.rounds, rng)
        built = time.perf_counter() - started
        few = max(1, args.teams // 10)
        print(f"## Coach dashboard: {args.teams} teams x {args.rounds} rounds\n")
        print(f"- Machine: {machine()}")
        print(f"- Date: {time.strftime('%Y-%m-%d')}")
        print(
            f"- Command: `.venv/bin/python benchmarks/coach_dashboard.py "
            f"--teams {args.teams} --rounds {args.rounds} --runs {args.runs}`"
        )
        print(f"- Data built in {built:.0f} s; medians of {args.runs} requests.\n")
        from django.urls import reverse

        from teams.models import Team

        team_page = reverse("teams:detail", args=[Team.objects.order_by("pk")[0].code])
        simplest, _, q_simplest = measure("member", team_page, args.runs, False)
        print(
            f"Simplest page (a member's team page `/teams/<code>/`): "
            f"{simplest * 1000:.1f} ms, {q_simplest} queries.\n"
        )
        # The machine is shared: the simplest page is timed again just before each
        # row, and each row's ratio is to that time.
        print(
            f"| page | cache | {few} teams | {args.teams} teams | ratio | "
            f"simplest page just before | {args.teams} teams / simplest page | "
            f"SQL execute share ({args.teams}) | queries ({few} / {args.teams}) |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        pages = (
            ("dashboard", "/coach/"),
            ("dashboard, last page", "/coach/?page=last"),
            ("themes", "/coach/themes/"),
        )
        for name, url in pages:
            for cold in (True, False):
                t_few, _, q_few = measure("coach-few", url, args.runs, cold)
                base, _, _ = measure("member", team_page, args.runs, False)
                t_many, sql, q_many = measure("coach-many", url, args.runs, cold)
                print(
                    f"| {name} `{url}` | {'cold' if cold else 'warm'} "
                    f"| {t_few * 1000:.0f} ms | {t_many * 1000:.0f} ms "
                    f"| {t_many / t_few:.1f}x | {base * 1000:.1f} ms "
                    f"| {t_many / base:.1f}x | {sql:.0%} | {q_few} / {q_many} |"
                )


if __name__ == "__main__":
    main()
