"""Release once, then freeze (issue 11 item 2): after a reopen the report, and its
PDF, say "unchanged until N more answers" while new answers wait sealed, for the
team and for the stakeholders, as the round page does; the published figures stay
as they were."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import Response, Round
from assessments.services import Answers, RatingAnswer
from reports import pdf
from reports.assembly import build_round_report
from reports.selectors import team_rounds
from teams.models import Membership, Team
from tests.conftest import make_user
from tests.factories import make_round

TEAM_WAITS = "The published team results stay unchanged until {} more member{}"
STAKEHOLDERS_WAIT = (
    "The published stakeholder results stay unchanged until {} more stakeholder{}"
)


def _ratings(round: Round, level: int) -> Answers:
    return Answers(ratings=[RatingAnswer(d, level, "") for d in round.dimensions.all()])


def _members_answer(round: Round, users: list[User], level: int = 2) -> None:
    for user in users:
        services.member_response_submit(
            round=round, user=user, answers=_ratings(round, level)
        )


def _stakeholders_answer(round: Round, n: int, level: int = 2) -> None:
    for _ in range(n):
        services.response_submit(
            round=round,
            perspective=Response.Perspective.STAKEHOLDER,
            answers=_ratings(round, level),
        )


def _page(client: Client, round: Round) -> str:
    response = client.get(reverse("reports:round", args=[round.code]))
    assert response.status_code == 200
    return response.content.decode()


def _printed(round: Round) -> str:
    report = build_round_report(round, rounds=team_rounds(round.team), show_notes=True)
    return pdf.print_html(report, b"<svg/>")


def _team_of_seven(team: Team) -> list[User]:
    extra = [make_user(name) for name in ("dan", "erin", "frank", "grace", "hal")]
    for user in extra:
        Membership.objects.create(team=team, user=user)
    return list(User.objects.filter(memberships__team=team).order_by("username"))


def test_the_report_says_the_team_results_wait_for_the_minimum(
    team: Team, alice: User, bob_client: Client
) -> None:
    members = _team_of_seven(team)
    round = make_round(team, dimensions=2)
    _members_answer(round, members[:3])
    services.round_close(round=round, actor=alice)
    page = _page(bob_client, round)
    assert "stay unchanged" not in page  # nothing waits after the first close
    published = build_round_report(round, rounds=team_rounds(team), show_notes=True)
    means = [d.team.mean for d in published.dimensions if d.team]

    services.round_open(round=round, actor=alice)
    assert TEAM_WAITS.format(3, "s answer") in _page(bob_client, round)
    _members_answer(round, members[3:4], level=3)
    assert TEAM_WAITS.format(2, "s answer") in _page(bob_client, round)

    services.round_close(round=round, actor=alice)
    page = _page(bob_client, round)
    assert TEAM_WAITS.format(2, "s answer") in page
    assert "stakeholder results" not in page
    report = build_round_report(round, rounds=team_rounds(team), show_notes=True)
    assert report.team_responses == 3  # as published
    assert [d.team.mean for d in report.dimensions if d.team] == means
    assert TEAM_WAITS.format(2, "s answer") in _printed(round)

    services.round_open(round=round, actor=alice)
    _members_answer(round, members[4:5], level=3)
    assert TEAM_WAITS.format(1, " answers") in _page(bob_client, round)
    _members_answer(round, members[5:6], level=3)  # the third: released at once
    services.round_close(round=round, actor=alice)
    page = _page(bob_client, round)
    assert "stay unchanged" not in page
    report = build_round_report(round, rounds=team_rounds(team), show_notes=True)
    assert report.team_responses == 6
    assert "stay unchanged" not in _printed(round)


def test_the_report_says_the_stakeholder_results_wait_for_the_minimum(
    team: Team,
    alice: User,
    bob_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    round = make_round(team, dimensions=2)
    _stakeholders_answer(round, 3)
    services.round_close(round=round, actor=alice)
    services.round_open(round=round, actor=alice)
    with django_capture_on_commit_callbacks(execute=True):
        _stakeholders_answer(round, 1, level=3)
    services.round_close(round=round, actor=alice)

    page = _page(bob_client, round)
    assert STAKEHOLDERS_WAIT.format(2, "s answer") in page
    assert "team results stay unchanged" not in page  # no member waits
    assert STAKEHOLDERS_WAIT.format(2, "s answer") in _printed(round)
    report = build_round_report(round, rounds=team_rounds(team), show_notes=True)
    assert report.stakeholder_responses == 3
    assert all(d.stakeholders.mean == 2 for d in report.dimensions if d.stakeholders)

    services.round_open(round=round, actor=alice)
    with django_capture_on_commit_callbacks(execute=True):
        _stakeholders_answer(round, 2, level=3)
    page = _page(bob_client, round)
    assert "stakeholder results stay unchanged" not in page


def test_the_pdf_is_laid_out_again_when_what_waits_changes(
    team: Team, alice: User
) -> None:
    from reports.views import pdf_key

    round = make_round(team, dimensions=2)
    _stakeholders_answer(round, 3)
    services.round_close(round=round, actor=alice)
    services.round_open(round=round, actor=alice)
    services.round_close(round=round, actor=alice)
    before = build_round_report(round, rounds=team_rounds(team), show_notes=True)
    services.round_open(round=round, actor=alice)
    _stakeholders_answer(round, 1)
    services.round_close(round=round, actor=alice)
    after = build_round_report(round, rounds=team_rounds(team), show_notes=True)
    assert (before.stakeholder_needed, after.stakeholder_needed) == (0, 2)
    assert pdf_key(before, [], []) != pdf_key(after, [], [])


def test_outsiders_and_other_teams_do_not_see_it(
    team: Team, alice: User, carol_client: Client
) -> None:
    round = make_round(team, dimensions=2)
    services.round_close(round=round, actor=alice)
    services.round_open(round=round, actor=alice)
    response = carol_client.get(reverse("reports:round", args=[round.code]))
    assert response.status_code == 404


TEAM_IN = (
    "New member answers are in: the published team results will take them in "
    "when the round closes."
)
STAKEHOLDERS_IN = (
    "New stakeholder answers are in: the published stakeholder results will take "
    "them in when the round closes."
)


def test_a_batch_in_while_open_is_said_to_come_with_the_close(
    team: Team,
    alice: User,
    bob_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The third new answer while reopened releases its batch at once, shown
    nowhere until the round closes: the report, its PDF and the round page then
    say that the published results take it in at the close, not that they stay
    unchanged until three more answer; a further answer held after it is said to
    wait, as closing keeps it sealed."""
    members = _team_of_seven(team)
    round = make_round(team, dimensions=2)
    _members_answer(round, members[:3])
    services.round_close(round=round, actor=alice)
    services.round_open(round=round, actor=alice)
    round_page = reverse("assessments:round", args=[round.code])
    with django_capture_on_commit_callbacks(execute=True):
        _members_answer(round, members[3:5], level=3)
    assert TEAM_WAITS.format(1, " answers") in _page(bob_client, round)  # cached
    with django_capture_on_commit_callbacks(execute=True):
        _members_answer(round, members[5:6], level=3)  # the third: released
    assert Response.objects.filter(round=round).count() == 6
    for text in (
        _page(bob_client, round),
        _printed(round),
        bob_client.get(round_page).content.decode(),
    ):
        assert TEAM_IN in text
        assert "stay unchanged" not in text
        assert "only once" not in text  # nothing waits after the batch

    with django_capture_on_commit_callbacks(execute=True):
        _members_answer(round, members[6:7], level=3)  # held: fewer than 3
    later = "Answers given after those change them only once 2 more members answer."
    for text in (
        _page(bob_client, round),
        _printed(round),
        bob_client.get(round_page).content.decode(),
    ):
        assert TEAM_IN + " " + later in text
        assert "stay unchanged" not in text

    services.round_close(round=round, actor=alice)
    report = build_round_report(round, rounds=team_rounds(team), show_notes=True)
    assert report.team_responses == 6  # the batch, not the one held after it
    for text in (
        _page(bob_client, round),
        _printed(round),
        bob_client.get(round_page).content.decode(),
    ):
        assert TEAM_IN not in text
        assert TEAM_WAITS.format(2, "s answer") in text  # the one held still waits


def test_a_stakeholder_batch_in_while_open_is_said_to_come_with_the_close(
    team: Team,
    alice: User,
    bob_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    round = make_round(team, dimensions=2)
    _stakeholders_answer(round, 3)
    services.round_close(round=round, actor=alice)
    services.round_open(round=round, actor=alice)
    with django_capture_on_commit_callbacks(execute=True):
        _stakeholders_answer(round, 3, level=3)
    page, printed = _page(bob_client, round), _printed(round)
    for text in (page, printed):
        assert STAKEHOLDERS_IN in text
        assert "stakeholder results stay unchanged" not in text
    assert TEAM_IN not in page  # no member answered since the reopen
    services.round_close(round=round, actor=alice)
    page = _page(bob_client, round)
    assert STAKEHOLDERS_IN not in page
    assert "stakeholder results stay unchanged" not in page


def test_the_cache_keys_change_when_a_batch_is_in(team: Team, alice: User) -> None:
    from reports.views import Reader, pdf_key, report_page_key

    round = make_round(team, dimensions=2)
    _stakeholders_answer(round, 3)
    services.round_close(round=round, actor=alice)
    services.round_open(round=round, actor=alice)
    rounds = team_rounds(team)
    reader = Reader(team, team.memberships.get(user=alice), None)
    waiting = (2, 2, 0, 0, None, (False, False))
    batch_in = (2, 2, 0, 0, None, (False, True))
    assert report_page_key(round, rounds, reader, waiting, []) != report_page_key(
        round, rounds, reader, batch_in, []
    )
    report = build_round_report(round, rounds=rounds, show_notes=True)
    assert not report.stakeholder_pending
    pending = build_round_report(round, rounds=rounds, show_notes=True)
    pending.stakeholder_pending = True
    assert pdf_key(report, [], []) != pdf_key(pending, [], [])
