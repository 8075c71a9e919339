"""How fast the PDF report is: a round of 100 and of 1,000 answers, through the view.

Builds a throw-away SQLite database with the data of ``report_speed.py`` (one team,
twelve dimensions, 70% team and 30% stakeholder answers, notes on 30% of them,
comments on 2% of the ratings) for rounds of 100 and 1,000 answers, then times
``GET /rounds/<code>/report/report.pdf`` three ways: a repeat download (the PDF
cached for this version of the round, ``reports.views.pdf_bytes``), a first download
of this version with the radar chart cached (as after anyone opened the report
page), and a first download with the whole cache emptied; and counts the pages.

    .venv/bin/python benchmarks/pdf_speed.py --runs 7

Prints a Markdown section for docs/performance.md (medians of ``--runs``).
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
import zlib
from pathlib import Path

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
    args = parser.parse_args()
    report_speed.SIZES = SIZES
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        _team, rounds = report_speed.build(random.Random(5))
        from django.contrib.auth.models import User
        from django.core.cache import cache
        from django.test import Client
        from django.urls import reverse

        from reports import views

        client = Client()
        client.force_login(User.objects.get(username="bench-member-0"))
        print("## PDF report (issue 16)\n")
        print(f"- Machine: {machine()}")
        print(f"- Date: {time.strftime('%Y-%m-%d')}")
        print(
            f"- Command: `.venv/bin/python benchmarks/pdf_speed.py --runs {args.runs}`"
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
            )
            for label, clear in modes:

                def get(clear: str = clear, url: str = url) -> bytes:
                    if clear == "all":
                        cache.clear()
                    elif clear == "pdf":  # a new key: this PDF was never made
                        views.PDF_LAYOUT += 1
                    response = client.get(url)
                    assert response.status_code == 200
                    return response.content

                data = get()
                t = report_speed.median_time(get, args.runs)
                print(
                    f"| {size:,} answers | {label} | {t * 1000:.0f} ms "
                    f"| {pages(data)} | {len(data) / 1024:.0f} KB |"
                )
        print()


if __name__ == "__main__":
    main()
