"""Upgrading from the previous release keeps every answer (issue 25 item 2).

A database is built by the previous release itself (0.1.0, commit ``b18756d``,
taken out of this repository's history with ``git archive`` and run with the same
virtual environment): its ``migrate``, then its own services make teams, closed
rounds, an open round with answers and a reopened round with answers given after
the reopen. 0.1.0 sealed nothing, so "a held batch" has no counterpart there: the
answers given to a reopened round are plain rows it would have shown at the close.
Then this checkout's ``migrate`` runs on that file, more members and stakeholders
answer the open rounds, the rounds close, and every answer must be counted, and
the reports of the rounds closed under 0.1.0 must give the same figures as 0.1.0
gave them (their CSV, row for row).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.migrating import database_urls

PREVIOUS_RELEASE = "b18756d7c2d0aec925198627a8c4845b6d6ca3d4"  # v0.1.0
ROOT = Path(settings.BASE_DIR)


# Run by 0.1.0: teams, members, rounds and answers through its own services, then
# the CSV of each closed round as its report page offered it.
BUILD = r"""
import json, os, sys
import django
django.setup()
from django.contrib.auth.models import User
from django.test import Client
from assessments import services as s
from assessments.models import Round, TeamDimension
from teams import services as ts
from teams.models import Membership

def users(prefix, n):
    return [User.objects.create_user(f"{prefix}{i}", f"{prefix}{i}@example.com",
                                     "pw-0.1.0-test") for i in range(n)]

def team(name, people):
    t = ts.team_create(name=name, description="", creator=people[0])
    for u in people[1:]:
        Membership.objects.create(team=t, user=u, role=Membership.Role.MEMBER)
    return t

def answers(r, i):
    dims = list(r.dimensions.order_by("position"))
    return s.Answers(
        ratings=[s.RatingAnswer(dimension=d, level=1 + (i + k) % 3,
                                comment=f"c{i}-{k}" if k == 0 else "")
                 for k, d in enumerate(dims)],
        notes=[s.NoteAnswer(kind="keep", text=f"keep {i}")],
        checkin=["performing", "high-performing", "underperforming"][i % 3],
        checkin_reason=f"why {i}",
    )

def new_round(t, title):
    dims = list(TeamDimension.objects.filter(team=t).order_by("position")[:4])
    return s.round_create(team=t, title=title, dimensions=dims, closes_at=None,
                          min_responses=3)

def member_answers(r, people, start):
    for i, u in enumerate(people):
        s.member_response_submit(round=r, user=u, answers=answers(r, start + i))

def stakeholder_answers(r, n, start):
    for i in range(n):
        s.response_submit(round=r, perspective="stakeholder",
                          relationship=["Adjacent team", "Leadership"][i % 2],
                          answers=answers(r, start + i))

pay = users("pay", 6)
plat = users("plat", 5)
payments, platform = team("Payments", pay), team("Platform", plat)

q1 = new_round(payments, "Payments Q1")
s.round_open(round=q1)
member_answers(q1, pay[:4], 0)
stakeholder_answers(q1, 3, 10)
s.round_close(round=q1)

q2 = new_round(payments, "Payments Q2")
s.round_open(round=q2)
member_answers(q2, pay[:2], 20)
stakeholder_answers(q2, 1, 30)

p1 = new_round(platform, "Platform Q1")
s.round_open(round=p1)
member_answers(p1, plat[:3], 40)
s.round_close(round=p1)

p2 = new_round(platform, "Platform Q2")
s.round_open(round=p2)
member_answers(p2, plat[:3], 50)
s.round_close(round=p2)
s.round_open(round=p2)
member_answers(p2, plat[3:4], 60)

client = Client()
csvs = {}
for r, who in ((q1, pay[0]), (p1, plat[0])):
    client.force_login(who)
    response = client.get(f"/rounds/{r.code}/report/report.csv")
    csvs[str(r.code)] = response.content.decode()
json.dump({"csvs": csvs}, sys.stdout)
"""

# Run by this checkout after its migrate: the rest answer the rounds open across
# the upgrade, the rounds close, then what every round counts and the CSVs.
FINISH = r"""
import json, sys
import django
django.setup()
from django.contrib.auth.models import User
from django.test import Client
from assessments import services as s
from assessments.models import Round, SealedAnswer

def answers(r, i):
    dims = list(r.dimensions.order_by("position"))
    return s.Answers(
        ratings=[s.RatingAnswer(dimension=d, level=1 + (i + k) % 3)
                 for k, d in enumerate(dims)],
        notes=[s.NoteAnswer(kind="start", text=f"start {i}")],
        checkin="performing",
    )

q2 = Round.objects.get(title="Payments Q2")
p2 = Round.objects.get(title="Platform Q2")
s.member_response_submit(round=q2, user=User.objects.get(username="pay2"),
                         answers=answers(q2, 70))
for i in range(2):
    s.response_submit(round=q2, perspective="stakeholder", relationship="Leadership",
                      answers=answers(q2, 80 + i))
s.member_response_submit(round=p2, user=User.objects.get(username="plat4"),
                         answers=answers(p2, 90))
sealed_while_open = SealedAnswer.objects.count()
s.round_close(round=Round.objects.get(pk=q2.pk))
s.round_close(round=Round.objects.get(pk=p2.pk))

counts = {}
for r in Round.objects.all():
    counts[r.title] = {
        p: r.responses.filter(perspective=p).count() for p in ("team", "stakeholder")
    }
    counts[r.title]["sealed"] = r.sealed_answers.count()
    counts[r.title]["participations"] = r.participations.count()

client = Client()
csvs = {}
for r in Round.objects.all():
    client.force_login(r.team.memberships.order_by("pk").first().user)
    response = client.get(f"/rounds/{r.code}/report/report.csv")
    csvs[str(r.code)] = {"status": response.status_code,
                         "csv": response.content.decode()}
json.dump({"counts": counts, "sealed_while_open": sealed_while_open, "csvs": csvs},
          sys.stdout)
"""


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), *args],  # noqa: S607
        capture_output=True,
        check=False,
    )


def _previous_release(into: Path) -> Path:
    if shutil.which("git") is None or _git("rev-parse", "--git-dir").returncode:
        pytest.skip("no git history here: the upgrade test needs the 0.1.0 commit")
    if _git("cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}").returncode:
        pytest.skip(f"commit {PREVIOUS_RELEASE[:7]} (0.1.0) is not in this clone")
    archive = _git("archive", "--format=tar", PREVIOUS_RELEASE)
    assert archive.returncode == 0, archive.stderr.decode()
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    yield from database_urls(tmp_path)


def _run(code_dir: Path, database: str, *args: str) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST", "ANSWER_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database,
        "PYTHONPATH": str(code_dir),
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=code_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-6000:]
    return done.stdout


def _figures(text: str) -> list[list[str]]:
    # Today's CSV starts with a byte order mark (for spreadsheets); 0.1.0's did not.
    return sorted(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_an_upgrade_from_the_previous_release_counts_every_answer(
    tmp_path: Path, database: str
) -> None:
    old = _previous_release(tmp_path / "old")
    _run(old, database, "manage.py", "migrate", "--no-input", "--verbosity", "0")
    (tmp_path / "build.py").write_text(BUILD)
    before = json.loads(_run(old, database, str(tmp_path / "build.py")))

    _run(ROOT, database, "manage.py", "migrate", "--no-input", "--verbosity", "0")
    (tmp_path / "finish.py").write_text(FINISH)
    after = json.loads(_run(ROOT, database, str(tmp_path / "finish.py")))

    counts = after["counts"]
    # Open across the upgrade: nothing of it is released before it closes.
    assert after["sealed_while_open"] == 4
    assert counts["Payments Q2"] == {
        "team": 3,
        "stakeholder": 3,
        "sealed": 0,
        "participations": 3,
    }
    assert counts["Platform Q2"] == {
        "team": 5,
        "stakeholder": 0,
        "sealed": 0,
        "participations": 5,
    }
    assert counts["Payments Q1"] == {
        "team": 4,
        "stakeholder": 3,
        "sealed": 0,
        "participations": 4,
    }
    assert counts["Platform Q1"]["team"] == 3
    q2 = next(
        c["csv"]
        for c in after["csvs"].values()
        if "Payments Q2" in c["csv"] and c["status"] == 200
    )
    assert ["Payments Q2", "responses", "", "Team", "responses", "3"] in _figures(q2)
    for code, text in before["csvs"].items():
        assert after["csvs"][code]["status"] == 200
        assert _figures(after["csvs"][code]["csv"]) == _figures(text)
