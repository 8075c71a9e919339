"""Every report output of a database, one digest per URL, to compare two versions
of the code on the same data (docs/performance.md, "Output comparison").

    DATABASE_URL=sqlite:////tmp/copy.sqlite3 .venv/bin/python \\
        benchmarks/compare_outputs.py digests.txt bodies/

As each team's first member: the team overview, and each round's report page
and CSV; as cora: the coach dashboard (two pages) and the themes. The cache is
cleared before each request; CSRF tokens are blanked. Notes and comments are
shown in a fresh random order on each request, so compare those pages as
multisets of tags (``tr '>' '\\n' | sort``).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path
from typing import Any

import django

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def main(digests: Path, bodies: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.test import Client

    from assessments.models import Round
    from teams.models import Team

    settings.ALLOWED_HOSTS = ["*"]
    bodies.mkdir(parents=True, exist_ok=True)
    lines = []

    def get(client: Any, url: str, who: str) -> None:
        cache.clear()
        response = client.get(url)
        body = CSRF.sub(b"CSRF", response.content)
        digest = hashlib.sha256(body).hexdigest()[:16]
        lines.append(f"{who} {url} {response.status_code} {len(body)} {digest}\n")
        (bodies / re.sub(r"[^a-zA-Z0-9]+", "_", f"{who}{url}")).write_bytes(body)

    for team in Team.objects.order_by("name"):
        member = team.memberships.order_by("pk").first()
        if member is None:
            continue
        client = Client()
        client.force_login(member.user)
        who = member.user.username
        get(client, f"/teams/{team.code}/overview/", who)
        for round in Round.objects.filter(team=team).order_by("pk"):
            for suffix in ("report/", "report/report.csv"):
                get(client, f"/rounds/{round.code}/{suffix}", who)
    client = Client()
    client.force_login(User.objects.get(username="cora"))
    for url in ("/coach/", "/coach/?page=2", "/coach/themes/"):
        get(client, url, "cora")
    digests.write_text("".join(lines))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
