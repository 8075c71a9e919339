"""How fast the team report is: aggregation, page latency, memory of chart renders.

Builds a throw-away SQLite database with one team (six members, the twelve
dimensions) and four closed rounds of 10, 100, 1,000 and 10,000 answers (70% team,
30% stakeholders in three relationship groups, 5% "don't know", some notes and
comments), then measures in one run:

1. aggregation: ``reports.assembly.figures_for_rounds`` for one round of each size
   (three GROUP BY queries plus pandas), and the pandas part alone over one row per
   single answer; it must grow no faster than the number of answers;
2. latency of the report page with its radar chart cached and uncached, next to
   the team's simplest page (the team page) in the same run;
3. the process's resident memory after 500 renders of the radar chart through
   the view.

    .venv/bin/python benchmarks/report_speed.py            # about two minutes
    .venv/bin/python benchmarks/report_speed.py --runs 11 --renders 1000

Prints a Markdown section for docs/performance.md (medians of ``--runs``).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from _common import machine, setup_django

SIZES = (10, 100, 1_000, 10_000)
RELATIONSHIPS = ("Product / business", "Adjacent team", "Leadership")
NOTES = ("Pairing on hard bugs", "Friday deploys", "Writing ADRs", "Demo every sprint")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--renders", type=int, default=500)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--database",
        type=Path,
        help="keep the database in this file, and reuse it if it exists",
    )
    parser.add_argument(
        "--parts",
        default="aggregation,latency,memory",
        help="comma-separated: aggregation, latency, memory",
    )
    return parser.parse_args()


def existing() -> tuple[object, dict[int, object]]:
    from assessments.models import Round
    from teams.models import Team

    team = Team.objects.get(name="Bench")
    rounds = {
        size: Round.objects.get(team=team, title=f"{size} answers") for size in SIZES
    }
    return team, rounds


def build(rng: random.Random) -> tuple[object, dict[int, object]]:
    """The team and its rounds by number of answers, oldest (smallest) first."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from assessments.models import Note, Rating, Response, Round, RoundDimension
    from assessments.services import team_start
    from teams.models import Membership

    with transaction.atomic():
        owner = User.objects.create_user("bench-facilitator")
        team = team_start(name="Bench", description="", creator=owner)
        for i in range(5):
            Membership.objects.create(
                team=team, user=User.objects.create_user(f"bench-member-{i}")
            )
        rounds = {}
        for size in SIZES:
            round = Round.objects.create(
                team=team,
                title=f"{size} answers",
                state=Round.State.CLOSED,
                closed_at=timezone.now(),
            )
            dims = RoundDimension.snapshot(round, team.dimensions.order_by("position"))
            responses, ratings, notes = [], [], []
            for i in range(size):
                stakeholder = i % 10 >= 7
                response = Response(
                    id=uuid.uuid4(),
                    round=round,
                    perspective="stakeholder" if stakeholder else "team",
                    relationship=RELATIONSHIPS[i % 3] if stakeholder else "",
                    checkin=rng.choice(
                        ["underperforming", "performing", "high-performing"]
                    ),
                )
                responses.append(response)
                for d in dims:
                    level = None if rng.random() < 0.05 else rng.randint(1, 3)
                    comment = "A short comment" if rng.random() < 0.02 else ""
                    ratings.append(
                        Rating(
                            id=uuid.uuid4(),
                            response=response,
                            dimension=d,
                            level=level,
                            comment=comment,
                        )
                    )
                if rng.random() < 0.3:
                    notes.append(
                        Note(
                            id=uuid.uuid4(),
                            response=response,
                            round=round,
                            kind=rng.choice(["keep", "stop", "start"]),
                            text=f"{rng.choice(NOTES)} {rng.randint(1, 50)}",
                            dimension=rng.choice([None, *dims]),
                        )
                    )
            Response.objects.bulk_create(responses, batch_size=2000)
            Rating.objects.bulk_create(ratings, batch_size=2000)
            Note.objects.bulk_create(notes, batch_size=2000)
            round.bump_data_version()
            rounds[size] = round
    return team, rounds


def median_time(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_times(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Medians of the wall-clock and of this process's CPU time (the test client
    runs the request in this process, SQLite included): on a shared machine the
    CPU time is the steadier of the two."""
    fn()  # warm-up
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls), statistics.median(cpus)


def aggregation(rounds: dict[int, object], runs: int) -> None:
    import pandas as pd

    from assessments.models import Rating, Response
    from reports import figures
    from reports.assembly import figures_for_rounds
    from reports.selectors import (
        fetch_dimension_rows,
        fetch_rating_rows,
        fetch_response_rows,
    )

    print("### Aggregation\n")
    print(
        "| answers | ratings | SQL: 3 GROUP BY queries | pandas on their rows "
        "| total | ratio to 10x fewer | pandas alone, one row per answer "
        "| ratio to 10x fewer |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    before: tuple[float, float] | None = None
    bares: list[tuple[int, int, float, float]] = []
    for size, round in rounds.items():
        ids = [round.pk]  # type: ignore[attr-defined]
        fetched = {}

        def fetch(ids=ids, fetched=fetched) -> None:
            fetched["responses"] = fetch_response_rows(ids)
            fetched["ratings"] = fetch_rating_rows(ids)
            fetched["dimensions"] = fetch_dimension_rows(ids)

        def compute(fetched=fetched, round=round) -> None:
            figures.compute(
                dimensions=fetched["dimensions"],
                ratings=fetched["ratings"],
                responses=fetched["responses"],
                minimums={round.pk: round.min_responses},  # type: ignore[attr-defined]
            )

        def bare_groupby(fetched=fetched) -> None:
            # The baseline of issue 13: one plain pandas groupby of the same rows.
            fetched["ratings"].groupby(
                ["round_id", "dimension_id", "perspective", "relationship", "level"],
                dropna=False,
            )["n"].sum()

        sql = median_time(fetch, runs)
        grouped = median_time(compute, runs)
        bare = median_time(bare_groupby, runs)
        bares.append((size, len(fetched["ratings"]), grouped, bare))
        total = median_time(lambda r=round: figures_for_rounds([r]), runs)
        rows = figures.frame(
            list(
                Rating.objects.filter(dimension__round=round).values_list(
                    "dimension__round_id",
                    "dimension_id",
                    "response__perspective",
                    "response__relationship",
                    "level",
                )
            ),
            ["round_id", "dimension_id", "perspective", "relationship", "level"],
            single_answers=True,
        )
        answers = figures.frame(
            list(
                Response.objects.filter(round=round).values_list(
                    "round_id", "perspective", "relationship", "checkin"
                )
            ),
            ["round_id", "perspective", "relationship", "checkin"],
            single_answers=True,
        )
        minimums = {round.pk: round.min_responses}  # type: ignore[attr-defined]

        def pandas_only(rows=rows, answers=answers, minimums=minimums) -> None:
            figures.compute(
                dimensions=pd.DataFrame({"dimension_id": [], "key": []}),
                ratings=rows,
                responses=answers,
                minimums=minimums,
            )

        alone = median_time(pandas_only, runs)
        ratios = (
            (f"{total / before[0]:.1f}x", f"{alone / before[1]:.1f}x")
            if before
            else ("", "")
        )
        print(
            f"| {size:,} | {len(rows):,} | {sql * 1000:.1f} ms "
            f"| {grouped * 1000:.1f} ms | {total * 1000:.1f} ms | {ratios[0]} "
            f"| {alone * 1000:.1f} ms | {ratios[1]} |"
        )
        before = (total, alone)
    print()
    print(
        "Aggregation (`figures.compute` on the grouped rows) against a bare pandas "
        "groupby of the same rows:\n"
    )
    print("| answers | grouped rows | aggregation | bare groupby | ratio |")
    print("|---:|---:|---:|---:|---:|")
    for size, count, grouped, bare in bares:
        print(
            f"| {size:,} | {count} | {grouped * 1000:.2f} ms | {bare * 1000:.2f} ms "
            f"| {grouped / bare:.1f}x |"
        )
    print()


def latency(team: object, rounds: dict[int, object], runs: int) -> None:
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(User.objects.get(username="bench-member-0"))

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            get(url)
        return len(ctx.captured_queries)

    print("### Page latency\n")
    print("| request | median | CPU | queries |")
    print("|---|---:|---:|---:|")
    team_page = reverse("teams:detail", args=[team.code])  # type: ignore[attr-defined]
    simplest, simplest_cpu = median_times(lambda: get(team_page), runs)
    print(
        f"| team page (the simplest) | {simplest * 1000:.1f} ms "
        f"| {simplest_cpu * 1000:.1f} ms | {queries(team_page)} |"
    )

    def row(label: str, fn: Callable[[], object], url: str | None) -> None:
        t, cpu = median_times(fn, runs)
        count = queries(url) if url else ""
        print(
            f"| {label} | {t * 1000:.1f} ms ({t / simplest:.1f}x the team page) "
            f"| {cpu * 1000:.1f} ms ({cpu / simplest_cpu:.1f}x) | {count} |"
        )

    for size in (10, 1_000):
        code = rounds[size].code  # type: ignore[attr-defined]
        page = reverse("reports:round", args=[code])
        chart = reverse("reports:radar_svg", args=[code])

        def uncached(page: str = page, chart: str = chart) -> None:
            cache.clear()
            get(page)
            get(chart)

        def cached(page: str = page, chart: str = chart) -> None:
            get(page)
            get(chart)

        rows = [
            ("report page, HTML only", lambda page=page: get(page), page),
            ("radar chart (SVG), cached", lambda chart=chart: get(chart), chart),
            (
                "radar chart (SVG), uncached",
                lambda chart=chart: (cache.clear(), get(chart)),
                chart,
            ),
            ("report page + chart, cached", cached, None),
            ("report page + chart, uncached", uncached, None),
        ]
        for label, fn, url in rows:
            row(f"{label}, round of {size:,} answers", fn, url)
    overview = reverse("reports:team", args=[team.code])  # type: ignore[attr-defined]
    row("team overview (4 rounds, charts cached)", lambda: get(overview), overview)
    print()


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def memory(rounds: dict[int, object], renders: int) -> None:
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(User.objects.get(username="bench-member-0"))
    chart = reverse("reports:radar_svg", args=[rounds[100].code])  # type: ignore[attr-defined]
    samples = {}
    start = time.perf_counter()
    for i in range(1, renders + 1):
        cache.clear()  # every request renders the chart again
        assert client.get(chart).status_code == 200
        if i == 50 or i % 100 == 0 or i == renders:
            gc.collect()
            samples[i] = rss_mb()
    elapsed = time.perf_counter() - start
    print("### Memory\n")
    print(
        f"Resident memory of the process while the radar chart is rendered {renders} "
        f"times through the view (cache emptied before each; "
        f"{elapsed / renders * 1000:.0f} ms per request):\n"
    )
    print("| after renders | RSS |")
    print("|---:|---:|")
    for i, mb in samples.items():
        print(f"| {i} | {mb:.1f} MB |")
    growth = samples[renders] - samples[50]
    print(f"\nGrowth from render 50 to render {renders}: {growth:+.1f} MB.\n")


def main() -> None:
    args = parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        reused = setup_django(args.database or Path(tmp) / "bench.sqlite3")
        team, rounds = existing() if reused else build(rng)
        built = time.perf_counter() - started
        print("## Report aggregation and charts (issue 5)\n")
        print(f"- Machine: {machine()}")
        print(f"- Date: {time.strftime('%Y-%m-%d')}")
        print(
            f"- Command: `.venv/bin/python benchmarks/report_speed.py "
            f"--runs {args.runs} --renders {args.renders}`"
        )
        how = f"reused from {args.database}" if reused else f"built in {built:.0f} s"
        print(
            f"- Data (one team, rounds of {', '.join(f'{s:,}' for s in SIZES)} "
            f"answers on 12 dimensions) {how}; medians of {args.runs} runs after "
            f"one warm-up.\n"
        )
        parts = args.parts.split(",")
        if "aggregation" in parts:
            aggregation(rounds, args.runs)
        if "latency" in parts:
            latency(team, rounds, args.runs)
        if "memory" in parts:
            memory(rounds, args.renders)
        print(f"Whole run: {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
