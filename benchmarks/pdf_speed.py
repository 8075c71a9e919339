"""How fast the PDF report is: a round of 100 and of 1,000 answers, through the view.

Builds a throw-away SQLite database with the data of ``report_speed.py`` (one team,
twelve dimensions, 70% team and 30% stakeholder answers, notes on 30% of them,
comments on 2% of the ratings) for rounds of 100 and 1,000 answers, then times
``GET /rounds/<code>/report/report.pdf`` three ways: a repeat download (the PDF
cached for this version of the round, ``reports.views.pdf_bytes``), a first download
of this version with the radar chart cached (as after anyone opened the report
page), a first download with the whole cache emptied, the release task that lays
the PDF out in ``db_worker`` (``reports.tasks.prerender_round_pdf``, cache emptied)
and the first download after it, the first download of the version after a new
action once the task laid it out (what ``post_save`` of the action queues), and a
sharing coach's first download after the task (the task lays out every view: the
members' and the coach's); and counts the pages.

With ``--baseline TEMPLATE`` (a print template saved from an earlier commit, e.g.
``git show 0240db2~1:templates/reports/print.html > /tmp/print-before.html``) it
also lays the same report out with that template and with today's, alternately in
the same run, without the view: the ratio is the template's doing.

    .venv/bin/python benchmarks/pdf_speed.py --runs 7 [--baseline /tmp/before.html]

Prints a Markdown section for docs/performance.md (medians of ``--runs``) with the
load average before and after.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import report_speed
from _common import machine, setup_django

SIZES = (100, 1_000)


def pages(data: bytes) -> int:
    parts = [data]
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:  # a binary stream may happen to start with "x"
            parts.append(zlib.decompress(raw))
        except zlib.error:
            continue
    return len(re.findall(rb"/MediaBox", b"".join(parts)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", type=Path, default=None)
    args = parser.parse_args()
    report_speed.SIZES = SIZES
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        team, rounds = report_speed.build(random.Random(5))
        from django.contrib.auth.models import User
        from django.core.cache import cache
        from django.test import Client
        from django.urls import reverse

        from assessments.models import Action
        from reports import views
        from reports.tasks import prerender_round_pdf
        from teams.models import CoachShare

        load_before = os.getloadavg()
        client = Client()
        client.force_login(User.objects.get(username="bench-member-0"))
        coach_user = User.objects.create_user("bench-coach")
        CoachShare.objects.create(team=team, coach=coach_user, include_notes=True)
        coach = Client()
        coach.force_login(coach_user)
        print("## PDF report (issue 16)\n")
        print(f"- Machine: {machine()}")
        print(f"- Date: {time.strftime('%Y-%m-%d')}")
        baseline = f" --baseline {args.baseline}" if args.baseline else ""
        print(
            "- Command: `.venv/bin/python benchmarks/pdf_speed.py "
            f"--runs {args.runs}{baseline}`"
        )
        print(f"- Medians of {args.runs} requests after one warm-up.\n")
        print("| round | download | median | pages | size |")
        print("|---|---|---:|---:|---:|")
        for size in SIZES:
            code = rounds[size].code  # type: ignore[attr-defined]
            url = reverse("reports:pdf", args=[code])
            modes = (
                ("repeat (PDF cached)", "none"),
                ("first, chart cached", "pdf"),
                ("first, cache emptied", "all"),
                ("release task (db_worker), cache emptied: member + coach", "task"),
                ("first, after the release task", "after-task"),
                ("first after a new action, the task done", "action"),
                ("coach's first, after the task", "coach"),
            )
            for label, clear in modes:

                def get(
                    clear: str = clear,
                    url: str = url,
                    code: str = code,
                    bench_round: Any = rounds[size],
                ) -> bytes:
                    if clear == "action":  # a new version: the task lays it out
                        Action.objects.filter(round=bench_round).delete()
                        dimension = bench_round.dimensions.order_by("position")[0]
                        Action.objects.create(
                            team=team,
                            round=bench_round,
                            dimension=dimension,
                            team_dimension_id=dimension.team_dimension_id,
                            text=f"Pair on every bug ({time.perf_counter()})",
                        )
                        prerender_round_pdf.call(round=str(code))
                        return b""
                    if clear == "coach":  # a new version of every view, laid out
                        views.PDF_LAYOUT += 1
                        prerender_round_pdf.call(round=str(code))
                        return b""
                    if clear == "task":  # the worker's part alone
                        cache.clear()
                        prerender_round_pdf.call(round=str(code))
                        return b""
                    if clear in ("all", "after-task"):
                        cache.clear()
                    elif clear == "pdf":  # a new key: this PDF was never made
                        views.PDF_LAYOUT += 1
                    if clear == "after-task":  # untimed below: the worker's part
                        prerender_round_pdf.call(round=str(code))
                    response = client.get(url)
                    assert response.status_code == 200
                    return response.content

                data = get()
                if clear in ("after-task", "action"):
                    t = median_download_after_task(get, url, client, args.runs)
                elif clear == "coach":
                    t = median_download_after_task(get, url, coach, args.runs)
                    data = coach.get(url).content
                else:
                    t = report_speed.median_time(get, args.runs)
                if clear in ("task", "action"):  # the PDF it made: pages, size
                    data = client.get(url).content
                print(
                    f"| {size:,} answers | {label} | {t * 1000:.0f} ms "
                    f"| {pages(data)} | {len(data) / 1024:.0f} KB |"
                )
        if args.baseline is not None:
            template_comparison(rounds[1_000], args.baseline, args.runs)
        load_after = os.getloadavg()
        print(
            f"\nLoad average (1, 5, 15 min) before: "
            f"{', '.join(f'{x:.2f}' for x in load_before)}; after: "
            f"{', '.join(f'{x:.2f}' for x in load_after)}.\n"
        )


def median_download_after_task(
    prepare: Callable[[], bytes], url: str, client: Any, runs: int
) -> float:
    """The download alone, each time after the task laid the PDF out."""
    import statistics

    times = []
    for _ in range(runs):
        prepare()  # empties the cache, runs the task (and one untimed download)
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def template_comparison(round: Any, baseline: Path, runs: int) -> None:
    """The same report laid out with an earlier print template and today's,
    alternately: HTML, layout and PDF/UA writing, no view, no cache."""
    import statistics

    from django.template import engines

    from reports import pdf
    from reports.assembly import build_round_report
    from reports.selectors import team_rounds
    from reports.views import radar_bytes

    report = build_round_report(round, rounds=team_rounds(round.team), show_notes=True)
    radar = radar_bytes(report, "svg")
    before = engines["django"].from_string(baseline.read_text())

    def lay_out(template: Any) -> tuple[float, int]:
        start = time.perf_counter()
        if template is None:
            html = pdf.print_html(report, radar)
        else:
            html = template.render(pdf.print_context(report, radar))
        document = pdf.document(html)
        document.write_pdf(pdf_variant=pdf.PDF_VARIANT)
        return time.perf_counter() - start, len(document.pages)

    lay_out(before), lay_out(None)  # warm-up
    times: dict[str, list[float]] = {"before": [], "now": []}
    pages = {}
    for _ in range(runs):
        for name, template in (("before", before), ("now", None)):
            t, pages[name] = lay_out(template)
            times[name].append(t)
    b, n = statistics.median(times["before"]), statistics.median(times["now"])
    print(f"\nLaid out without the view, 1,000 answers, alternately ({runs} each):\n")
    print("| print template | median | pages |")
    print("|---|---:|---:|")
    print(f"| `{baseline.name}` (baseline) | {b * 1000:.0f} ms | {pages['before']} |")
    print(f"| today's | {n * 1000:.0f} ms | {pages['now']} |")
    print(f"\nToday's takes {n / b:.2f}x the baseline's time.")


if __name__ == "__main__":
    main()
