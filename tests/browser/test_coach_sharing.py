"""Who sees a team's results, in a real browser: an outsider who guesses the report's
address gets "not found"; a coach sees the team only while the team shares with
her. The rounds are set up directly (answering is the other journey's subject);
sharing and revoking go through the facilitator's pages.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User

from assessments.models import NoteKind, Round
from assessments.services import team_start
from teams.models import CoachInvitation, Membership, Team
from teams.services import coach_invitation_accept
from tests.browser.conftest import PHONE, Visitor, VisitorFactory
from tests.coach.conftest import closed_round, days_ago, shared_team
from tests.conftest import make_user


def _rounds(team: Team, lift: int) -> Round:
    """Two closed rounds a quarter apart, the second one better by ``lift``."""
    base = [[2, 1, 2, 2, 3, 1, 2, 2, 1, 2, 3, 2]] * 3
    closed_round(
        team,
        [[min(3, level) for level in row] for row in base],
        title="Q2 check-in",
        closed_at=days_ago(95),
        checkins=["performing", "underperforming", "performing"],
    )
    return closed_round(
        team,
        [
            [min(3, level + lift * (i % 2)) for i, level in enumerate(row)]
            for row in base
        ],
        title="Q3 check-in",
        closed_at=days_ago(3),
        stakeholders=[[2] * 12, [1] * 12, [2] * 12],
        checkins=["performing", "high-performing", "performing"],
        notes=[
            [(NoteKind.KEEP, "Pairing on hard problems", 1)],
            [(NoteKind.STOP, "Starting work we cannot finish", 6)],
            [(NoteKind.START, "Limit work in progress", 6)],
        ],
    )


def test_a_coach_sees_a_team_only_while_it_shares(
    visitor_factory: VisitorFactory,
) -> None:
    alice, cora = make_user("alice"), make_user("cora")
    rockets = team_start(name="Rockets", description="", creator=alice)
    for name in ("bob", "dana"):
        Membership.objects.create(team=rockets, user=make_user(name))
    latest = _rounds(rockets, lift=1)
    _rounds(shared_team("Comets", cora), lift=0)
    team_start(name="Other", description="", creator=make_user("carol"))
    report = f"/rounds/{latest.code}/report/"
    overview = f"/teams/{rockets.code}/overview/"

    _outsider_gets_not_found(visitor_factory(), report, overview)

    coach = visitor_factory()
    coach.sign_in("cora")
    coach.goto("/coach/")
    assert coach.page.get_by_role("link", name="Comets").first.is_visible()
    assert coach.page.get_by_text("Rockets").count() == 0
    coach.goto(report, status=404)
    coach.goto(overview, status=404)

    facilitator = visitor_factory()
    facilitator.sign_in("alice")
    facilitator.goto(report)
    facilitator.screenshot("report", max_height=2900)
    _share_with_cora(facilitator, rockets)

    coach.goto("/coach/")
    coach.follow(coach.page.get_by_role("link", name="Rockets").first)
    assert coach.path == overview
    assert coach.page.get_by_text("shares its results with you").is_visible()
    coach.follow(coach.page.get_by_role("link", name="Open the full report"))
    assert coach.path == report
    assert coach.page.get_by_text("It is read-only.").is_visible()
    assert coach.page.get_by_text("Limit work in progress").first.is_visible()
    coach.goto("/coach/")
    weak = coach.page.locator("td.heat-1").first
    assert weak.evaluate("td => getComputedStyle(td).backgroundColor") == (
        "rgb(244, 165, 130)"
    ), "a weak dimension is coloured in the heatmap, not only numbered"
    coach.screenshot("coach-dashboard")
    coach.follow(coach.page.get_by_role("link", name="Recurring themes"))
    assert coach.page.get_by_text(
        "the 2 teams sharing their notes with you"
    ).is_visible()

    # Wide tables scroll sideways on a phone: they must still be reachable by keyboard.
    phone = visitor_factory(**PHONE)
    phone.sign_in("cora")
    phone.goto("/coach/")
    phone.goto(overview)

    facilitator.follow(
        facilitator.page.get_by_role("button", name="Remove access for cora")
    )
    assert facilitator.page.get_by_text("cora no longer sees").is_visible()
    coach.goto(report, status=404)
    coach.goto(overview, status=404)
    coach.goto("/coach/")
    assert coach.page.get_by_text("Rockets").count() == 0
    assert coach.page.get_by_role("link", name="Comets").first.is_visible()


def _outsider_gets_not_found(carol: Visitor, report: str, overview: str) -> None:
    """A signed-in member of another team who guesses the addresses: the same
    "not found" as for an address that never existed."""
    carol.sign_in("carol")
    carol.goto(f"/rounds/{uuid.uuid4()}/report/", status=404)
    nowhere = carol.page.locator("main").inner_text()
    for path in (
        report,
        overview,
        report + "radar.svg",
        report.removesuffix("report/"),
    ):
        carol.goto(path, status=404)
        assert carol.page.get_by_role("heading", name="Not found").is_visible()
        assert carol.page.locator("main").inner_text() == nowhere
        assert "Rockets" not in carol.page.content()


def _share_with_cora(alice: Visitor, team: Team) -> None:
    page = alice.page
    alice.goto(team.get_absolute_url())
    alice.follow(page.get_by_role("link", name="Sharing with coaches"))
    assert page.get_by_text("Nobody outside the team sees its results.").is_visible()
    coach_field = page.get_by_label("Coach's email address")
    coach_field.fill("alice")
    alice.follow(page.get_by_role("button", name="Share", exact=True))
    ids = (coach_field.get_attribute("aria-describedby") or "").split()
    described = " ".join(page.locator(f"[id='{i}']").inner_text() for i in ids)
    assert "Enter a valid email address." in described
    assert coach_field.get_attribute("aria-invalid") == "true"
    assert coach_field.input_value() == "alice", "the input is kept"

    coach_field.fill("cora@example.com")
    page.get_by_label("Scores and keep / stop / start notes").check()
    alice.follow(page.get_by_role("button", name="Share", exact=True))
    assert page.get_by_text("An invitation is on its way to", exact=False).is_visible()
    assert page.get_by_text("Invited, not yet accepted").is_visible()
    # Cora accepts the emailed invitation, signed in with that address confirmed.
    invitation = CoachInvitation.objects.get(team=team, used_at__isnull=True)
    coach_invitation_accept(
        invitation_id=invitation.pk, user=User.objects.get(username="cora")
    )
    alice.goto(alice.path)
    assert page.get_by_role("rowheader", name="cora").is_visible()
