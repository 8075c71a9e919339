from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from assessments.models import BuiltinDimension, StakeholderGroup, TeamDimension
from teams.models import Membership, Team


def test_it_creates_team_with_creator_as_facilitator(
    alice_client: Client, alice: User
) -> None:
    r = alice_client.post("/teams/new/", {"name": " Rockets ", "description": "Hi"})
    team = Team.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/teams/{team.code}/start/invite/"
    assert team.name == "Rockets"
    membership = Membership.objects.get(team=team)
    assert membership.user == alice
    assert membership.role == Membership.Role.FACILITATOR


def test_it_gives_the_team_its_own_copy_of_the_framework(
    alice_client: Client,
) -> None:
    alice_client.post("/teams/new/", {"name": "Rockets"})
    team = Team.objects.get()
    copies = list(TeamDimension.objects.filter(team=team).order_by("position"))
    builtins = list(BuiltinDimension.objects.order_by("position"))
    assert [c.name for c in copies] == [b.name for b in builtins]
    assert [c.builtin_id for c in copies] == [b.pk for b in builtins]
    assert StakeholderGroup.objects.filter(team=team).count() == 4


def test_it_keeps_input_on_error(alice_client: Client) -> None:
    r = alice_client.post("/teams/new/", {"name": "   ", "description": "Keep me"})
    assert r.status_code == 200
    assert "Keep me" in r.text
    assert "This field is required" in r.text or "Give the team a name" in r.text
    assert not Team.objects.exists()
