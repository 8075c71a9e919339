"""The other server of the round-trip test (``test_round_trip.py``), run in its own
process against a fresh database (``DATABASE_URL``), already migrated:

    python tests/moving/target.py ARCHIVE OUTPUT

Signs alice and bob up (addresses verified), imports the archive with
``import_team`` and writes, as JSON to OUTPUT, every round's report CSVs as alice
downloads them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from assessments.models import Round  # noqa: E402


def main(archive: str, output: str) -> None:
    users = {}
    for name in ("alice", "bob"):
        user = User.objects.create_user(name, f"{name}@example.com", "password")
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
        users[name] = user
    call_command("import_team", archive)
    client = Client()
    client.force_login(users["alice"])
    result = {}
    for round in Round.objects.filter(state=Round.State.CLOSED):
        result[str(round.code)] = {
            name: client.get(f"/rounds/{round.code}/report/{name}").content.decode()
            for name in ("report.csv", "notes.csv")
        }
    Path(output).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
