"""How much the answer form costs to open, next to the team page, in every language.

Builds a throw-away SQLite database with one team (six members, the twelve
dimensions, a carried action), an open round and its shared stakeholder link, then
measures in one run, in process, the CPU time per request (medians of ``--runs``
after one warm-up) and the size of:

- the team page (the simplest page a member sees) and the round page;
- the member's answer form (``/rounds/<code>/answer/``), signed in;
- the stakeholder's answer form (``/s/``), after following the link once;

in English, German, French and Spanish. The form's target is at most 2x the team
page's CPU (issue 27).

    .venv/bin/python benchmarks/form_page.py             # about a minute
    .venv/bin/python benchmarks/form_page.py --runs 41

Prints a Markdown section for docs/performance.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import machine, setup_django

LANGUAGES = ("en", "de", "fr", "es")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    return parser.parse_args()


def build() -> tuple[object, object, str]:
    """The team, its open round and the round's shared link token."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from assessments.services import (
        action_create,
        round_create,
        round_open,
        team_start,
    )
    from stakeholders.services import link_create
    from teams.models import Membership

    owner = User.objects.create_user("bench-facilitator")
    team = team_start(name="Bench", description="", creator=owner)
    for i in range(5):
        Membership.objects.create(
            team=team, user=User.objects.create_user(f"bench-member-{i}")
        )
    dims = list(team.dimensions.order_by("position"))  # type: ignore[attr-defined]
    earlier = round_create(
        team=team,
        title="Last quarter",
        dimensions=dims,
        closes_at=None,
        min_responses=3,
    )
    round_open(round=earlier)
    earlier.state = earlier.State.CLOSED
    earlier.closed_at = timezone.now()
    earlier.save()
    action_create(
        round=earlier,
        text="Pair on every release",
        dimension=earlier.dimensions.first(),
    )
    round = round_create(
        team=team,
        title="This quarter",
        dimensions=dims,
        closes_at=None,
        min_responses=3,
    )
    round_open(round=round)
    _link, token = link_create(round=round)
    return team, round, token


def median_cpu(fn: Callable[[], int], runs: int) -> tuple[float, int]:
    size = fn()  # warm-up: caches, templates, the catalog
    cpus = []
    for _ in range(runs):
        cpu = time.process_time()
        size = fn()
        cpus.append(time.process_time() - cpu)
    return statistics.median(cpus), size


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.contrib.auth.models import User
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        team, round, token = build()
        member = Client()
        member.force_login(User.objects.get(username="bench-member-0"))
        outsider = Client()
        followed = outsider.get(f"/s/{token}/")
        assert followed.status_code in (302, 303), followed.status_code

        pages = {
            "team page (the simplest)": (
                member,
                reverse("teams:detail", args=[team.code]),
            ),  # type: ignore[attr-defined]
            "round page": (member, round.get_absolute_url()),  # type: ignore[attr-defined]
            "member's answer form": (
                member,
                reverse("assessments:answer", args=[round.code]),  # type: ignore[attr-defined]
            ),
            "stakeholder's answer form": (outsider, reverse("stakeholders:answer")),
        }
        print("## The answer form's cost (issue 27)\n")
        print(f"- Machine: {machine()}")
        print(f"- Date: {time.strftime('%Y-%m-%d')}")
        with open("/proc/loadavg") as load:
            print(f"- Load at start: {load.read().split()[0]}")
        print(
            f"- Command: `.venv/bin/python benchmarks/form_page.py --runs {args.runs}`"
        )
        print(
            f"- In process (Django's test client), CPU time per request, medians of "
            f"{args.runs} runs after one warm-up; one team of six, twelve dimensions, "
            "one carried action.\n"
        )
        print("| language | page | CPU per request | x team page | size | queries |")
        print("|---|---|---:|---:|---:|---:|")
        worst = 0.0
        for language in LANGUAGES:
            base = 0.0
            for label, (client, url) in pages.items():
                client.cookies["django_language"] = language

                def get(
                    client: Client = client, url: str = url, language: str = language
                ) -> int:
                    response = client.get(url, headers={"accept-language": language})
                    assert response.status_code == 200, (url, response.status_code)
                    return len(response.content)

                cpu, size = median_cpu(get, args.runs)
                with CaptureQueriesContext(connection) as ctx:
                    get()
                base = base or cpu
                ratio = cpu / base
                if "form" in label:
                    worst = max(worst, ratio)
                print(
                    f"| {language} | {label} | {cpu * 1000:.1f} ms | {ratio:.2f}x "
                    f"| {size / 1024:.0f} KB | {len(ctx.captured_queries)} |"
                )
        print(f"\nWorst form page: {worst:.2f}x the team page (target: at most 2x).")


if __name__ == "__main__":
    main()
