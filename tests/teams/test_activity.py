"""The team's activity log (/teams/<code>/activity/): every member sees every way
people, answers or access were added, and nobody can change it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from assessments.models import Round, StakeholderLink
from assessments.services import round_open
from stakeholders.services import hash_token, new_token
from teams.models import ActivityEntry, AppendOnlyError, Invitation, Membership, Team
from teams.services import activity_record, coach_share_grant
from tests.conftest import client_for, make_user
from tests.factories import make_round


def _url(team: Team) -> str:
    return reverse("teams:activity", args=[team.code])


def _actions(team: Team) -> list[str]:
    return list(ActivityEntry.objects.for_team(team).values_list("action", flat=True))[
        ::-1
    ]


def test_every_member_sees_it(bob_client: Client, team: Team) -> None:
    r = bob_client.get(_url(team))
    assert r.status_code == 200
    assert "Activity log" in r.text
    assert "alice" in r.text
    assert "created the team" in r.text


def test_the_team_page_links_it(bob_client: Client, team: Team) -> None:
    r = bob_client.get(team.get_absolute_url())
    assert _url(team) in r.text


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    assert carol_client.get(_url(team)).status_code == 404


def test_it_hides_team_from_a_coach(cora_client: Client, team: Team) -> None:
    assert cora_client.get(_url(team)).status_code == 404


def test_it_requires_sign_in(client: Client, team: Team) -> None:
    r = client.get(_url(team))
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]


def test_a_sock_puppet_member_is_visible_to_the_whole_team(
    alice_client: Client, bob_client: Client, team: Team
) -> None:
    """The attack: a facilitator invites a made-up member to reach the minimum.
    It cannot be stopped, but the whole team sees who invited whom and who joined."""
    alice_client.post(
        reverse("teams:invite", args=[team.code]), {"label": "Pat", "role": "member"}
    )
    link = alice_client.session["new_invitation_link"]["url"]
    puppet = client_for(make_user("puppet"))
    puppet.get(link.removeprefix("http://127.0.0.1:8000"))
    assert puppet.post("/join/").status_code == 302
    r = bob_client.get(_url(team))
    assert "made an invitation link for “\u2068Pat\u2069” as member" in r.text
    assert "puppet" in r.text
    assert "joined the team as member" in r.text
    assert "invited_by" not in r.text
    joined = ActivityEntry.objects.get(action="member_joined")
    assert joined.detail["invited_by"] == "alice"


def test_it_logs_roles_leaving_and_removal(
    alice_client: Client, bob_client: Client, team: Team, bob: User
) -> None:
    dave = make_user("dave")
    Membership.objects.create(team=team, user=dave)
    bob_membership = team.memberships.get(user=bob)
    alice_client.post(
        reverse("teams:change_role", args=[team.code, bob_membership.code]),
        {"role": "facilitator"},
    )
    dave_membership = team.memberships.get(user=dave)
    alice_client.post(
        reverse("teams:remove_member", args=[team.code, dave_membership.code])
    )
    bob_client.post(
        reverse("teams:remove_member", args=[team.code, bob_membership.code])
    )
    assert _actions(team) == [
        "team_created",
        "role_changed",
        "member_removed",
        "member_left",
    ]
    r = client_for(User.objects.get(username="alice")).get(_url(team))
    assert "made “\u2068bob\u2069” facilitator" in r.text
    assert "removed “\u2068dave\u2069” from the team" in r.text
    assert "left the team" in r.text


def test_a_refused_role_change_logs_nothing(
    alice_client: Client, team: Team, alice: User
) -> None:
    mine = team.memberships.get(user=alice)
    r = alice_client.post(
        reverse("teams:change_role", args=[team.code, mine.code]), {"role": "member"}
    )
    assert r.status_code == 302
    mine.refresh_from_db()
    assert mine.role == "facilitator"
    assert _actions(team) == ["team_created"]


def test_it_logs_a_revoked_invitation(alice_client: Client, team: Team) -> None:
    alice_client.post(
        reverse("teams:invite", args=[team.code]), {"label": "Sam", "role": "member"}
    )
    invitation = Invitation.objects.get()
    url = reverse("teams:revoke_invitation", args=[team.code, invitation.code])
    alice_client.post(url)
    alice_client.post(url)  # a double submit logs once
    assert _actions(team) == [
        "team_created",
        "invitation_created",
        "invitation_revoked",
    ]


def test_it_logs_rounds_opened_closed_and_reopened(
    alice_client: Client, bob_client: Client, team: Team
) -> None:
    round = make_round(team, title="Spring check", state=Round.State.DRAFT)
    alice_client.post(reverse("assessments:round_open", args=[round.code]))
    alice_client.post(reverse("assessments:round_close", args=[round.code]))
    alice_client.post(reverse("assessments:round_open", args=[round.code]))
    assert _actions(team)[1:] == ["round_opened", "round_closed", "round_reopened"]
    r = bob_client.get(_url(team))
    assert "reopened the round “\u2068Spring check\u2069”" in r.text


def test_it_logs_shared_links_and_stakeholder_invitations(
    alice_client: Client,
    bob_client: Client,
    team: Team,
    django_capture_on_commit_callbacks: Any,
) -> None:
    round = make_round(team, title="Spring check")
    base = f"/rounds/{round.code}/stakeholders/"
    alice_client.post(base + "link/")
    alice_client.post(base + "link/")
    alice_client.post(base + "link/revoke/")
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            base + "invite/", {"addresses": "me@example.com, me2@example.com"}
        )
    alice_client.post(base + "invitations/revoke/")
    assert _actions(team)[1:] == [
        "link_created",
        "link_rotated",
        "link_revoked",
        "stakeholders_invited",
        "stakeholder_invitations_revoked",
    ]
    r = bob_client.get(_url(team))
    assert "invited 2 stakeholders by email to “\u2068Spring check\u2069”" in r.text
    assert "me@example.com, me2@example.com" in r.text
    replaced = "replaced the shared stakeholder link of “\u2068Spring check\u2069”"
    assert replaced in r.text
    assert "revoked 2 unused stakeholder invitations" in r.text


def test_it_logs_coach_shares(
    alice_client: Client, alice: User, bob_client: Client, team: Team, cora: User
) -> None:
    share = coach_share_grant(team=team, coach=cora, include_notes=False, actor=alice)
    alice_client.post(
        reverse("teams:share_notes", args=[team.code, share.code]),
        {"include_notes": "notes"},
    )
    alice_client.post(reverse("teams:share_revoke", args=[team.code, share.code]))
    assert _actions(team)[1:] == ["coach_granted", "coach_changed", "coach_revoked"]
    r = bob_client.get(_url(team))
    shared = "shared the team&#x27;s results with “\u2068cora\u2069” (scores only)"
    assert shared in r.text
    assert "changed what “\u2068cora\u2069” sees: scores and notes" in r.text


def test_activity_record_is_the_service_for_other_apps(team: Team, alice: User) -> None:
    entry = activity_record(
        team=team,
        actor=alice,
        action=ActivityEntry.Action.API_TOKEN_CREATED,
        detail={"name": "Dashboards"},
    )
    assert entry.summary() == "made the API token “\u2068Dashboards\u2069”"
    system = activity_record(team=team, actor=None, action="something_new")
    assert system.actor_name == "Team Mirror"
    assert system.summary() == "something new"


def test_entries_are_append_only(team: Team) -> None:
    entry = ActivityEntry.objects.for_team(team).get()
    entry.actor_name = "somebody else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ActivityEntry.objects.filter(team=team).update(actor_name="x")
    with pytest.raises(AppendOnlyError):
        ActivityEntry.objects.filter(team=team).delete()
    assert ActivityEntry.objects.get().actor_name == "alice"


def test_deleting_an_account_keeps_the_log(team: Team, bob: User) -> None:
    activity_record(team=team, actor=bob, action="member_left")
    bob.delete()
    assert ActivityEntry.objects.filter(actor_name="bob").exists()


def test_it_pages_with_a_fixed_number_of_queries(
    bob_client: Client, team: Team, alice: User, django_assert_max_num_queries: Any
) -> None:
    for i in range(120):
        activity_record(
            team=team, actor=alice, action="round_opened", detail={"round": f"R{i}"}
        )
    with django_assert_max_num_queries(8):
        r = bob_client.get(_url(team))
    assert "“\u2068R119\u2069”" in r.text
    assert "Page 1 of 3" in r.text
    r = bob_client.get(_url(team) + "?page=3")
    assert "created the team" in r.text


def test_open_team_invitations_are_capped(
    alice_client: Client, team: Team, settings: Settings
) -> None:
    settings.TEAM_OPEN_INVITATIONS_MAX = 2
    url = reverse("teams:invite", args=[team.code])
    for label in ("a", "b"):
        assert (
            alice_client.post(url, {"label": label, "role": "member"}).status_code
            == 302
        )
    r = alice_client.post(url, {"label": "third one", "role": "member"})
    assert r.status_code == 200
    assert "The team already has 2 open invitation links" in r.text
    assert 'value="third one"' in r.text
    assert Invitation.objects.count() == 2


def test_invitations_per_person_per_day_are_capped(
    alice_client: Client, team: Team, settings: Settings
) -> None:
    settings.INVITATIONS_PER_PERSON_PER_DAY = 3
    round = make_round(team)
    r = alice_client.post(
        f"/rounds/{round.code}/stakeholders/invite/",
        {"addresses": "a@example.com b@example.com"},
    )
    assert r.status_code == 302
    url = reverse("teams:invite", args=[team.code])
    assert alice_client.post(url, {"label": "x", "role": "member"}).status_code == 302
    r = alice_client.post(url, {"label": "y", "role": "member"})
    assert "You have invited 3 people in the last 24 hours" in r.text
    r = alice_client.post(
        f"/rounds/{round.code}/stakeholders/invite/", {"addresses": "c@example.com"}
    )
    assert r.status_code == 200
    assert "you can invite 0 more today" in r.text
    assert "c@example.com" in r.text  # the input is kept


def _link(round: Round, *, revoked: bool = False) -> StakeholderLink:
    return StakeholderLink.objects.create(
        round=round,
        token_hash=hash_token(new_token()),
        revoked_at=timezone.now() if revoked else None,
    )


def test_it_logs_the_shared_link_moving_to_the_round_opened(
    alice_client: Client, bob_client: Client, team: Team
) -> None:
    """Issue 12: the team's shared link follows any round opened; every member
    reads who moved it, from which round to which."""
    previous = make_round(team, title="Spring check", state=Round.State.CLOSED)
    _link(previous)
    draft = make_round(team, title="Summer check", state=Round.State.DRAFT)
    alice_client.post(reverse("assessments:round_open", args=[draft.code]))
    moved = ActivityEntry.objects.get(team=team, action="link_moved")
    assert moved.actor_name == "alice"
    assert moved.detail == {"from": "Spring check", "round": "Summer check"}
    r = bob_client.get(_url(team))
    assert (
        "moved the shared stakeholder link from “\u2068Spring check\u2069” "
        "to “\u2068Summer check\u2069”" in r.text
    )


def test_a_round_opened_by_the_schedule_logs_the_move_as_the_system(
    team: Team,
) -> None:
    previous = make_round(team, title="Spring check", state=Round.State.CLOSED)
    _link(previous)
    draft = make_round(team, title="Summer check", state=Round.State.DRAFT)
    round_open(round=draft)
    moved = ActivityEntry.objects.get(team=team, action="link_moved")
    assert moved.actor_name == "Team Mirror"


def test_no_move_logged_when_no_link_moves(alice_client: Client, team: Team) -> None:
    """A revoked link stays where it is, and reopening the round that has the
    link moves nothing: neither is logged as a move."""
    make_round(team, title="Old", state=Round.State.CLOSED)
    _link(Round.objects.get(title="Old"), revoked=True)
    current = make_round(team, title="Now", state=Round.State.CLOSED)
    _link(current)
    alice_client.post(reverse("assessments:round_open", args=[current.code]))
    assert "round_reopened" in _actions(team)
    assert "link_moved" not in _actions(team)


def test_a_refused_opening_logs_no_move(alice_client: Client, team: Team) -> None:
    make_round(team, title="Open")
    _link(make_round(team, title="Closed", state=Round.State.CLOSED))
    draft = make_round(team, state=Round.State.DRAFT)
    alice_client.post(reverse("assessments:round_open", args=[draft.code]))
    draft.refresh_from_db()
    assert draft.state == Round.State.DRAFT
    assert "link_moved" not in _actions(team)


def test_a_name_in_any_script_is_isolated_in_the_log(
    alice_client: Client, bob_client: Client, team: Team
) -> None:
    """A round title in Arabic, or one with a right-to-left override, cannot
    reorder the sentence every member reads around it."""
    round = make_round(team, title="\u202eجولة", state=Round.State.DRAFT)
    alice_client.post(reverse("assessments:round_open", args=[round.code]))
    r = bob_client.get(_url(team))
    assert "opened the round “\u2068جولة\u2069”" in r.text
    assert "\u202e" not in r.text
