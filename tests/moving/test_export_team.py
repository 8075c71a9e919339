"""``manage.py export_team``: everything the team owns, released answers only as
counts and unlinked texts, and only what its report can show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from assessments.models import Round, SourceFigure
from assessments.selectors import round_sources
from moving.archive import team_archive
from teams.models import Team
from tests.factories import add_response, make_round


def test_it_writes_the_archive(moving_team: Team, tmp_path: Path) -> None:
    path = tmp_path / "team.json"
    call_command("export_team", str(moving_team.code), str(path))

    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("team-mirror-team", 1)
    assert [m["email"] for m in data["members"]][:2] == [
        "alice@example.com",
        "bob@example.com",
    ]
    assert [r["title"] for r in data["rounds"]] == ["Q1 retro", "Q2 retro", "Next"]
    assert data["activity"]
    assert data["dimensions"][0]["level_3"] == "We say it as it is"


def test_it_carries_counts_never_one_record_per_answer(moving_team: Team) -> None:
    q2 = team_archive(moving_team)["rounds"][1]
    assert sum(r["count"] for r in q2["responses"]) == 7
    for row in q2["responses"] + q2["ratings"]:
        assert set(row) <= {
            "perspective",
            "relationship",
            "checkin",
            "release",
            "dimension",
            "level",
            "count",
        }
    # No channel or invitation per answer: the channels are counts per round.
    assert {(c["perspective"], c["channel"], c["count"]) for c in q2["channels"]} == {
        ("team", "member", 4),
        ("stakeholder", "link", 3),
    }
    assert "user" not in json.dumps(q2)


def test_it_leaves_relationship_groups_too_small_to_show_unnamed(
    moving_team: Team,
) -> None:
    # Customer (2) and Leadership (1) are below the minimum: never shown alone.
    q2 = team_archive(moving_team)["rounds"][1]
    text = json.dumps(q2)
    assert "Customer" not in text
    assert "Leadership" not in text
    stakeholders = [r for r in q2["responses"] if r["perspective"] == "stakeholder"]
    assert sum(r["count"] for r in stakeholders) == 3


def test_it_leaves_answers_below_the_minimum_behind(team: Team) -> None:
    round = make_round(team, title="Small", state=Round.State.CLOSED, dimensions=2)
    for _ in range(3):
        add_response(round, [2, 2])
    for _ in range(2):
        add_response(round, [1, 1], perspective="stakeholder", notes=[("stop", "X")])

    data = team_archive(team)["rounds"][0]
    assert {r["perspective"] for r in data["responses"] + data["ratings"]} == {"team"}
    assert data["notes"] == []


def test_it_leaves_reasons_behind_where_the_checkins_are_hidden(team: Team) -> None:
    round = make_round(team, title="Quiet", state=Round.State.CLOSED, dimensions=1)
    add_response(round, [2], checkin="performing", checkin_reason="We ship a lot")
    for _ in range(2):
        add_response(round, [2])

    data = team_archive(team)["rounds"][0]
    assert sum(r["count"] for r in data["responses"]) == 3
    assert data["checkin_reasons"] == []


def test_it_leaves_channel_counts_behind_where_the_round_page_hides_them(
    team: Team,
) -> None:
    # A round open across the upgrade that began counting channels: three
    # stakeholder answers released before (counted by no channel), two by the
    # shared link after. The round page hides the split (2 is below the minimum,
    # ``disclosure.sources_shown``), so the archive must not carry it either.
    round = make_round(team, title="Across", state=Round.State.CLOSED, dimensions=1)
    for _ in range(3):
        add_response(round, [2])
    for _ in range(5):
        add_response(round, [2], perspective="stakeholder")
    first = SourceFigure.objects.filter(round=round).order_by("pk")[:3]
    SourceFigure.objects.filter(pk__in=[f.pk for f in first]).delete()
    assert not round_sources(round).stakeholders_shown

    data = team_archive(team)["rounds"][0]
    assert {(c["perspective"], c["channel"]) for c in data["channels"]} == {
        ("team", "member")
    }
    assert sum(r["count"] for r in data["responses"]) == 8


def test_it_carries_no_batch_the_report_leaves_out(team: Team, tmp_path: Path) -> None:
    # Reopened, a batch of three came in: one rated the first dimension (the
    # others said "don't know") and one gave a check-in. The report leaves that
    # batch out of both (``reports.frozen``): in the file, its count of one would
    # be that person's level and check-in.
    round = make_round(team, title="Again", state=Round.State.CLOSED, dimensions=2)
    for _ in range(5):
        add_response(round, [2, 2], checkin="performing")
    add_response(round, [3, 1], checkin="high_performing", release=2)
    for _ in range(2):
        add_response(round, [None, 1], release=2)
    Round.objects.filter(pk=round.pk).update(releases=2)
    first = str(round.dimensions.order_by("position")[0].code)
    csv = f"/rounds/{round.code}/report/report.csv"
    client = Client()
    client.force_login(User.objects.get(username="alice"))
    before = client.get(csv).content

    data = team_archive(team)
    rows = data["rounds"][0]
    assert not [
        r
        for r in rows["ratings"] + rows["pooled_levels"]
        if r["dimension"] == first and r["release"] == 2
    ]
    assert {r["checkin"] for r in rows["responses"] if r["release"] == 2} == {""}
    assert sum(r["count"] for r in rows["responses"]) == 8
    # Moved, the report reads the same.
    team.delete()
    path = tmp_path / "team.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("import_team", str(path))
    assert client.get(csv).content == before


def test_it_refuses_while_a_round_is_open(team: Team, tmp_path: Path) -> None:
    make_round(team, title="Now", state=Round.State.OPEN)
    with pytest.raises(CommandError, match="The round Now is open"):
        call_command("export_team", str(team.code), str(tmp_path / "team.json"))
    assert not (tmp_path / "team.json").exists()


def test_it_refuses_an_unknown_code(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No team has the code"):
        call_command("export_team", "not-a-code", str(tmp_path / "team.json"))
