"""The team's sharing page: who has access, the form, and the access log."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from teams.models import AccessLogEntry, CoachShare, Team
from teams.services import coach_share_grant, coach_share_revoke


def _url(team: Team) -> str:
    return f"/teams/{team.code}/sharing/"


def test_it_shows_nobody_has_access_by_default(
    alice_client: Client, team: Team
) -> None:
    r = alice_client.get(_url(team))
    assert r.status_code == 200
    assert "Nobody outside the team sees its results." in r.text
    assert "The team has never shared its results." in r.text
    assert f"/teams/{team.code}/sharing/add/" in r.text


def test_it_lists_active_shares_and_the_log(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = coach_share_grant(team=team, coach=cora, include_notes=True, actor=alice)
    r = alice_client.get(_url(team))
    assert 'Remove access for <bdi dir="auto">cora</bdi>' in r.text
    assert f"/sharing/{share.code}/revoke/" in r.text
    assert "Given access · scores and notes" in r.text


def test_it_keeps_revoked_shares_in_the_log_only(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = coach_share_grant(team=team, coach=cora, include_notes=False, actor=alice)
    coach_share_revoke(share=share, actor=alice)
    r = alice_client.get(_url(team))
    assert 'Remove access for <bdi dir="auto">cora</bdi>' not in r.text
    assert "Nobody outside the team sees its results." in r.text
    assert "Lost access" in r.text
    assert "Given access · scores only" in r.text


def test_members_see_who_has_access_without_forms(
    bob_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = coach_share_grant(team=team, coach=cora, include_notes=True, actor=alice)
    r = bob_client.get(_url(team))
    assert r.status_code == 200
    assert "cora" in r.text
    assert "Scores and keep / stop / start notes" in r.text
    assert "Given access" in r.text
    assert "/sharing/add/" not in r.text
    assert f"/sharing/{share.code}/revoke/" not in r.text
    assert f"/sharing/{share.code}/notes/" not in r.text


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    assert carol_client.get(_url(team)).status_code == 404


def test_it_hides_the_list_from_the_coach(
    cora_client: Client, team: Team, alice: User, cora: User
) -> None:
    # A coach reads the team's results, not who else the team shares them with.
    coach_share_grant(team=team, coach=cora, include_notes=True, actor=alice)
    assert cora_client.get(_url(team)).status_code == 404


def test_team_page_links_to_sharing_for_every_member(
    alice_client: Client, bob_client: Client, team: Team
) -> None:
    assert "Sharing with coaches" in alice_client.get(f"/teams/{team.code}/").text
    bob_page = bob_client.get(f"/teams/{team.code}/").text
    assert "Who sees our results" in bob_page
    assert _url(team) in bob_page


def test_the_log_is_newest_first(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    share = coach_share_grant(team=team, coach=cora, include_notes=True, actor=alice)
    coach_share_revoke(share=share, actor=alice)
    text = alice_client.get(_url(team)).text
    assert text.index("Lost access") < text.index("Given access")
    assert AccessLogEntry.objects.count() == 2
    assert CoachShare.objects.get().revoked_at is not None
