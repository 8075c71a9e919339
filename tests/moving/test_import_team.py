"""``manage.py import_team``: the team as it was, people only by proven address,
and a bad file changes nothing."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from assessments import selectors
from assessments.models import (
    Action,
    Note,
    NoteTheme,
    Rating,
    Response,
    Round,
    RoundMetric,
    TeamDimension,
)
from moving.archive import team_archive
from retro.models import RetroSession, VoteCount
from teams.models import ActivityEntry, Invitation, Membership, Team


def _counts() -> dict[str, int]:
    models = (Team, Round, Response, Rating, Note, Membership, Invitation, Action)
    return {m.__name__: m.objects.count() for m in models}


def _moved(team: Team) -> dict[str, Any]:
    """The team's archive, with the team gone from this server (as on another)."""
    data = team_archive(team)
    team.delete()
    return data


def _write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "team.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_it_creates_the_team_as_it_was(moving_team: Team, tmp_path: Path) -> None:
    code = moving_team.code
    path = _write(tmp_path, _moved(moving_team))

    call_command("import_team", path)

    team = Team.objects.get(code=code)
    assert team.name == "Alpha"
    assert TeamDimension.objects.get(team=team, position=1).name == (
        "Talking to each other"
    )
    assert TeamDimension.objects.get(team=team, name="Fun").archived
    assert list(team.rounds.order_by("created").values_list("title", "state")) == [
        ("Q1 retro", "closed"),
        ("Q2 retro", "closed"),
        ("Next", "draft"),
    ]
    q2 = team.rounds.get(title="Q2 retro")
    assert Response.objects.filter(round=q2).count() == 7
    assert NoteTheme.objects.get(round=q2).label == "Ways of working"
    assert NoteTheme.objects.get(round=q2).notes.count() == 1
    assert RoundMetric.objects.get(round=q2).value == pytest.approx(3.25)
    retro = RetroSession.objects.get(round=q2)
    assert retro.voters == 3
    assert list(VoteCount.objects.filter(session=retro).values_list("count")) == [(3,)]
    assert (retro.roti, retro.roti_voters) == ("closed", 3)
    assert list(retro.roti_counts.values_list("score", "count")) == [
        (1, 0),
        (2, 0),
        (3, 0),
        (4, 2),
        (5, 1),
    ]
    action = Action.objects.get(team=team)
    assert action.text == "Pair on every bug"
    assert action.owner is not None
    assert action.owner.user.username == "bob"
    assert team.schedule.every_weeks == 6
    # "n of m answered" and the comparison withheld, as on the old server.
    q1 = team.rounds.get(title="Q1 retro")
    turnout = selectors.turnout(q2, compared_with=q1)
    assert (turnout.answered, turnout.eligible) == (4, 5)
    assert (turnout.only_this, turnout.only_other) == (1, 1)
    client = Client()
    client.force_login(User.objects.get(username="alice"))
    page = client.get(f"/rounds/{q2.code}/report/").content.decode()
    assert "2 members answered only one of the two rounds" in page
    assert "4 of 5 members answered" in page
    assert team.stakeholder_groups.count() == 4


def test_it_adds_only_verified_addresses_and_invites_the_others(
    moving_team: Team, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    code = moving_team.code
    data = _moved(moving_team)
    data["members"].append(
        {"email": "nobody@example.org", "role": "member", "joined": None}
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_team", _write(tmp_path, data))

    team = Team.objects.get(code=code)
    roles = dict(team.memberships.values_list("user__username", "role"))
    assert roles == {
        "alice": "facilitator",
        "bob": "member",
        "dan": "member",
        "erin": "member",
        "frank": "member",
    }
    assert list(team.invitations.values_list("label", flat=True)) == [
        "nobody@example.org"
    ]
    assert [m.to for m in mail.outbox] == [["nobody@example.org"]]
    entry = ActivityEntry.objects.for_team(team).first()
    assert entry is not None
    assert entry.action == "team_moved"
    assert "nobody@example.org" in entry.summary()


def test_it_keeps_the_activity_log(moving_team: Team, tmp_path: Path) -> None:
    before = list(
        ActivityEntry.objects.filter(team=moving_team)
        .order_by("at", "id")
        .values_list("action", "actor_name")
    )
    code = moving_team.code
    call_command("import_team", _write(tmp_path, _moved(moving_team)))

    after = list(
        ActivityEntry.objects.filter(team__code=code)
        .order_by("at", "id")
        .values_list("action", "actor_name")
    )
    assert after == [*before, ("team_moved", "Team Mirror")]


def _refused(path: str, message: str) -> None:
    before = _counts()
    with pytest.raises(CommandError, match=message):
        call_command("import_team", path)
    assert _counts() == before


def test_it_refuses_a_file_that_is_not_json(db: None, tmp_path: Path) -> None:
    path = tmp_path / "team.json"
    path.write_bytes(b"\x89PNG not an archive")
    _refused(str(path), "not complete JSON")


def test_it_refuses_a_truncated_file(moving_team: Team, tmp_path: Path) -> None:
    text = json.dumps(_moved(moving_team))
    path = tmp_path / "team.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    _refused(str(path), "not complete JSON")


def test_it_refuses_another_kind_of_json(db: None, tmp_path: Path) -> None:
    _refused(_write(tmp_path, {"format": "team-mirror-history/1"}), "not a team")


def test_it_refuses_another_version(moving_team: Team, tmp_path: Path) -> None:
    data = _moved(moving_team)
    data["version"] = 2
    _refused(_write(tmp_path, data), "version 2")


def test_it_refuses_a_team_that_exists(moving_team: Team, tmp_path: Path) -> None:
    path = _write(tmp_path, team_archive(moving_team))
    _refused(path, "already exists")


def test_it_refuses_references_that_do_not_resolve(
    moving_team: Team, tmp_path: Path
) -> None:
    data = _moved(moving_team)
    data["rounds"][1]["ratings"][0]["dimension"] = str(uuid.uuid4())
    _refused(_write(tmp_path, data), "damaged or edited")


def test_it_refuses_more_answers_than_the_counts_allow(
    moving_team: Team, tmp_path: Path
) -> None:
    data = _moved(moving_team)
    data["rounds"][1]["ratings"][0]["count"] = 99
    _refused(_write(tmp_path, data), "damaged or edited")


def test_it_refuses_a_text_too_long(moving_team: Team, tmp_path: Path) -> None:
    data = _moved(moving_team)
    data["rounds"][1]["title"] = "x" * 500
    _refused(_write(tmp_path, data), "damaged or edited")


def test_it_refuses_an_open_round(moving_team: Team, tmp_path: Path) -> None:
    data = _moved(moving_team)
    data["rounds"][2]["state"] = "open"
    _refused(_write(tmp_path, data), "damaged or edited")


@override_settings(TEAM_ARCHIVE_MAX_BYTES=1000)
def test_it_refuses_a_huge_file(moving_team: Team, tmp_path: Path) -> None:
    _refused(_write(tmp_path, _moved(moving_team)), "larger than")


def test_it_refuses_a_missing_file(db: None, tmp_path: Path) -> None:
    _refused(str(tmp_path / "nothing.json"), "Cannot read")
