"""A coach opens a shared team's report exactly as the team sees it, read-only; with
no share, or once the share is revoked, every page of the team is 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from assessments.models import Response, Round
from teams.models import CoachInvitation, CoachShare, Team
from teams.services import coach_invitation_accept
from tests.coach.conftest import closed_round
from tests.factories import add_response

SECRETS = ("Pairing on hard bugs", "Standups help", "We ship every week")


@pytest.fixture
def round(team: Team) -> Round:
    round = closed_round(
        team,
        [[2, 3, 1], [2, 2, 1]],
        dimensions=3,
        title="Q2 retro",
        checkins=["performing", "high-performing"],
    )
    add_response(
        round,
        [3, 2, 2],
        checkin="performing",
        checkin_reason="We ship every week",
        comments=["Standups help"],
        notes=[("keep", "Pairing on hard bugs", 1)],
    )
    for _ in range(3):
        add_response(round, [1, 2, 3], perspective=Response.Perspective.STAKEHOLDER)
    return round


def _share(alice_client: Client, team: Team, notes: bool) -> CoachShare:
    # Shared by email, accepted by cora signed in with that address proven.
    choice = "notes" if notes else "scores"
    r = alice_client.post(
        f"/teams/{team.code}/sharing/add/",
        {"coach": "cora@example.com", "include_notes": choice},
    )
    assert r.status_code == 302
    invitation = CoachInvitation.objects.get(team=team, used_at__isnull=True)
    coach_invitation_accept(
        invitation_id=invitation.pk, user=User.objects.get(username="cora")
    )
    return CoachShare.objects.active().get(team=team)


def _urls(round: Round) -> list[str]:
    report = f"/rounds/{round.code}/report/"
    overview = f"/teams/{round.team.code}/overview/"
    return [
        report,
        report + "radar.svg",
        report + "radar.png",
        report + "report.csv",
        report + "report.pdf",
        overview,
        overview + "trends.svg",
    ]


def test_a_coach_with_a_share_reads_the_report(
    alice_client: Client, cora_client: Client, round: Round
) -> None:
    _share(alice_client, round.team, notes=True)
    r = cora_client.get(f"/rounds/{round.code}/report/")
    assert r.status_code == 200
    assert "It is read-only." in r.text
    # Notes and comments are shared; the check-in reason follows the check-in
    # tally, which (2 performing, 1 high-performing) may not be shown outside.
    for secret in SECRETS[:2]:
        assert secret in r.text
    assert SECRETS[2] not in r.text
    for url in _urls(round):
        assert cora_client.get(url).status_code == 200, url


def test_the_report_is_read_only(
    alice_client: Client, cora_client: Client, round: Round, team: Team
) -> None:
    _share(alice_client, team, notes=True)
    text = cora_client.get(f"/rounds/{round.code}/report/").text
    assert f'href="/rounds/{round.code}/"' not in text  # the round's own page
    assert f'href="/teams/{team.code}/"' not in text  # the team's page
    assert f'href="/teams/{team.code}/overview/"' in text
    for action in ("/edit/", "/close/", "/open/", "/delete/", "/sharing/"):
        assert action not in text
    overview = cora_client.get(f"/teams/{team.code}/overview/").text
    assert f'href="/teams/{team.code}/"' not in overview


def test_the_team_pages_stay_closed_to_the_coach(
    alice_client: Client, cora_client: Client, round: Round, team: Team
) -> None:
    _share(alice_client, team, notes=True)
    for url in (
        f"/teams/{team.code}/",
        f"/teams/{team.code}/members/",
        f"/teams/{team.code}/sharing/",
        f"/rounds/{round.code}/",
        f"/rounds/{round.code}/answer/",
    ):
        assert cora_client.get(url).status_code == 404, url


def test_scores_only_hides_notes_comments_and_reasons(
    alice_client: Client, cora_client: Client, round: Round, printed: list[str]
) -> None:
    _share(alice_client, round.team, notes=False)
    r = cora_client.get(f"/rounds/{round.code}/report/")
    assert r.status_code == 200
    assert "scores only, without notes or comments" in r.text
    assert cora_client.get(f"/rounds/{round.code}/report/report.pdf").status_code == 200
    (pdf,) = printed
    # 2 performing and 1 high-performing: a cell of one, not shown outside the team.
    assert "Overall check-in" not in pdf
    csv = cora_client.get(f"/rounds/{round.code}/report/report.csv").content.decode(
        "utf-8-sig"
    )
    for secret in SECRETS:
        assert secret not in r.text
        assert secret not in pdf
        assert secret not in csv


def test_taking_notes_away_applies_at_once(
    alice_client: Client, cora_client: Client, round: Round
) -> None:
    share = _share(alice_client, round.team, notes=True)
    assert (
        "Pairing on hard bugs" in cora_client.get(f"/rounds/{round.code}/report/").text
    )
    alice_client.post(
        f"/teams/{round.team.code}/sharing/{share.code}/notes/",
        {"include_notes": "scores"},
    )
    assert "Pairing on hard bugs" not in (
        cora_client.get(f"/rounds/{round.code}/report/").text
    )


def test_no_share_gives_404_everywhere(cora_client: Client, round: Round) -> None:
    for url in _urls(round):
        assert cora_client.get(url).status_code == 404, url


def test_a_share_of_another_team_gives_404(
    carol_client: Client, carol: User, cora_client: Client, round: Round
) -> None:
    other = Team.objects.get(name="Other")
    _share(carol_client, other, notes=True)
    for url in _urls(round):
        assert cora_client.get(url).status_code == 404, url


def test_revoking_gives_404_at_once_everywhere(
    alice_client: Client, cora_client: Client, round: Round
) -> None:
    share = _share(alice_client, round.team, notes=True)
    for url in _urls(round):
        assert cora_client.get(url).status_code == 200, url
    r = alice_client.post(f"/teams/{round.team.code}/sharing/{share.code}/revoke/")
    assert r.status_code == 302
    for url in _urls(round):
        assert cora_client.get(url).status_code == 404, url
