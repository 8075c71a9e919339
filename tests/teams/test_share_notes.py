from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from teams.models import AccessLogEntry, CoachShare, Team
from teams.services import coach_share_grant, coach_share_revoke


def _share(team: Team, alice: User, cora: User, notes: bool = False) -> CoachShare:
    return coach_share_grant(team=team, coach=cora, include_notes=notes, actor=alice)


def _url(share: CoachShare) -> str:
    return f"/teams/{share.team.code}/sharing/{share.code}/notes/"


def test_it_adds_notes(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora)
    r = alice_client.post(_url(share), {"include_notes": "notes"})
    assert r.status_code == 302
    share.refresh_from_db()
    assert share.include_notes is True
    entry = AccessLogEntry.objects.first()
    assert entry is not None
    assert entry.action == AccessLogEntry.Action.CHANGED
    assert entry.include_notes is True
    assert entry.actor_name == "alice"


def test_it_takes_notes_away(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora, notes=True)
    alice_client.post(_url(share), {"include_notes": "scores"})
    share.refresh_from_db()
    assert share.include_notes is False


def test_it_logs_nothing_when_nothing_changes(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora, notes=True)
    alice_client.post(_url(share), {"include_notes": "notes"})
    assert AccessLogEntry.objects.count() == 1


def test_it_rejects_a_bad_choice(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora)
    r = alice_client.post(_url(share), {"include_notes": "everything"}, follow=True)
    assert "Choose what the coach sees." in r.text
    share.refresh_from_db()
    assert share.include_notes is False


def test_it_does_not_change_a_revoked_share(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora)
    coach_share_revoke(share=share, actor=alice)
    r = alice_client.post(_url(share), {"include_notes": "notes"})
    assert r.status_code == 404
    share.refresh_from_db()
    assert share.include_notes is False


def test_it_requires_facilitator(
    bob_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora)
    r = bob_client.post(_url(share), {"include_notes": "notes"})
    assert r.status_code == 403
    share.refresh_from_db()
    assert share.include_notes is False


def test_it_hides_team_from_outsider(
    carol_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora)
    assert carol_client.post(_url(share), {"include_notes": "notes"}).status_code == 404


def test_it_hides_another_teams_share(
    carol_client: Client, other_team: Team, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora)
    url = f"/teams/{other_team.code}/sharing/{share.code}/notes/"
    assert carol_client.post(url, {"include_notes": "notes"}).status_code == 404
    share.refresh_from_db()
    assert share.include_notes is False


def test_it_rejects_get(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    assert alice_client.get(_url(_share(team, alice, cora))).status_code == 405
