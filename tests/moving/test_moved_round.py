"""A round moved here from another server is not reopened: new answers would be
added to the counts it carried, and the difference could describe fewer people
than the minimum."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from assessments import services
from assessments.models import Response, Round
from moving.archive import team_archive
from teams.models import Membership, Team
from tests.factories import make_round


@pytest.fixture
def moved(moving_team: Team, tmp_path: Path) -> Round:
    code = moving_team.code
    data = team_archive(moving_team)
    moving_team.delete()
    path = tmp_path / "team.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("import_team", str(path))
    return Round.objects.get(team__code=code, title="Q2 retro")


def test_it_refuses_to_reopen_a_moved_round(client: Client, moved: Round) -> None:
    client.force_login(User.objects.get(username="alice"))
    answers = Response.objects.filter(round=moved).count()

    response = client.post(f"/rounds/{moved.code}/open/", follow=True)

    page = response.content.decode()
    assert "This round was moved here from another server: it cannot be" in page
    moved.refresh_from_db()
    assert moved.state == Round.State.CLOSED
    assert Response.objects.filter(round=moved).count() == answers
    assert "Reopen round" not in client.get(f"/rounds/{moved.code}/").content.decode()


def test_the_service_refuses_to_reopen_a_moved_round(moved: Round) -> None:
    with pytest.raises(services.RoundMoved):
        services.round_open(round=moved)
    moved.refresh_from_db()
    assert moved.state == Round.State.CLOSED


def test_a_moved_draft_still_opens(moved: Round) -> None:
    draft = Round.objects.get(team=moved.team, title="Next")
    assert services.round_open(round=draft).state == Round.State.OPEN


def test_a_round_of_this_server_still_reopens(client: Client, team: Team) -> None:
    round = make_round(team, title="Here", state=Round.State.CLOSED)
    client.force_login(User.objects.get(username="alice"))
    client.post(f"/rounds/{round.code}/open/")
    round.refresh_from_db()
    assert round.state == Round.State.OPEN


def test_reopening_a_moved_round_requires_facilitator(
    client: Client, moved: Round
) -> None:
    bob = User.objects.get(username="bob")
    Membership.objects.filter(team=moved.team, user=bob).delete()
    Membership.objects.create(team=moved.team, user=bob)
    client.force_login(bob)
    assert client.post(f"/rounds/{moved.code}/open/").status_code == 403


def test_reopening_a_moved_round_hides_it_from_outsider(
    client: Client, carol: User, moved: Round
) -> None:
    client.force_login(carol)
    assert client.post(f"/rounds/{moved.code}/open/").status_code == 404
