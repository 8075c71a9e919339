"""GET /rounds/<code>/stakeholders/: the facilitator's stakeholder page."""

from __future__ import annotations

import uuid

from django.test import Client

from assessments.models import Response, Round, StakeholderInvitation, StakeholderLink
from teams.models import Team
from tests.factories import add_response, make_round


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/stakeholders/"


def test_it_works(alice_client: Client, round: Round) -> None:
    r = alice_client.get(_url(round))
    assert r.status_code == 200
    assert "Stakeholder feedback" in r.text
    assert "Create a shared link" in r.text
    assert "Send invitations" in r.text
    assert f"/teams/{round.team.code}/stakeholder-groups/" in r.text


def test_it_hides_team_from_outsider(carol_client: Client, round: Round) -> None:
    assert carol_client.get(_url(round)).status_code == 404


def test_it_requires_facilitator(bob_client: Client, round: Round) -> None:
    assert bob_client.get(_url(round)).status_code == 403


def test_it_rejects_unknown_round(alice_client: Client, team: Team) -> None:
    assert alice_client.get(f"/rounds/{uuid.uuid4()}/stakeholders/").status_code == 404


def test_it_offers_replace_and_revoke_for_existing_link(
    alice_client: Client, link: StakeholderLink
) -> None:
    r = alice_client.get(_url(link.round))
    assert "Replace with a new link" in r.text
    assert "Revoke the link" in r.text
    assert "Create a shared link" not in r.text


def test_it_counts_invitations(alice_client: Client, round: Round) -> None:
    for n, used in enumerate([True, False, False]):
        StakeholderInvitation.objects.create(
            round=round, token_hash=f"{n:064}", used=used
        )
    r = alice_client.get(_url(round))
    assert "3 invitations sent: 1 used, 0 revoked." in r.text
    assert "Revoke unused invitations" in r.text


def test_it_shows_turnout_only_for_groups_meeting_minimum(
    alice_client: Client, round: Round
) -> None:
    for relationship in ["Leadership"] * 3 + ["Customer"] * 2 + ["Peer"]:
        add_response(
            round,
            [2, 2, 2],
            perspective=Response.Perspective.STAKEHOLDER,
            relationship=relationship,
        )
    add_response(round, [2, 2, 2])  # a team member: not counted here
    r = alice_client.get(_url(round))
    assert "6 stakeholders have answered." in r.text
    cell = '<th scope="row" class="fw-normal"><bdi dir="auto">Leadership</bdi></th>'
    assert cell in r.text
    assert "Customer" not in r.text
    assert "Other groups: fewer than 3 answers each, not shown." in r.text


def test_it_says_why_a_draft_has_no_links(alice_client: Client, team: Team) -> None:
    draft = make_round(team, state=Round.State.DRAFT)
    r = alice_client.get(_url(draft))
    assert r.status_code == 200
    assert "Open the round first" in r.text
    assert "Create a shared link" not in r.text


def test_it_says_closed_round_links_no_longer_work(
    alice_client: Client, team: Team
) -> None:
    closed = make_round(team, state=Round.State.CLOSED)
    r = alice_client.get(_url(closed))
    assert "This round is closed" in r.text
    assert "Send invitations" not in r.text


def test_query_count_does_not_grow(
    alice_client: Client, round: Round, django_assert_max_num_queries: object
) -> None:
    for n in range(30):
        StakeholderInvitation.objects.create(round=round, token_hash=f"{n:064}")
        add_response(round, [1, 2, 3], perspective=Response.Perspective.STAKEHOLDER)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert alice_client.get(_url(round)).status_code == 200
