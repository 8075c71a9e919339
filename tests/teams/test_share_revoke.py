from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from teams.models import AccessLogEntry, CoachShare, Team
from teams.services import coach_share_grant


def _share(team: Team, alice: User, cora: User) -> CoachShare:
    return coach_share_grant(team=team, coach=cora, include_notes=True, actor=alice)


def _url(share: CoachShare) -> str:
    return f"/teams/{share.team.code}/sharing/{share.code}/revoke/"


def test_it_revokes_and_logs(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora)
    r = alice_client.post(_url(share))
    assert r.status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None
    entry = AccessLogEntry.objects.first()
    assert entry is not None
    assert (entry.action, entry.coach_name, entry.actor_name) == (
        AccessLogEntry.Action.REVOKED,
        "cora",
        "alice",
    )


def test_it_takes_effect_at_once(
    alice_client: Client, cora_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora)
    assert "Alpha" in cora_client.get("/coach/").text
    alice_client.post(_url(share))
    assert "Alpha" not in cora_client.get("/coach/").text


def test_a_double_submit_logs_once(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora)
    alice_client.post(_url(share))
    r = alice_client.post(_url(share))
    assert r.status_code == 302
    assert AccessLogEntry.objects.filter(action="revoked").count() == 1


def test_it_requires_facilitator(
    bob_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora)
    assert bob_client.post(_url(share)).status_code == 403
    share.refresh_from_db()
    assert share.revoked_at is None


def test_it_hides_team_from_outsider(
    carol_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora)
    assert carol_client.post(_url(share)).status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is None


def test_the_coach_cannot_revoke_for_the_team(
    cora_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = _share(team, alice, cora)
    assert cora_client.post(_url(share)).status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is None


def test_it_rejects_get(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    assert alice_client.get(_url(_share(team, alice, cora))).status_code == 405
